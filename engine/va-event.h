/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-types.h"

G_BEGIN_DECLS

/* Micro-events: the steps of an op that a viewer replays one by one.
 * Each names the kernel function it models (va_event_function()). */
typedef enum {
  VA_EV_OP_BEGIN,         /* pfn = op index */
  VA_EV_LIST_DEL,         /* block taken off free_area[order] list mt */
  VA_EV_LIST_ADD_HEAD,    /* block put at the head of free_area[order] */
  VA_EV_LIST_ADD_TAIL,
  VA_EV_SPLIT,            /* expand(): block at pfn (order+1) halves; pfn2 = half to the list */
  VA_EV_MERGE,            /* __free_one_page(): pfn and buddy pfn2 at order merge */
  VA_EV_WMARK_OK,         /* zone_watermark_ok passed: v0 free, v1 needed, v2 mark kind */
  VA_EV_WMARK_FAIL,
  VA_EV_ZONE_FALLBACK,    /* next zone in the zonelist: zone -> mt2 (as zone index) */
  VA_EV_NO_BLOCK,         /* rmqueue found no block of order >= order in zone */
  VA_EV_PAGEBLOCK_RETYPE, /* pageblock at pfn: mt -> mt2 */
  VA_EV_STEAL,            /* __rmqueue_fallback takes block pfn of order from type mt for mt2 */
  VA_EV_PCP_REFILL,       /* rmqueue_bulk: v0 blocks of order moved to the pcp list */
  VA_EV_PCP_TAKE,         /* block pfn taken from the pcp list */
  VA_EV_PCP_ADD,          /* block pfn put on the pcp list */
  VA_EV_PCP_DRAIN,        /* free_pcppages_bulk: v0 pages back to the buddy lists */
  VA_EV_ALLOC_DONE,       /* the op got pfn, order, zone */
  VA_EV_ALLOC_FAIL,       /* the op failed; reason in the log */
  VA_EV_FREE,             /* block pfn of order given back */
  VA_EV_BOOST,            /* boost_watermark: v0 new boost */
  VA_EV_BOOST_RESET,      /* kswapd reset the boost */
  VA_EV_VMAP_AREA,        /* area found: pfn = start address, v0 = size with guard */
  VA_EV_VMAP_GUARD,       /* pfn = address of the guard page: mapped to nothing */
  VA_EV_VMAP_MAP,         /* pfn = virtual address, pfn2 = frame mapped there */
  VA_EV_VMAP_UNMAP,       /* pfn = virtual address, pfn2 = frame unmapped */
  VA_EV_VMAP_RELEASE,     /* the area's range is free again: pfn = start, v0 = size */
  VA_EV_VMAP_LAZY,        /* 6.1: range kept as lazily freed; v0 = vmap_lazy_nr, v1 = lazy_max_pages */
  VA_EV_VMAP_PURGE,       /* 6.1: v0 lazy areas, v1 pages purged */
  VA_EV_VMAP_FAIL,        /* no room in the window: v0 size wanted, v1 largest hole */
  /* kmalloc (va-kmalloc.c): mt = VaKmallocType, mt2 = VaSlabFlavour */
  VA_EV_KMALLOC_CLASS,    /* size class chosen: v0 bytes asked, v1 class size (0: page allocator), order */
  VA_EV_SLAB_NEW,         /* new slab: pfn, order, zone; v0 class size, v1 objects, v2 owner record id */
  VA_EV_SLAB_OBJECT,      /* object taken: pfn slab, pfn2 object's frame; v0 index, v1 virt, v2 class size */
  VA_EV_SLAB_OBJECT_FREE, /* object freed: same fields */
  VA_EV_SLAB_DISCARD,     /* empty slab back to the page allocator: pfn, order; v0 class size, v1 objects */
  VA_EV_KMALLOC_LARGE,    /* 6.1 kmalloc_large(): pfn, order, zone; v0 bytes */
  /* kmap (va-kmap.c): zone HighMem, pfn = the frame */
  VA_EV_PKMAP_LOWMEM,     /* lowmem page, no slot: v0 its linear address */
  VA_EV_PKMAP_HIT,        /* page_address() had a slot: v0 slot, v1 new count, v2 virt */
  VA_EV_PKMAP_MAP,        /* map_new_virtual() took slot v0; v1 count after kmap_high(), v2 virt */
  VA_EV_PKMAP_CLEAR,      /* flush: slot v0 at count 1 unmapped (pfn), v1 virt */
  VA_EV_PKMAP_FLUSH,      /* flush_all_zero_pkmaps(): v0 slots cleared of v1 */
  VA_EV_PKMAP_PUT,        /* kunmap_high(): slot v0 count now v1, v2 virt */
  VA_EV_PKMAP_FULL,       /* every slot in use: kmap() would sleep; v0 LAST_PKMAP */
  VA_EV_CMA_BITMAP,       /* cma_alloc: bitmap range found: pfn..pfn2, v0 = bitmap offset */
  VA_EV_CMA_ISOLATE,      /* pageblock at pfn set to MIGRATE_ISOLATE, v0 free pages moved */
  VA_EV_CMA_DRAIN,        /* per-cpu lists of the zone drained */
  VA_EV_MIGRATE,          /* block of order at pfn migrated to pfn2 */
  VA_EV_CMA_BUSY,         /* pfn cannot be migrated (v0 = owner id) */
  VA_EV_CMA_RETRY,        /* -EBUSY: search again from bitmap offset v0 */
  VA_EV_CMA_TAKE,         /* pfn..pfn2 taken out of the buddy lists */
  VA_EV_CMA_UNISOLATE,    /* pageblock at pfn back to mt2 */
  VA_EV_CMA_RELEASE,      /* pfn..pfn2 given back */
  VA_EV_N_TYPES,
} VaEventType;

/* The kernel functions events cite. */
typedef enum {
  VA_FN_ALLOC_PAGES,            /* __alloc_pages */
  VA_FN_GET_PAGE_FROM_FREELIST,
  VA_FN_ZONE_WATERMARK_OK,      /* zone_watermark_ok / __zone_watermark_ok */
  VA_FN_RMQUEUE,                /* 2.4 rmqueue / 2.6.9 __rmqueue */
  VA_FN_RMQUEUE_SMALLEST,       /* 6.1 __rmqueue_smallest */
  VA_FN_EXPAND,
  VA_FN_RMQUEUE_FALLBACK,
  VA_FN_STEAL_SUITABLE_FALLBACK,
  VA_FN_MOVE_FREEPAGES_BLOCK,
  VA_FN_RESERVE_HIGHATOMIC,
  VA_FN_BOOST_WATERMARK,
  VA_FN_KSWAPD,
  VA_FN_BUFFERED_RMQUEUE,       /* 2.6.9 */
  VA_FN_RMQUEUE_BULK,
  VA_FN_RMQUEUE_PCPLIST,        /* 6.1 */
  VA_FN_FREE_PAGES_OK,          /* 2.4 __free_pages_ok */
  VA_FN_FREE_PAGES_BULK,        /* 2.6.9 __free_pages_bulk */
  VA_FN_FREE_ONE_PAGE,          /* 6.1 __free_one_page */
  VA_FN_FREE_HOT_COLD_PAGE,     /* 2.6.9 */
  VA_FN_FREE_UNREF_PAGE,        /* 6.1 free_unref_page_commit */
  VA_FN_FREE_PCPPAGES_BULK,
  VA_FN_FREE_ALL_BOOTMEM,       /* boot: free_all_bootmem_core / memblock_free_all */
  VA_FN_GET_VM_AREA,            /* 2.4/2.6.9 __get_vm_area() */
  VA_FN_ALLOC_VMAP_AREA,        /* 6.1 alloc_vmap_area() */
  VA_FN_VMALLOC_AREA_PAGES,     /* 2.4 __vmalloc_area_pages() */
  VA_FN_VMALLOC_AREA,           /* 2.6.9 __vmalloc() page loop + map_vm_area() */
  VA_FN_VMALLOC_AREA_NODE,      /* 6.1 __vmalloc_area_node() */
  VA_FN_VFREE,                  /* vfree() / __vunmap() */
  VA_FN_FREE_VMAP_AREA_NOFLUSH, /* 6.1 lazy free */
  VA_FN_PURGE_VMAP_AREA_LAZY,   /* 6.1 __purge_vmap_area_lazy() */
  VA_FN_KMALLOC,                /* kmalloc() */
  VA_FN_KMALLOC_LARGE,          /* 6.1 kmalloc_large() */
  VA_FN_KMEM_GETPAGES,          /* 2.x kmem_getpages() (from cache_grow()) */
  VA_FN_ALLOCATE_SLAB,          /* 6.1 allocate_slab() */
  VA_FN_KFREE,                  /* kfree() */
  VA_FN_KMEM_FREEPAGES,         /* 2.x kmem_freepages() (from slab_destroy()) */
  VA_FN_DISCARD_SLAB,           /* 6.1 discard_slab() */
  VA_FN_KMAP,                   /* kmap() */
  VA_FN_KMAP_HIGH,              /* kmap_high() */
  VA_FN_MAP_NEW_VIRTUAL,        /* map_new_virtual() */
  VA_FN_FLUSH_ALL_ZERO_PKMAPS,  /* flush_all_zero_pkmaps() */
  VA_FN_KUNMAP_HIGH,            /* kunmap_high() */
  VA_FN_CMA_ALLOC,
  VA_FN_SET_MIGRATETYPE_ISOLATE,
  VA_FN_DRAIN_ALL_PAGES,
  VA_FN_ALLOC_CONTIG_MIGRATE_RANGE,
  VA_FN_TEST_PAGES_ISOLATED,
  VA_FN_ISOLATE_FREEPAGES_RANGE,
  VA_FN_UNSET_MIGRATETYPE_ISOLATE,
  VA_FN_CMA_RELEASE,
  VA_FN_N,
} VaKernelFn;

/* 24 bytes, no padding: a recording run writes millions of these, so the
 * small fields share one word (every value fits its width: 51 types and
 * functions, 4 zones, orders up to 10, 6 migrate types).  Read the fields
 * by name; they are bitfields, so they have no address. */
typedef struct {
  guint32 type  : 8;    /* VaEventType */
  guint32 fn    : 8;    /* VaKernelFn: the kernel function the step models */
  guint32 order : 4;
  guint32 mt    : 4;
  guint32 mt2   : 4;
  guint32 zone  : 4;    /* last: nearly every step has a variable zone, and
                         * the top bits take it without a mask */
  guint32 pfn;
  guint32 pfn2;
  guint32 v[3];
} VaEvent;

G_STATIC_ASSERT (sizeof (VaEvent) == 24);
G_STATIC_ASSERT (VA_EV_N_TYPES <= 256 && VA_FN_N <= 256);
G_STATIC_ASSERT (VA_NR_ZONES <= 16 && VA_MAX_ORDER_LIMIT <= 16 && VA_MT_TYPES <= 16);

const char *va_event_type_name  (VaEventType type);
const char *va_event_function   (const VaEvent *event);
char       *va_event_describe   (const VaEvent *event,
                                 gboolean       has_migratetypes);

char       *va_event_format_all (const GArray  *events,
                                 gboolean       has_migratetypes);

G_END_DECLS
