/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-buddy.h"

G_BEGIN_DECLS

/* Frees to the per-cpu list of the profile (boot's frees). */
void     va_pcp_free          (VaMachine       *m,
                               VaZone          *zone,
                               guint32          pfn,
                               guint            order,
                               gboolean         cold);
void     va_pcp_drain_zone    (VaMachine       *m,
                               VaZone          *zone);
void     va_pcp_setup_batch   (VaMachine       *m,
                               VaZone          *zone);
void     va_pcp_setup_high    (VaMachine       *m,
                               VaZone          *zone);
void     va_pcp_boot_pageset  (VaMachine       *m,
                               VaZone          *zone);

/* The slow halves of the fast paths below (va-pcp.c). */
void     va_pcp_refill_26     (VaMachine       *m,
                               VaZone          *zone,
                               gboolean         cold);
void     va_pcp_drain_26      (VaMachine       *m,
                               VaZone          *zone,
                               gboolean         cold);
gboolean va_pcp_refill_61     (VaMachine       *m,
                               VaZone          *zone,
                               guint            order,
                               guint            mt,
                               guint            alloc_flags);
void     va_pcp_commit_drain  (VaMachine       *m,
                               VaZone          *zone,
                               gint             high,
                               gboolean         free_high,
                               guint            pindex);

#define VA_PCP_CPU 0   /* ops run on CPU 0; other CPUs' lists stay as boot left them */

static inline guint
va_pcp_index (guint mt,
              guint order)
{
  /* mm/page_alloc.c: order_to_pindex() */
  return order * VA_MT_PCPTYPES + mt;
}

/* models mm/page_alloc.c: pcp_allowed_order() (6.1); order 0 in 2.6.9.
 * Inline: every allocation and free asks, so the machine keeps the answer
 * as one number (va_machine_new()). */
static inline gboolean
va_pcp_allowed_order (const VaMachine *m,
                      guint            order)
{
  return (gint) order <= m->pcp_max_order;
}

/* The fast paths: every small allocation and free of 2.6.9 and 6.1 runs
 * one, so they are inline in va_alloc_pages() and va_free_pages(); the
 * refills and drains they sometimes need are not. */

/* Puts a block on a pcp list.  @p is its frame, already marked by the
 * caller (va_page()), who had it at hand: marking it again would cost a
 * mark per free. */
static G_ALWAYS_INLINE inline void
va_pcp_add (VaMachine *m,
            VaList    *list,
            guint32    pfn,
            VaPage    *p,
            guint      order,
            gboolean   tail)
{
  p->state = VA_PAGE_PCP;
  p->order = order;
  p->owner = VA_OWNER_NONE;
  if (tail)
    va_list_add_tail_page (m, list, pfn, p);
  else
    va_list_add_head_page (m, list, pfn, p);
}

/* Takes the head of a pcp list (list_first_entry() + list_del()). */
static G_ALWAYS_INLINE inline guint32
va_pcp_take_head (VaMachine *m,
                  VaList    *list)
{
  guint32 pfn = list->head;

  va_list_del_page (m, list, va_page (m, pfn));
  return pfn;
}

/* models mm/page_alloc.c: buffered_rmqueue() order-0 path (2.6.9) */
static inline guint32
va_buffered_rmqueue_pcp (VaMachine *m,
                         VaZone    *zone,
                         gboolean   cold)
{
  VaPcp *pcp = &zone->pcp[VA_PCP_CPU];
  VaList *list = &pcp->lists[cold];
  guint32 pfn;

  if (pcp->count[cold] <= pcp->low[cold])
    va_pcp_refill_26 (m, zone, cold);
  if (pcp->count[cold] == 0)
    return VA_PFN_NONE;
  pfn = va_pcp_take_head (m, list);
  pcp->count[cold]--;
  va_emit (m, VA_EV_PCP_TAKE, VA_FN_BUFFERED_RMQUEUE, zone->type, 0, 0, 0, pfn, 0,
           pcp->count[cold], cold, 0);
  return pfn;
}

/* models mm/page_alloc.c: free_hot_cold_page() (2.6.9); @p is the
 * frame of @pfn, marked */
static inline void
va_free_hot_cold_page (VaMachine *m,
                       VaZone    *zone,
                       guint32    pfn,
                       VaPage    *p,
                       gboolean   cold)
{
  VaPcp *pcp = &zone->pcp[VA_PCP_CPU];

  if (pcp->count[cold] >= pcp->high[cold])
    va_pcp_drain_26 (m, zone, cold);
  va_pcp_add (m, &pcp->lists[cold], pfn, p, 0, FALSE);
  pcp->count[cold]++;
  va_emit (m, VA_EV_PCP_ADD, VA_FN_FREE_HOT_COLD_PAGE, zone->type, 0, 0, 0, pfn, 0,
           pcp->count[cold], cold, 0);
}

/* models mm/page_alloc.c: rmqueue_pcplist() + __rmqueue_pcplist() (6.1) */
static inline guint32
va_rmqueue_pcplist (VaMachine *m,
                    VaZone    *zone,
                    guint      order,
                    guint      mt,
                    guint      alloc_flags)
{
  VaPcp *pcp = &zone->pcp[VA_PCP_CPU];
  VaList *list = &pcp->lists[va_pcp_index (mt, order)];
  guint32 pfn;

  pcp->free_factor >>= 1;
  if (G_UNLIKELY (list->head == VA_PFN_NONE) && !va_pcp_refill_61 (m, zone, order, mt, alloc_flags))
    return VA_PFN_NONE;
  pfn = va_pcp_take_head (m, list);
  pcp->count[0] -= 1 << order;
  va_emit (m, VA_EV_PCP_TAKE, VA_FN_RMQUEUE_PCPLIST, zone->type, order, mt, 0, pfn, 0,
           pcp->count[0], 0, 0);
  return pfn;
}

/* models mm/page_alloc.c: free_unref_page() + free_unref_page_commit() (6.1);
 * @p is the frame of @pfn, marked */
static inline void
va_free_unref_page (VaMachine *m,
                    VaZone    *zone,
                    guint32    pfn,
                    VaPage    *p,
                    guint      order)
{
  VaPcp *pcp = &zone->pcp[VA_PCP_CPU];
  guint mt = va_machine_pageblock_mt (m, pfn);
  guint list_mt = mt;
  guint pindex;
  gboolean free_high;
  gint high;

  if (G_UNLIKELY (mt >= VA_MT_PCPTYPES))
    {
      if (mt == VA_MT_ISOLATE)
        {
          va_free_one_page (m, zone, pfn, order, mt, FALSE);
          return;
        }
      list_mt = VA_MT_MOVABLE;   /* HIGHATOMIC and CMA ride on the movable list */
    }
  pindex = va_pcp_index (list_mt, order);
  va_pcp_add (m, &pcp->lists[pindex], pfn, p, order, FALSE);
  p->list_mt = mt;   /* set_pcppage_migratetype() */
  pcp->count[0] += 1 << order;
  va_emit (m, VA_EV_PCP_ADD, VA_FN_FREE_UNREF_PAGE, zone->type, order, list_mt, 0, pfn, 0,
           pcp->count[0], 0, 0);
  free_high = pcp->free_factor && order && order <= 3;
  high = (pcp->high[0] == 0 || free_high) ? 0 : pcp->high[0];
  if (pcp->count[0] >= high)
    va_pcp_commit_drain (m, zone, high, free_high, pindex);
}

G_END_DECLS
