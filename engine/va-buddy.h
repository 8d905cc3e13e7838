/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

/* ALLOC_* flags of 6.1 mm/internal.h that the buddy layer reads. */
#define VA_AF_WMARK_MIN   0x00
#define VA_AF_WMARK_LOW   0x01
#define VA_AF_WMARK_HIGH  0x02
#define VA_AF_WMARK_MASK  0x03
#define VA_AF_HARDER      0x10
#define VA_AF_HIGH        0x20
#define VA_AF_CMA         0x80
#define VA_AF_KSWAPD      0x800

void     va_move_to_free_list    (VaMachine *m,
                                  VaZone    *zone,
                                  guint32    pfn,
                                  guint      mt);
guint32  va_rmqueue              (VaMachine *m,
                                  VaZone    *zone,
                                  guint      order,
                                  guint      mt,
                                  guint      alloc_flags);
guint    va_move_freepages_block (VaMachine *m,
                                  VaZone    *zone,
                                  guint32    pfn,
                                  guint      mt,
                                  guint     *num_movable);
void     va_set_pageblock_migratetype (VaMachine *m,
                                       guint32    pfn,
                                       guint      mt,
                                       VaKernelFn fn);

static inline gboolean
va_migratetype_is_mergeable (guint mt)
{
  return mt < VA_MT_PCPTYPES;
}

/* Inline: every free runs them at each order it merges. */

static inline guint32
va_buddy_pfn (const VaMachine *m,
              const VaZone    *zone,
              guint32          pfn,
              guint            order)
{
  guint32 base = m->profile->buddy_index_zone_relative ? zone->start_pfn : 0;

  return base + ((pfn - base) ^ (1u << order));
}

/* models mm/page_alloc.c: page_is_buddy(): the buddy is a free block head
 * (PageBuddy) of the same order in the same zone.  2.4/2.6.9 test a bit
 * of free_area[order].map instead; the bit is set exactly when this holds. */
static inline gboolean
va_page_is_buddy (const VaMachine *m,
                  const VaZone    *zone,
                  guint32          pfn,
                  guint            order)
{
  const VaPage *p;

  if (!va_zone_contains (zone, pfn))
    return FALSE;
  p = &m->pages[pfn];
  return p->state == VA_PAGE_FREE && p->order == order;
}

/*** Inline: the steps every allocation and free runs ***/

/* __rmqueue_smallest() and __free_one_page() with their steps
 * (del_page_from_free_list(), expand(), add_to_free_list()) are inline in
 * their callers, the per-profile __alloc_pages() and __free_pages() above
 * all: out of line, each step's call costs as much as the step.  Callers
 * that run them rarely (CMA, boot) get a copy too; that is their whole
 * cost. */

/* NR_FREE_PAGES leaves out isolated pages (6.1 set_migratetype_isolate
 * subtracts them); NR_FREE_CMA_PAGES counts the CMA lists. */
static G_ALWAYS_INLINE inline void
va_account_free (VaZone *zone,
                 guint   mt,
                 gint64  nr_pages)
{
  if (mt != VA_MT_ISOLATE)
    zone->free += nr_pages;
  if (mt == VA_MT_CMA)
    zone->free_cma += nr_pages;
}

/* models mm/page_alloc.c: add_to_free_list() / add_to_free_list_tail() */
static G_ALWAYS_INLINE inline void
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
  va_account_free (zone, mt, (gint64) 1 << order);
  va_emit (m, tail ? VA_EV_LIST_ADD_TAIL : VA_EV_LIST_ADD_HEAD, fn, zone->type, order, mt, 0,
           pfn, 0, area->free_list[mt].count, 0, 0);
}

/* models mm/page_alloc.c: del_page_from_free_list() */
static G_ALWAYS_INLINE inline void
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
  va_account_free (zone, p->list_mt, -((gint64) 1 << p->order));
  va_emit (m, VA_EV_LIST_DEL, fn, zone->type, p->order, p->list_mt, 0, pfn, 0, 0, 0, 0);
}

/* models mm/page_alloc.c: expand()
 * 2.6.9 and 6.1 put the upper half page[size] on the smaller list and keep
 * splitting the lower half, so the block's first frame is handed out.
 * 2.4 puts the lower half on the list and walks into the upper half, so it
 * hands out the last frame (an order-3 block at P serving order 0 gives P+7). */
static G_ALWAYS_INLINE inline guint32
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

/* The function each generation's buddy allocation is named after. */
static inline VaKernelFn
va_rmqueue_fn (VaGeneration gen)
{
  return gen == VA_GEN_6_1 ? VA_FN_RMQUEUE_SMALLEST : VA_FN_RMQUEUE;
}

/* models mm/page_alloc.c: __rmqueue_smallest() (6.1), __rmqueue() (2.6.9),
 * rmqueue() (2.4): the head of the first non-empty list from @order up.
 * @gen is m->profile->gen, a constant where the caller knows it. */
static G_ALWAYS_INLINE inline guint32
va_rmqueue_smallest_gen (VaMachine   *m,
                         VaZone      *zone,
                         guint        order,
                         guint        mt,
                         VaGeneration gen)
{
  const guint max_order = m->profile->max_order;

  for (guint current = order; current < max_order; current++)
    {
      guint32 pfn = zone->free_area[current].free_list[mt].head;
      VaPage *page;

      if (pfn == VA_PFN_NONE)
        continue;
      va_del_from_free_list (m, zone, pfn, va_rmqueue_fn (gen));
      pfn = va_expand (m, zone, pfn, order, current, mt);
      page = va_page (m, pfn);
      /* set_pcppage_migratetype(): remember the list it came from */
      page->list_mt = mt;
      page->order = order;
      return pfn;
    }
  return VA_PFN_NONE;
}

/* __rmqueue_smallest() of the machine's generation. */
static G_ALWAYS_INLINE inline guint32
va_rmqueue_smallest (VaMachine *m,
                     VaZone    *zone,
                     guint      order,
                     guint      mt)
{
  return va_rmqueue_smallest_gen (m, zone, order, mt, m->profile->gen);
}

/* models mm/page_alloc.c: buddy_merge_likely() (6.1) */
static inline gboolean
va_buddy_merge_likely (const VaMachine *m,
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

/* The function each generation's free path is named after. */
static inline VaKernelFn
va_free_fn (VaGeneration gen)
{
  switch (gen)
    {
    case VA_GEN_2_4: return VA_FN_FREE_PAGES_OK;
    case VA_GEN_2_6: return VA_FN_FREE_PAGES_BULK;
    case VA_GEN_6_1:
    default:         return VA_FN_FREE_ONE_PAGE;
    }
}

/* models mm/page_alloc.c: __free_one_page() (6.1), __free_pages_bulk()
 * (2.6.9), __free_pages_ok() (2.4).  Merge with the buddy while it is free,
 * then put the block on its list: at the head in 2.4/2.6.9; in 6.1 at the
 * tail when the caller asks (FPI_TO_TAIL) or a further merge is likely.
 * @gen is m->profile->gen; callers that know it pass it as a constant
 * (the profile's free path, dispatched once per op), and the generation's
 * tests fold away. */
static G_ALWAYS_INLINE inline void
va_free_one_page_gen (VaMachine   *m,
                      VaZone      *zone,
                      guint32      pfn,
                      guint        order,
                      guint        mt,
                      gboolean     to_tail,
                      VaGeneration gen)
{
  const gboolean modern = gen == VA_GEN_6_1;
  const VaKernelFn fn = va_free_fn (gen);
  /* Read once: as far as the compiler knows, every frame written below
   * could change the profile. */
  const guint max_order = m->profile->max_order;
  guint32 buddy_pfn = pfn;

  va_page (m, pfn)->state = VA_PAGE_TAIL;
  while (order < max_order - 1)
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
      va_del_from_free_list (m, zone, buddy_pfn, fn);
      va_page (m, buddy_pfn)->state = VA_PAGE_TAIL;
      va_emit (m, VA_EV_MERGE, fn, zone->type, order, mt, 0, pfn, buddy_pfn, 0, 0, 0);
      pfn = MIN (pfn, buddy_pfn);
      order++;
    }
  if (modern && !to_tail)
    to_tail = va_buddy_merge_likely (m, zone, pfn, buddy_pfn, order);
  va_add_to_free_list (m, zone, pfn, order, mt, modern && to_tail, fn);
}

/* __free_one_page() of the machine's generation. */
static G_ALWAYS_INLINE inline void
va_free_one_page (VaMachine *m,
                  VaZone    *zone,
                  guint32    pfn,
                  guint      order,
                  guint      mt,
                  gboolean   to_tail)
{
  va_free_one_page_gen (m, zone, pfn, order, mt, to_tail, m->profile->gen);
}

G_END_DECLS
