/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-event"

#include "va-event.h"
#include "va-kmalloc.h"

static const char *const type_names[VA_EV_N_TYPES] = {
  [VA_EV_OP_BEGIN] = "op-begin",
  [VA_EV_LIST_DEL] = "list-del",
  [VA_EV_LIST_ADD_HEAD] = "list-add-head",
  [VA_EV_LIST_ADD_TAIL] = "list-add-tail",
  [VA_EV_SPLIT] = "split",
  [VA_EV_MERGE] = "merge",
  [VA_EV_WMARK_OK] = "watermark-ok",
  [VA_EV_WMARK_FAIL] = "watermark-fail",
  [VA_EV_ZONE_FALLBACK] = "zone-fallback",
  [VA_EV_NO_BLOCK] = "no-block",
  [VA_EV_PAGEBLOCK_RETYPE] = "pageblock-retype",
  [VA_EV_STEAL] = "steal",
  [VA_EV_PCP_REFILL] = "pcp-refill",
  [VA_EV_PCP_TAKE] = "pcp-take",
  [VA_EV_PCP_ADD] = "pcp-add",
  [VA_EV_PCP_DRAIN] = "pcp-drain",
  [VA_EV_ALLOC_DONE] = "alloc-done",
  [VA_EV_ALLOC_FAIL] = "alloc-fail",
  [VA_EV_FREE] = "free",
  [VA_EV_BOOST] = "boost",
  [VA_EV_BOOST_RESET] = "boost-reset",
  [VA_EV_VMAP_AREA] = "vmap-area",
  [VA_EV_VMAP_GUARD] = "vmap-guard",
  [VA_EV_VMAP_MAP] = "vmap-map",
  [VA_EV_VMAP_UNMAP] = "vmap-unmap",
  [VA_EV_VMAP_RELEASE] = "vmap-release",
  [VA_EV_VMAP_LAZY] = "vmap-lazy",
  [VA_EV_VMAP_PURGE] = "vmap-purge",
  [VA_EV_VMAP_FAIL] = "vmap-fail",
  [VA_EV_CMA_BITMAP] = "cma-bitmap",
  [VA_EV_CMA_ISOLATE] = "cma-isolate",
  [VA_EV_CMA_DRAIN] = "cma-drain",
  [VA_EV_MIGRATE] = "migrate",
  [VA_EV_CMA_BUSY] = "cma-busy",
  [VA_EV_CMA_RETRY] = "cma-retry",
  [VA_EV_CMA_TAKE] = "cma-take",
  [VA_EV_CMA_UNISOLATE] = "cma-unisolate",
  [VA_EV_CMA_RELEASE] = "cma-release",
  [VA_EV_KMALLOC_CLASS] = "kmalloc-class",
  [VA_EV_SLAB_NEW] = "slab-new",
  [VA_EV_SLAB_OBJECT] = "slab-object",
  [VA_EV_SLAB_OBJECT_FREE] = "slab-object-free",
  [VA_EV_SLAB_DISCARD] = "slab-discard",
  [VA_EV_KMALLOC_LARGE] = "kmalloc-large",
  [VA_EV_PKMAP_LOWMEM] = "pkmap-lowmem",
  [VA_EV_PKMAP_HIT] = "pkmap-hit",
  [VA_EV_PKMAP_MAP] = "pkmap-map",
  [VA_EV_PKMAP_CLEAR] = "pkmap-clear",
  [VA_EV_PKMAP_FLUSH] = "pkmap-flush",
  [VA_EV_PKMAP_PUT] = "pkmap-put",
  [VA_EV_PKMAP_FULL] = "pkmap-full",
};

static const char *const fn_names[VA_FN_N] = {
  [VA_FN_ALLOC_PAGES] = "__alloc_pages()",
  [VA_FN_GET_PAGE_FROM_FREELIST] = "get_page_from_freelist()",
  [VA_FN_ZONE_WATERMARK_OK] = "zone_watermark_ok()",
  [VA_FN_RMQUEUE] = "rmqueue()",
  [VA_FN_RMQUEUE_SMALLEST] = "__rmqueue_smallest()",
  [VA_FN_EXPAND] = "expand()",
  [VA_FN_RMQUEUE_FALLBACK] = "__rmqueue_fallback()",
  [VA_FN_STEAL_SUITABLE_FALLBACK] = "steal_suitable_fallback()",
  [VA_FN_MOVE_FREEPAGES_BLOCK] = "move_freepages_block()",
  [VA_FN_RESERVE_HIGHATOMIC] = "reserve_highatomic_pageblock()",
  [VA_FN_BOOST_WATERMARK] = "boost_watermark()",
  [VA_FN_KSWAPD] = "kswapd",
  [VA_FN_BUFFERED_RMQUEUE] = "buffered_rmqueue()",
  [VA_FN_RMQUEUE_BULK] = "rmqueue_bulk()",
  [VA_FN_RMQUEUE_PCPLIST] = "rmqueue_pcplist()",
  [VA_FN_FREE_PAGES_OK] = "__free_pages_ok()",
  [VA_FN_FREE_PAGES_BULK] = "__free_pages_bulk()",
  [VA_FN_FREE_ONE_PAGE] = "__free_one_page()",
  [VA_FN_FREE_HOT_COLD_PAGE] = "free_hot_cold_page()",
  [VA_FN_FREE_UNREF_PAGE] = "free_unref_page()",
  [VA_FN_FREE_PCPPAGES_BULK] = "free_pcppages_bulk()",
  [VA_FN_FREE_ALL_BOOTMEM] = "free_all_bootmem()",
  [VA_FN_GET_VM_AREA] = "__get_vm_area()",
  [VA_FN_ALLOC_VMAP_AREA] = "alloc_vmap_area()",
  [VA_FN_VMALLOC_AREA_PAGES] = "__vmalloc_area_pages()",
  [VA_FN_VMALLOC_AREA] = "__vmalloc()",
  [VA_FN_VMALLOC_AREA_NODE] = "__vmalloc_area_node()",
  [VA_FN_VFREE] = "vfree()",
  [VA_FN_FREE_VMAP_AREA_NOFLUSH] = "free_vmap_area_noflush()",
  [VA_FN_PURGE_VMAP_AREA_LAZY] = "__purge_vmap_area_lazy()",
  [VA_FN_CMA_ALLOC] = "cma_alloc()",
  [VA_FN_SET_MIGRATETYPE_ISOLATE] = "set_migratetype_isolate()",
  [VA_FN_DRAIN_ALL_PAGES] = "drain_all_pages()",
  [VA_FN_ALLOC_CONTIG_MIGRATE_RANGE] = "__alloc_contig_migrate_range()",
  [VA_FN_TEST_PAGES_ISOLATED] = "test_pages_isolated()",
  [VA_FN_ISOLATE_FREEPAGES_RANGE] = "isolate_freepages_range()",
  [VA_FN_UNSET_MIGRATETYPE_ISOLATE] = "unset_migratetype_isolate()",
  [VA_FN_CMA_RELEASE] = "cma_release()",
  [VA_FN_KMALLOC] = "kmalloc()",
  [VA_FN_KMALLOC_LARGE] = "kmalloc_large()",
  [VA_FN_KMEM_GETPAGES] = "kmem_getpages()",
  [VA_FN_ALLOCATE_SLAB] = "allocate_slab()",
  [VA_FN_KFREE] = "kfree()",
  [VA_FN_KMEM_FREEPAGES] = "kmem_freepages()",
  [VA_FN_DISCARD_SLAB] = "discard_slab()",
  [VA_FN_KMAP] = "kmap()",
  [VA_FN_KMAP_HIGH] = "kmap_high()",
  [VA_FN_MAP_NEW_VIRTUAL] = "map_new_virtual()",
  [VA_FN_FLUSH_ALL_ZERO_PKMAPS] = "flush_all_zero_pkmaps()",
  [VA_FN_KUNMAP_HIGH] = "kunmap_high()",
};

const char *
va_event_type_name (VaEventType type)
{
  g_return_val_if_fail (type < VA_EV_N_TYPES, "?");
  return type_names[type];
}

const char *
va_event_function (const VaEvent *event)
{
  g_return_val_if_fail (event != NULL && event->fn < VA_FN_N, "?");
  return fn_names[event->fn];
}

static const char *
type_of (const VaEvent *ev,
         gboolean       has_mt)
{
  return has_mt ? va_migratetype_name (ev->mt) : "-";
}

/* The kmalloc cache an event names: "size-256", "kmalloc-96", ... */
static char *
event_cache_name (const VaEvent *ev,
                  guint32        size)
{
  return va_kmalloc_cache_name (ev->mt2, MIN (ev->mt, VA_KMALLOC_NR_TYPES - 1), size);
}

static char *
describe_kmalloc (const VaEvent *ev,
                  const char    *fn)
{
  const char *zone = va_zone_name (ev->zone);
  g_autofree char *cache = NULL;

  switch ((VaEventType) ev->type)
    {
    case VA_EV_KMALLOC_CLASS:
      if (ev->v[1] == 0)
        return g_strdup_printf ("%s: %u bytes is more than the largest cache: order-%u pages "
                                "straight from the page allocator", fn, ev->v[0], ev->order);
      cache = event_cache_name (ev, ev->v[1]);
      return g_strdup_printf ("%s: %u bytes → %s", fn, ev->v[0], cache);
    case VA_EV_SLAB_NEW:
      cache = event_cache_name (ev, ev->v[0]);
      return g_strdup_printf ("%s: new slab for %s: order-%u block at pfn %u in %s holds %u objects",
                              fn, cache, ev->order, ev->pfn, zone, ev->v[1]);
    case VA_EV_SLAB_OBJECT:
      cache = event_cache_name (ev, ev->v[2]);
      return g_strdup_printf ("%s: object %u of the %s slab at pfn %u: virt 0x%08x (pfn %u)", fn,
                              ev->v[0], cache, ev->pfn, ev->v[1], ev->pfn2);
    case VA_EV_SLAB_OBJECT_FREE:
      cache = event_cache_name (ev, ev->v[2]);
      return g_strdup_printf ("%s: object %u of the %s slab at pfn %u (virt 0x%08x) is free again",
                              fn, ev->v[0], cache, ev->pfn, ev->v[1]);
    case VA_EV_SLAB_DISCARD:
      cache = event_cache_name (ev, ev->v[0]);
      return g_strdup_printf ("%s: the %s slab at pfn %u is empty: its order-%u block goes back "
                              "to the page allocator (the simulator frees empty slabs at once; "
                              "the kernel may keep a few cached)", fn, cache, ev->pfn, ev->order);
    case VA_EV_KMALLOC_LARGE:
      return g_strdup_printf ("%s: %u bytes: order-%u block at pfn %u from %s, a compound page "
                              "of its own", fn, ev->v[0], ev->order, ev->pfn, zone);
    default:
      return NULL;
    }
}

static char *
describe_pkmap (const VaEvent *ev,
                const char    *fn)
{
  switch ((VaEventType) ev->type)
    {
    case VA_EV_PKMAP_LOWMEM:
      return g_strdup_printf ("%s: pfn %u is lowmem: its linear address 0x%08x, no pkmap slot",
                              fn, ev->pfn, ev->v[0]);
    case VA_EV_PKMAP_HIT:
      return g_strdup_printf ("%s: pfn %u is already in pkmap slot %u at 0x%08x; pkmap_count %u",
                              fn, ev->pfn, ev->v[0], ev->v[2], ev->v[1]);
    case VA_EV_PKMAP_MAP:
      return g_strdup_printf ("%s: pfn %u mapped in free pkmap slot %u at 0x%08x; pkmap_count %u",
                              fn, ev->pfn, ev->v[0], ev->v[2], ev->v[1]);
    case VA_EV_PKMAP_CLEAR:
      return g_strdup_printf ("%s: slot %u had count 1: pfn %u unmapped from 0x%08x", fn,
                              ev->v[0], ev->pfn, ev->v[1]);
    case VA_EV_PKMAP_FLUSH:
      return g_strdup_printf ("%s: the search wrapped to slot 0: %u of %u slots at count 1 "
                              "are free again after one TLB flush", fn, ev->v[0], ev->v[1]);
    case VA_EV_PKMAP_PUT:
      return g_strdup_printf ("%s: pfn %u: pkmap_count of slot %u drops to %u%s", fn, ev->pfn,
                              ev->v[0], ev->v[1],
                              ev->v[1] == 1 ? "; the slot stays mapped and unusable until the "
                              "next flush_all_zero_pkmaps() (the kernel's lazy TLB flush)" : "");
    case VA_EV_PKMAP_FULL:
      return g_strdup_printf ("%s: all %u pkmap slots are in use: kmap() would sleep until a "
                              "kunmap()", fn, ev->v[0]);
    default:
      return NULL;
    }
}

/* One line a student can read beside the kernel source. */
char *
va_event_describe (const VaEvent *ev,
                   gboolean       has_mt)
{
  const char *fn = va_event_function (ev);
  const char *zone = va_zone_name (ev->zone);

  switch ((VaEventType) ev->type)
    {
    case VA_EV_OP_BEGIN:
      return g_strdup_printf ("op %u begins", ev->pfn);
    case VA_EV_LIST_DEL:
      return g_strdup_printf ("%s: order-%u block at pfn %u taken off %s free_area[%u] (%s)",
                              fn, ev->order, ev->pfn, zone, ev->order, type_of (ev, has_mt));
    case VA_EV_LIST_ADD_HEAD:
    case VA_EV_LIST_ADD_TAIL:
      return g_strdup_printf ("%s: order-%u block at pfn %u added to the %s of %s free_area[%u] (%s)",
                              fn, ev->order, ev->pfn,
                              ev->type == VA_EV_LIST_ADD_HEAD ? "head" : "tail", zone, ev->order,
                              type_of (ev, has_mt));
    case VA_EV_SPLIT:
      return g_strdup_printf ("%s: order-%u block at pfn %u split; half %u to free_area[%u], "
                              "half %u kept", fn, ev->order + 1, ev->pfn, ev->pfn2, ev->order,
                              ev->v[0]);
    case VA_EV_MERGE:
      return g_strdup_printf ("%s: pfn %u merges with its free buddy %u into an order-%u block",
                              fn, ev->pfn, ev->pfn2, ev->order + 1);
    case VA_EV_WMARK_OK:
    case VA_EV_WMARK_FAIL:
      return g_strdup_printf ("%s: %s free %u %s needed %u", fn, zone, ev->v[0],
                              ev->type == VA_EV_WMARK_OK ? ">" : "<=", ev->v[1]);
    case VA_EV_ZONE_FALLBACK:
      return g_strdup_printf ("%s: %s cannot serve; next zone in the zonelist", fn, zone);
    case VA_EV_NO_BLOCK:
      return g_strdup_printf ("%s: %s has no free block of order >= %u", fn, zone, ev->order);
    case VA_EV_PAGEBLOCK_RETYPE:
      return g_strdup_printf ("%s: pageblock at pfn %u changes from %s to %s", fn, ev->pfn,
                              va_migratetype_name (ev->mt), va_migratetype_name (ev->mt2));
    case VA_EV_STEAL:
      return g_strdup_printf ("%s: %s request falls back to a %s order-%u block at pfn %u%s", fn,
                              va_migratetype_name (ev->mt2), va_migratetype_name (ev->mt),
                              ev->order, ev->pfn, ev->v[0] ? " (may steal the pageblock)" : "");
    case VA_EV_PCP_REFILL:
      return g_strdup_printf ("%s: %u order-%u blocks moved from %s's buddy lists to the per-cpu list",
                              fn, ev->v[0], ev->order, zone);
    case VA_EV_PCP_TAKE:
      return g_strdup_printf ("%s: pfn %u taken from the %s per-cpu list (%u pages left)",
                              fn, ev->pfn, zone, ev->v[0]);
    case VA_EV_PCP_ADD:
      return g_strdup_printf ("%s: pfn %u put on the %s per-cpu list (%u pages)",
                              fn, ev->pfn, zone, ev->v[0]);
    case VA_EV_PCP_DRAIN:
      return g_strdup_printf ("%s: %u pages go back from the %s per-cpu list to the buddy lists",
                              fn, ev->v[0], zone);
    case VA_EV_ALLOC_DONE:
      return g_strdup_printf ("%s: order-%u block at pfn %u allocated from %s", fn, ev->order,
                              ev->pfn, zone);
    case VA_EV_ALLOC_FAIL:
      return g_strdup_printf ("%s: order-%u allocation failed", fn, ev->order);
    case VA_EV_FREE:
      return g_strdup_printf ("__free_pages(): order-%u block at pfn %u freed", ev->order, ev->pfn);
    case VA_EV_BOOST:
      return g_strdup_printf ("%s: %s watermark boost now %u pages", fn, zone, ev->v[0]);
    case VA_EV_BOOST_RESET:
      return g_strdup_printf ("%s: %s watermark boost cleared", fn, zone);
    case VA_EV_VMAP_AREA:
      return g_strdup_printf ("%s: lowest free hole that fits %u KiB (pages + guard page) starts at 0x%08x",
                              fn, ev->v[0] >> 10, ev->pfn);
    case VA_EV_VMAP_GUARD:
      return g_strdup_printf ("%s: guard page at 0x%08x stays unmapped: an overrun faults there",
                              fn, ev->pfn);
    case VA_EV_VMAP_MAP:
      return g_strdup_printf ("%s: 0x%08x -> pfn %u (%s)", fn, ev->pfn, ev->pfn2, zone);
    case VA_EV_VMAP_UNMAP:
      return g_strdup_printf ("%s: 0x%08x unmapped, pfn %u freed", fn, ev->pfn, ev->pfn2);
    case VA_EV_VMAP_RELEASE:
      return g_strdup_printf ("%s: 0x%08x-0x%08x is free vmalloc space again", fn, ev->pfn,
                              ev->pfn + ev->v[0]);
    case VA_EV_VMAP_LAZY:
      return g_strdup_printf ("%s: 0x%08x kept as a lazily freed area (%u lazy pages, purge above %u)",
                              fn, ev->pfn, ev->v[0], ev->v[1]);
    case VA_EV_VMAP_PURGE:
      return g_strdup_printf ("%s: %u lazily freed areas (%u pages) purged: their range is free again",
                              fn, ev->v[0], ev->v[1]);
    case VA_EV_VMAP_FAIL:
      return g_strdup_printf ("%s: no hole of %u KiB in the vmalloc window (largest %u KiB)", fn,
                              ev->v[0] >> 10, ev->v[1] >> 10);
    case VA_EV_KMALLOC_CLASS:
    case VA_EV_SLAB_NEW:
    case VA_EV_SLAB_OBJECT:
    case VA_EV_SLAB_OBJECT_FREE:
    case VA_EV_SLAB_DISCARD:
    case VA_EV_KMALLOC_LARGE:
      return describe_kmalloc (ev, fn);
    case VA_EV_PKMAP_LOWMEM:
    case VA_EV_PKMAP_HIT:
    case VA_EV_PKMAP_MAP:
    case VA_EV_PKMAP_CLEAR:
    case VA_EV_PKMAP_FLUSH:
    case VA_EV_PKMAP_PUT:
    case VA_EV_PKMAP_FULL:
      return describe_pkmap (ev, fn);
    case VA_EV_CMA_BITMAP:
      return g_strdup_printf ("%s: free bitmap range at offset %u: pfn %u-%u", fn, ev->v[0],
                              ev->pfn, ev->pfn2);
    case VA_EV_CMA_ISOLATE:
      return g_strdup_printf ("%s: pageblock at pfn %u is MIGRATE_ISOLATE; %u free pages moved "
                              "to the isolate lists", fn, ev->pfn, ev->v[0]);
    case VA_EV_CMA_DRAIN:
      return g_strdup_printf ("%s: %s per-cpu lists drained back to the buddy lists", fn, zone);
    case VA_EV_MIGRATE:
      return g_strdup_printf ("%s: movable order-%u block at pfn %u migrated to pfn %u", fn,
                              ev->order, ev->pfn, ev->pfn2);
    case VA_EV_CMA_BUSY:
      return g_strdup_printf ("%s: pfn %u cannot be migrated: %s", fn, ev->pfn,
                              ev->v[1] ? "it is pinned" : "no page to migrate it to");
    case VA_EV_CMA_RETRY:
      return g_strdup_printf ("%s: -EBUSY; range restored, search again from bitmap offset %u",
                              fn, ev->v[0]);
    case VA_EV_CMA_TAKE:
      return g_strdup_printf ("%s: pfn %u-%u taken out of the buddy lists", fn, ev->pfn, ev->pfn2);
    case VA_EV_CMA_UNISOLATE:
      return g_strdup_printf ("%s: pageblock at pfn %u back to %s", fn, ev->pfn,
                              va_migratetype_name (ev->mt2));
    case VA_EV_CMA_RELEASE:
      return g_strdup_printf ("%s: pfn %u-%u given back to the buddy allocator", fn, ev->pfn, ev->pfn2);
    case VA_EV_N_TYPES:
    default:
      return g_strdup ("?");
    }
}

/* Every recorded event, one per line, ops introduced by their number. */
char *
va_event_format_all (const GArray *events,
                     gboolean      has_migratetypes)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      const VaEvent *ev = &g_array_index (events, VaEvent, i);
      g_autofree char *line = va_event_describe (ev, has_migratetypes);

      g_string_append_printf (s, ev->type == VA_EV_OP_BEGIN ? "%s\n" : "  %s\n", line);
    }
  return g_string_free (s, FALSE);
}
