/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The buddy allocator's free lists: split, merge and (6.1) migrate-type
 * fallback, as mm/page_alloc.c of each profile does them. */
#define G_LOG_DOMAIN "va-buddy"

#include "va-buddy.h"

/*** Free-area bookkeeping ***/

/* models mm/page_alloc.c: move_to_free_list() (list_move_tail) */
void
va_move_to_free_list (VaMachine *m,
                      VaZone    *zone,
                      guint32    pfn,
                      guint      mt)
{
  guint order = va_page (m, pfn)->order;

  va_del_from_free_list (m, zone, pfn, VA_FN_MOVE_FREEPAGES_BLOCK);
  va_add_to_free_list (m, zone, pfn, order, mt, TRUE, VA_FN_MOVE_FREEPAGES_BLOCK);
}

/*** 6.1 migrate-type fallback ***/

/* mm/page_alloc.c: fallbacks[] (6.1); VA_MT_TYPES ends a row. */
static const guint8 fallbacks[VA_MT_PCPTYPES][3] = {
  [VA_MT_UNMOVABLE]   = { VA_MT_RECLAIMABLE, VA_MT_MOVABLE,   VA_MT_TYPES },
  [VA_MT_MOVABLE]     = { VA_MT_RECLAIMABLE, VA_MT_UNMOVABLE, VA_MT_TYPES },
  [VA_MT_RECLAIMABLE] = { VA_MT_UNMOVABLE,   VA_MT_MOVABLE,   VA_MT_TYPES },
};

void
va_set_pageblock_migratetype (VaMachine *m,
                              guint32    pfn,
                              guint      mt,
                              VaKernelFn fn)
{
  guint idx = va_pageblock_index (m, pfn);
  guint old = m->pageblock_mt[idx];

  if (old == mt)
    return;
  m->pageblock_mt[idx] = mt;
  va_emit (m, VA_EV_PAGEBLOCK_RETYPE, fn, va_machine_pfn_zone (m, pfn), m->pageblock_order,
           old, mt, idx << m->pageblock_order, 0, 0, 0, 0);
}

/* models mm/page_alloc.c: can_steal_fallback() */
static gboolean
can_steal_fallback (const VaMachine *m,
                    guint            order,
                    guint            start_mt)
{
  if (order >= m->pageblock_order)
    return TRUE;
  return order >= m->pageblock_order / 2 ||
         start_mt == VA_MT_RECLAIMABLE || start_mt == VA_MT_UNMOVABLE;
}

/* models mm/page_alloc.c: find_suitable_fallback() */
static gint
find_suitable_fallback (const VaMachine *m,
                        const VaZone    *zone,
                        guint            order,
                        guint            mt,
                        gboolean        *can_steal)
{
  const VaFreeArea *area = &zone->free_area[order];

  if (area->nr_free == 0)
    return -1;
  *can_steal = FALSE;
  for (guint i = 0; fallbacks[mt][i] != VA_MT_TYPES; i++)
    {
      guint fallback_mt = fallbacks[mt][i];

      if (area->free_list[fallback_mt].head == VA_PFN_NONE)
        continue;
      if (can_steal_fallback (m, order, mt))
        *can_steal = TRUE;
      return fallback_mt;
    }
  return -1;
}

/* models mm/page_alloc.c: move_freepages_block() + move_freepages():
 * every free block of the pageblock goes to @mt's lists (tail); in-use
 * movable pages are counted.  Returns the free pages moved, 0 when the
 * pageblock crosses the zone's end. */
guint
va_move_freepages_block (VaMachine *m,
                         VaZone    *zone,
                         guint32    pfn,
                         guint      mt,
                         guint     *num_movable)
{
  guint32 nr = 1u << m->pageblock_order;
  guint32 start = pfn & ~(nr - 1);
  guint32 end = start + nr - 1;
  guint moved = 0;

  if (num_movable)
    *num_movable = 0;
  if (!va_zone_contains (zone, start))
    start = pfn;
  if (!va_zone_contains (zone, end))
    return 0;
  for (guint32 p = start; p <= end;)
    {
      VaPage *page = va_page (m, p);

      if (page->state == VA_PAGE_FREE)
        {
          guint order = page->order;

          va_move_to_free_list (m, zone, p, mt);
          moved += 1u << order;
          p += 1u << order;
        }
      else if (page->state == VA_PAGE_ALLOCATED && (page->flags & VA_PAGE_F_MOVABLE))
        {
          if (num_movable)
            *num_movable += 1u << page->order;
          p += 1u << page->order;
        }
      else
        p++;
    }
  return moved;
}

/* models mm/page_alloc.c: boost_watermark() (watermark_boost_factor 15000) */
static gboolean
boost_watermark (VaMachine *m,
                 VaZone    *zone)
{
  guint32 nr = 1u << m->pageblock_order;
  guint64 max_boost;

  if (nr * 4 > zone->managed)
    return FALSE;
  max_boost = (guint64) zone->wmark_high * 15000 / 10000;
  if (max_boost == 0)
    return FALSE;
  max_boost = MAX (nr, max_boost);
  zone->wmark_boost = MIN (zone->wmark_boost + nr, max_boost);
  m->wmark_boosted = TRUE;
  va_emit (m, VA_EV_BOOST, VA_FN_BOOST_WATERMARK, zone->type, 0, 0, 0, 0, 0,
           zone->wmark_boost, (guint32) max_boost, 0);
  return TRUE;
}

/* models mm/page_alloc.c: steal_suitable_fallback() */
static void
steal_suitable_fallback (VaMachine *m,
                         VaZone    *zone,
                         guint32    pfn,
                         guint      start_mt,
                         gboolean   whole_block)
{
  guint order = va_page (m, pfn)->order;
  guint old_mt = va_machine_pageblock_mt (m, pfn);
  guint free_pages, movable_pages, alike_pages;

  if (old_mt == VA_MT_HIGHATOMIC)
    goto single_page;
  if (order >= m->pageblock_order)
    {
      /* change_pageblock_range(): the whole block range changes owner */
      for (guint32 b = 0; b < (1u << (order - m->pageblock_order)); b++)
        va_set_pageblock_migratetype (m, pfn + (b << m->pageblock_order), start_mt,
                                      VA_FN_STEAL_SUITABLE_FALLBACK);
      goto single_page;
    }
  boost_watermark (m, zone);
  if (!whole_block)
    goto single_page;
  free_pages = va_move_freepages_block (m, zone, pfn, start_mt, &movable_pages);
  if (!free_pages)
    goto single_page;
  if (start_mt == VA_MT_MOVABLE)
    alike_pages = movable_pages;
  else if (old_mt == VA_MT_MOVABLE)
    alike_pages = (1u << m->pageblock_order) - (free_pages + movable_pages);
  else
    alike_pages = 0;
  if (free_pages + alike_pages >= (1u << (m->pageblock_order - 1)))
    va_set_pageblock_migratetype (m, pfn, start_mt, VA_FN_STEAL_SUITABLE_FALLBACK);
  return;

single_page:
  va_move_to_free_list (m, zone, pfn, start_mt);
}

/* models mm/page_alloc.c: __rmqueue_fallback(): the largest block on a
 * fallback list, or the smallest when a movable request cannot steal. */
static gboolean
rmqueue_fallback (VaMachine *m,
                  VaZone    *zone,
                  guint      order,
                  guint      start_mt)
{
  gboolean can_steal = FALSE;
  gint fallback_mt = -1;
  gint current;

  for (current = m->profile->max_order - 1; current >= (gint) order; current--)
    {
      fallback_mt = find_suitable_fallback (m, zone, current, start_mt, &can_steal);
      if (fallback_mt == -1)
        continue;
      if (!can_steal && start_mt == VA_MT_MOVABLE && current > (gint) order)
        goto find_smallest;
      goto do_steal;
    }
  return FALSE;

find_smallest:
  for (current = order; current < (gint) m->profile->max_order; current++)
    {
      fallback_mt = find_suitable_fallback (m, zone, current, start_mt, &can_steal);
      if (fallback_mt != -1)
        break;
    }
  g_assert (current < (gint) m->profile->max_order);

do_steal:
  {
    guint32 pfn = zone->free_area[current].free_list[fallback_mt].head;

    va_emit (m, VA_EV_STEAL, VA_FN_RMQUEUE_FALLBACK, zone->type, current, fallback_mt,
             start_mt, pfn, 0, can_steal, 0, 0);
    steal_suitable_fallback (m, zone, pfn, start_mt, can_steal);
  }
  return TRUE;
}

/* models mm/page_alloc.c: __rmqueue_cma_fallback() */
static guint32
rmqueue_cma_fallback (VaMachine *m,
                      VaZone    *zone,
                      guint      order)
{
  return va_rmqueue_smallest (m, zone, order, VA_MT_CMA);
}

/* models mm/page_alloc.c: __rmqueue() (6.1); plain list search before
 * mobility grouping. */
guint32
va_rmqueue (VaMachine *m,
            VaZone    *zone,
            guint      order,
            guint      mt,
            guint      alloc_flags)
{
  guint32 pfn;

  if (!m->profile->has_migratetypes)
    return va_rmqueue_smallest (m, zone, order, 0);
  /* Balance movable allocations between regular and CMA areas by
   * allocating from CMA when over half of the zone's free memory is there. */
  if ((alloc_flags & VA_AF_CMA) && zone->free_cma > zone->free / 2)
    {
      pfn = rmqueue_cma_fallback (m, zone, order);
      if (pfn != VA_PFN_NONE)
        return pfn;
    }
  for (;;)
    {
      pfn = va_rmqueue_smallest (m, zone, order, mt);
      if (pfn != VA_PFN_NONE)
        return pfn;
      if (alloc_flags & VA_AF_CMA)
        {
          pfn = rmqueue_cma_fallback (m, zone, order);
          if (pfn != VA_PFN_NONE)
            return pfn;
        }
      if (!rmqueue_fallback (m, zone, order, mt))
        return VA_PFN_NONE;
    }
}
