/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The buddy allocator's free lists: split, merge and (6.1) migrate-type
 * fallback, as mm/page_alloc.c of each profile does them. */
#define G_LOG_DOMAIN "va-buddy"

#include "va-buddy.h"

/* The two entry points every allocation and free goes through take their
 * steps (del_page_from_free_list(), expand(), add_to_free_list()) inline:
 * out of line, each step's call costs as much as the step. */
#if defined (__GNUC__)
#define VA_FLATTEN __attribute__ ((flatten))
#else
#define VA_FLATTEN
#endif

/*** Free-area bookkeeping ***/

/* NR_FREE_PAGES leaves out isolated pages (6.1 set_migratetype_isolate
 * subtracts them); NR_FREE_CMA_PAGES counts the CMA lists. */
static void
account_free (VaZone *zone,
              guint   mt,
              gint64  nr_pages)
{
  if (mt != VA_MT_ISOLATE)
    zone->free += nr_pages;
  if (mt == VA_MT_CMA)
    zone->free_cma += nr_pages;
}

/* models mm/page_alloc.c: add_to_free_list() / add_to_free_list_tail() */
void
va_add_to_free_list (VaMachine *m,
                     VaZone    *zone,
                     guint32    pfn,
                     guint      order,
                     guint      mt,
                     gboolean   tail,
                     VaKernelFn fn)
{
  VaPage *p = va_page (m, pfn);
  VaFreeArea *area = &zone->free_area[order];

  p->state = VA_PAGE_FREE;
  p->order = order;
  p->list_mt = mt;
  p->owner = VA_OWNER_NONE;
  p->flags = 0;
  if (tail)
    va_list_add_tail_page (m, &area->free_list[mt], pfn, p);
  else
    va_list_add_head_page (m, &area->free_list[mt], pfn, p);
  area->nr_free++;
  account_free (zone, mt, (gint64) 1 << order);
  va_emit (m, tail ? VA_EV_LIST_ADD_TAIL : VA_EV_LIST_ADD_HEAD, fn, zone->type, order, mt, 0,
           pfn, 0, area->free_list[mt].count, 0, 0);
}

/* models mm/page_alloc.c: del_page_from_free_list() */
void
va_del_from_free_list (VaMachine *m,
                       VaZone    *zone,
                       guint32    pfn,
                       VaKernelFn fn)
{
  VaPage *p = va_page (m, pfn);
  VaFreeArea *area = &zone->free_area[p->order];

  g_assert (p->state == VA_PAGE_FREE);
  va_list_del_page (m, &area->free_list[p->list_mt], p);
  area->nr_free--;
  account_free (zone, p->list_mt, -((gint64) 1 << p->order));
  va_emit (m, VA_EV_LIST_DEL, fn, zone->type, p->order, p->list_mt, 0, pfn, 0, 0, 0, 0);
}

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

/*** Split ***/

/* models mm/page_alloc.c: expand()
 * 2.6.9 and 6.1 put the upper half page[size] on the smaller list and keep
 * splitting the lower half, so the block's first frame is handed out.
 * 2.4 puts the lower half on the list and walks into the upper half, so it
 * hands out the last frame (an order-3 block at P serving order 0 gives P+7). */
guint32
va_expand (VaMachine *m,
           VaZone    *zone,
           guint32    pfn,
           guint      low,
           guint      high,
           guint      mt)
{
  guint32 size = 1u << high;
  gboolean top = m->profile->split_returns_top;

  while (high > low)
    {
      guint32 freed;

      high--;
      size >>= 1;
      freed = top ? pfn : pfn + size;
      /* pfn: the block split; pfn2: the half put on a list; v0: the half kept */
      va_emit (m, VA_EV_SPLIT, VA_FN_EXPAND, zone->type, high, mt, 0,
               pfn, freed, top ? pfn + size : pfn, 0, 0);
      va_add_to_free_list (m, zone, freed, high, mt, FALSE, VA_FN_EXPAND);
      if (top)
        pfn += size;
    }
  return pfn;
}

/* models mm/page_alloc.c: __rmqueue_smallest() (6.1), __rmqueue() (2.6.9),
 * rmqueue() (2.4): the head of the first non-empty list from @order up. */
VA_FLATTEN guint32
va_rmqueue_smallest (VaMachine *m,
                     VaZone    *zone,
                     guint      order,
                     guint      mt)
{
  for (guint current = order; current < m->profile->max_order; current++)
    {
      guint32 pfn = zone->free_area[current].free_list[mt].head;
      VaPage *page;

      if (pfn == VA_PFN_NONE)
        continue;
      va_del_from_free_list (m, zone, pfn, m->profile->has_migratetypes ? VA_FN_RMQUEUE_SMALLEST
                                                                       : VA_FN_RMQUEUE);
      pfn = va_expand (m, zone, pfn, order, current, mt);
      page = va_page (m, pfn);
      /* set_pcppage_migratetype(): remember the list it came from */
      page->list_mt = mt;
      page->order = order;
      return pfn;
    }
  return VA_PFN_NONE;
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

/*** Free and merge ***/

/* models mm/page_alloc.c: buddy_merge_likely() (6.1) */
static gboolean
buddy_merge_likely (const VaMachine *m,
                    const VaZone    *zone,
                    guint32          pfn,
                    guint32          buddy_pfn,
                    guint            order)
{
  guint32 higher;

  if (order >= m->profile->max_order - 2)
    return FALSE;
  higher = buddy_pfn & pfn;
  return va_page_is_buddy (m, zone, va_buddy_pfn (m, zone, higher, order + 1), order + 1);
}

static VaKernelFn
free_fn (const VaMachine *m)
{
  static const VaKernelFn fns[] = {
    [VA_GEN_2_4] = VA_FN_FREE_PAGES_OK,
    [VA_GEN_2_6] = VA_FN_FREE_PAGES_BULK,
    [VA_GEN_6_1] = VA_FN_FREE_ONE_PAGE,
  };
  return fns[m->profile->gen];
}

/* models mm/page_alloc.c: __free_one_page() (6.1), __free_pages_bulk()
 * (2.6.9), __free_pages_ok() (2.4).  Merge with the buddy while it is free,
 * then put the block on its list: at the head in 2.4/2.6.9; in 6.1 at the
 * tail when the caller asks (FPI_TO_TAIL) or a further merge is likely. */
VA_FLATTEN void
va_free_one_page (VaMachine *m,
                  VaZone    *zone,
                  guint32    pfn,
                  guint      order,
                  guint      mt,
                  gboolean   to_tail)
{
  const gboolean modern = m->profile->gen == VA_GEN_6_1;
  guint32 buddy_pfn = pfn;

  va_page (m, pfn)->state = VA_PAGE_TAIL;
  while (order < m->profile->max_order - 1)
    {
      buddy_pfn = va_buddy_pfn (m, zone, pfn, order);
      if (!va_page_is_buddy (m, zone, buddy_pfn, order))
        break;
      if (modern && order >= m->pageblock_order)
        {
          /* No merging between pageblocks without fallbacks (ISOLATE, CMA,
           * HIGHATOMIC) and normal ones: it would break their accounting. */
          guint buddy_mt = va_machine_pageblock_mt (m, buddy_pfn);

          if (mt != buddy_mt && (!va_migratetype_is_mergeable (mt) ||
                                 !va_migratetype_is_mergeable (buddy_mt)))
            break;
        }
      va_del_from_free_list (m, zone, buddy_pfn, free_fn (m));
      va_page (m, buddy_pfn)->state = VA_PAGE_TAIL;
      va_emit (m, VA_EV_MERGE, free_fn (m), zone->type, order, mt, 0, pfn, buddy_pfn, 0, 0, 0);
      pfn = MIN (pfn, buddy_pfn);
      order++;
    }
  if (modern && !to_tail)
    to_tail = buddy_merge_likely (m, zone, pfn, buddy_pfn, order);
  va_add_to_free_list (m, zone, pfn, order, mt, modern && to_tail, free_fn (m));
}
