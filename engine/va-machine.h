/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-allocation.h"
#include "va-arena.h"
#include "va-chunk-array.h"
#include "va-event.h"
#include "va-gfp.h"
#include "va-layout.h"
#include "va-op.h"
#include "va-rng.h"
#include "va-zone.h"

G_BEGIN_DECLS

/* A simulated i386 machine.  Views and output code read these fields;
 * only the engine writes them, and only through ops. */
typedef struct _VaMachine VaMachine;
typedef struct _VaSlabCaches VaSlabCaches;   /* va-kmalloc.c */
typedef struct _VaPkmap VaPkmap;             /* va-kmap.c */
typedef struct _VaVmalloc VaVmalloc;         /* va-vmalloc.c */
typedef struct _VaCma VaCma;                 /* va-cma.c */
typedef struct _VaMachineSync VaMachineSync; /* va-machine-copy.c */

/* The parts of a machine that checkpoints copy whole, and share between
 * checkpoints while no op touched them. */
typedef enum {
  VA_PART_VMALLOC  = 1 << 0,
  VA_PART_SLAB     = 1 << 1,
  VA_PART_PKMAP    = 1 << 2,
  VA_PART_CMA      = 1 << 3,
  VA_PART_WORKLOAD = 1 << 4,   /* workload_live */
} VaMachinePart;

struct _VaMachine {
  VaMachineConfig  config;
  const VaProfile *profile;
  VaLayout         layout;

  guint32          nr_pfns;          /* frames simulated: max_pfn */
  VaPage          *pages;            /* mem_map: page_store's storage */
  VaChunkArray    *page_store;       /* the frames, chunked for history checkpoints */
  guint8          *page_dirty;       /* page_store's dirty table and chunk shift, kept */
  guint            page_dirty_shift; /* beside pages: va_page() marks a frame in one store */
  gint             pcp_max_order;    /* highest order the per-cpu lists take, -1 none */
  guint8          *pageblock_mt;     /* migrate type per pageblock */
  guint            pageblock_order;
  VaZone           zones[VA_NR_ZONES];

  guint32          min_free_kbytes;
  guint32          kernel_start_pfn, kernel_end_pfn;
  guint32          mem_map_start_pfn, mem_map_end_pfn;
  guint32          reserved_pages;   /* never given to the buddy allocator */

  GPtrArray       *allocs;           /* VaAllocation* into alloc_store, index = id; [0] NULL */
  VaChunkArray    *alloc_store;      /* the VaAllocation records; a name keeps its record */
  VaChunkArray    *name_map;         /* guint32 allocation id by arena name id, 0 = none */
  VaArena         *arena;            /* names, reasons, log lines, frame lists; shared by copies */
  GArray          *workload_live;    /* guint32 allocation ids of live workload blocks */
  VaRng            rng;              /* the machine's own random stream (workloads) */

  VaSlabCaches    *slab;             /* kmalloc size classes */
  VaPkmap         *pkmap;            /* kmap slots */
  VaVmalloc       *vmalloc;          /* vmap areas and the vmalloc page table */
  VaCma           *cma;              /* CMA areas (linux-6.1 with cma=), NULL otherwise */

  guint            op_count;         /* ops applied */
  gboolean         last_op_failed;
  GPtrArray       *log;              /* const char* (arena): failures and notable steps */

  VaMachineSync   *sync;             /* checkpoint bookkeeping (va-machine-copy.c), or NULL */

  const char      *gfp_cache_text;   /* the GFP text parsed last (arena), not state */
  guint32          gfp_cache_mask;
  guint32          gfp_alloc_mask;   /* the mask va_alloc_pages() decoded last, not state: */
  guint8           gfp_alloc_zone;   /* its gfp_zone() */
  guint8           gfp_alloc_mt;     /* and gfp_migratetype() */

  gboolean         record_events;
  GArray          *events;           /* VaEvent */
  guint            events_capacity;  /* allocated length of events (va_emit) */
  gboolean         wmark_boosted;    /* some zone has a watermark boost for kswapd to clear */
  guint            nr_isolated_pageblocks; /* MIGRATE_ISOLATE blocks (only during cma_alloc) */
  VaZonelist       zonelists[VA_NR_ZONES]; /* by gfp_zone(): fixed once the zones are */
};

/* Outcome of an op that was valid: it either succeeded or failed the way the
 * kernel fails (no memory, fragmentation), with a reason. */
typedef struct {
  gboolean failed;
  char    *reason;
} VaOpResult;

VaMachine  *va_machine_new          (const VaMachineConfig *config,
                                     GError               **error);
void        va_machine_free         (VaMachine             *machine);
void        va_machine_set_record_events (VaMachine        *machine,
                                          gboolean          record);

/* Applies one op.  Returns FALSE with @error when the op is invalid for this
 * machine (unknown name, double free, feature missing): nothing changes.
 * Returns TRUE otherwise; @result says whether the kernel's call failed. */
gboolean    va_machine_apply        (VaMachine             *machine,
                                     const VaOp            *op,
                                     VaOpResult            *result,
                                     GError               **error);
void        va_op_result_clear      (VaOpResult            *result);

const VaAllocation *va_machine_lookup (VaMachine           *machine,
                                       const char          *name);

/* Reads a value for `expect`: "a.virt", "zone.Normal.free",
 * "buddyinfo.Normal[3]", "layout.vmalloc_start", "HighMem" (a zone index). */
gboolean    va_machine_query        (VaMachine             *machine,
                                     const char            *path,
                                     gint64                *value,
                                     GError               **error);

guint32     va_machine_total_free   (const VaMachine       *machine);
guint32     va_machine_block_head   (const VaMachine       *machine,
                                     guint32                pfn);
guint32     va_machine_pcp_pages    (const VaMachine       *machine,
                                     const VaZone          *zone);

/* Inline: every free asks both. */
static inline VaZoneType
va_machine_pfn_zone (const VaMachine *m,
                     guint32          pfn)
{
  if (pfn < m->zones[VA_ZONE_DMA].end_pfn)
    return VA_ZONE_DMA;
  if (pfn < m->zones[VA_ZONE_NORMAL].end_pfn)
    return VA_ZONE_NORMAL;
  return VA_ZONE_HIGHMEM;
}

static inline guint8
va_machine_pageblock_mt (const VaMachine *m,
                         guint32          pfn)
{
  return m->pageblock_mt[pfn >> m->pageblock_order];
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaMachine, va_machine_free)

G_END_DECLS
