/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-CPU page lists: 2.6.9's hot/cold order-0 lists and 6.1's lists per
 * migrate type and order.  Pages on them are out of the buddy lists, so
 * buddyinfo does not count them and they cannot merge. */
#define G_LOG_DOMAIN "va-pcp"

#include "va-pcp.h"
#include "va-buddy.h"

/*** 2.6.9 ***/

/* models mm/page_alloc.c: rmqueue_bulk() (2.6.9): @count order-0 pages
 * from the buddy lists to the tail of the pcp list. */
static guint
rmqueue_bulk_26 (VaMachine *m,
                 VaZone    *zone,
                 VaList    *list,
                 guint      count)
{
  guint i;

  for (i = 0; i < count; i++)
    {
      guint32 pfn = va_rmqueue_smallest_gen (m, zone, 0, 0, VA_GEN_2_6);

      if (pfn == VA_PFN_NONE)
        break;
      va_pcp_add (m, list, pfn, va_page (m, pfn), 0, TRUE);
    }
  va_emit (m, VA_EV_PCP_REFILL, VA_FN_RMQUEUE_BULK, zone->type, 0, 0, 0, 0, 0, i, 0, 0);
  return i;
}

/* models mm/page_alloc.c: free_pages_bulk() (2.6.9): @count pages from the
 * tail of the pcp list back to the buddy allocator. */
static guint
free_pages_bulk_26 (VaMachine *m,
                    VaZone    *zone,
                    VaList    *list,
                    guint      count)
{
  guint i;

  for (i = 0; i < count && list->tail != VA_PFN_NONE; i++)
    {
      guint32 pfn = list->tail;

      va_list_del (m, list, pfn);
      va_free_one_page_gen (m, zone, pfn, 0, 0, FALSE, VA_GEN_2_6);
    }
  va_emit (m, VA_EV_PCP_DRAIN, VA_FN_FREE_PAGES_BULK, zone->type, 0, 0, 0, 0, 0, i, 0, 0);
  return i;
}

/* The refill of va_buffered_rmqueue_pcp(): the list is at or below its
 * low mark. */
void
va_pcp_refill_26 (VaMachine *m,
                  VaZone    *zone,
                  gboolean   cold)
{
  VaPcp *pcp = &zone->pcp[VA_PCP_CPU];

  pcp->count[cold] += rmqueue_bulk_26 (m, zone, &pcp->lists[cold], pcp->batch);
}

/* The drain of va_free_hot_cold_page(): the list is at its high mark. */
void
va_pcp_drain_26 (VaMachine *m,
                 VaZone    *zone,
                 gboolean   cold)
{
  VaPcp *pcp = &zone->pcp[VA_PCP_CPU];

  pcp->count[cold] -= free_pages_bulk_26 (m, zone, &pcp->lists[cold], pcp->batch);
}

/*** 6.1 ***/

/* models mm/page_alloc.c: free_pcppages_bulk() (6.1): round-robin over the
 * lists starting with @pindex, each drained from its tail. */
static void
free_pcppages_bulk (VaMachine *m,
                    VaZone    *zone,
                    VaPcp     *pcp,
                    gint       count,
                    guint      pindex)
{
  gint freed = 0;

  count = MIN (pcp->count[0], count);
  pindex = pindex == 0 ? VA_PCP_NR_LISTS - 1 : pindex - 1;
  while (count > 0)
    {
      VaList *list;
      guint order;

      do
        {
          if (++pindex > VA_PCP_NR_LISTS - 1)
            pindex = 0;
          list = &pcp->lists[pindex];
        }
      while (list->head == VA_PFN_NONE);
      order = pindex / VA_MT_PCPTYPES;
      do
        {
          guint32 pfn = list->tail;
          VaPage *p = va_page (m, pfn);
          guint mt = p->list_mt;

          /* a pageblock may have been isolated meanwhile */
          if (G_UNLIKELY (m->nr_isolated_pageblocks))
            mt = va_machine_pageblock_mt (m, pfn);

          va_list_del_page (m, list, p);
          count -= 1 << order;
          pcp->count[0] -= 1 << order;
          freed += 1 << order;
          va_free_one_page_gen (m, zone, pfn, order, mt, FALSE, VA_GEN_6_1);
        }
      while (count > 0 && list->head != VA_PFN_NONE);
    }
  va_emit (m, VA_EV_PCP_DRAIN, VA_FN_FREE_PCPPAGES_BULK, zone->type, 0, 0, 0, 0, 0, freed, 0, 0);
}

/* models mm/page_alloc.c: drain_all_pages() → drain_pages_zone() (6.1):
 * every CPU's lists of @zone back to the buddy allocator. */
void
va_pcp_drain_zone (VaMachine *m,
                   VaZone    *zone)
{
  if (m->profile->pcp != VA_PCP_LISTS)
    return;
  for (guint c = 0; c < m->config.cpus; c++)
    if (zone->pcp[c].count[0])
      free_pcppages_bulk (m, zone, &zone->pcp[c], zone->pcp[c].count[0], 0);
}

/* models mm/page_alloc.c: nr_pcp_free() (6.1) */
static gint
nr_pcp_free (VaPcp    *pcp,
             gint      high,
             gint      batch,
             gboolean  free_high)
{
  gint min_nr_free, max_nr_free;

  if (free_high)
    return pcp->count[0];
  if (high < batch)
    return 1;
  min_nr_free = batch;
  max_nr_free = high - batch;
  batch <<= pcp->free_factor;
  if (batch < max_nr_free)
    pcp->free_factor++;
  return CLAMP (batch, min_nr_free, max_nr_free);
}

/* The end of free_unref_page_commit() (6.1) once the count reached
 * @high: free nr_pcp_free() pages starting with the list freed to. */
void
va_pcp_commit_drain (VaMachine *m,
                     VaZone    *zone,
                     gint       high,
                     gboolean   free_high,
                     guint      pindex)
{
  VaPcp *pcp = &zone->pcp[VA_PCP_CPU];

  free_pcppages_bulk (m, zone, pcp, nr_pcp_free (pcp, high, pcp->batch, free_high), pindex);
}

/* models mm/page_alloc.c: rmqueue_bulk() (6.1) */
static guint
rmqueue_bulk_61 (VaMachine *m,
                 VaZone    *zone,
                 guint      order,
                 guint      count,
                 VaList    *list,
                 guint      mt,
                 guint      alloc_flags)
{
  guint i;

  for (i = 0; i < count; i++)
    {
      guint32 pfn = va_rmqueue (m, zone, order, mt, alloc_flags);

      if (pfn == VA_PFN_NONE)
        break;
      /* the block keeps the list_mt __rmqueue() gave it: pcp_add() leaves it */
      va_pcp_add (m, list, pfn, va_page (m, pfn), order, TRUE);
    }
  va_emit (m, VA_EV_PCP_REFILL, VA_FN_RMQUEUE_BULK, zone->type, order, mt, 0, 0, 0, i, 0, 0);
  return i;
}

/* The refill of va_rmqueue_pcplist() (6.1): the list is empty.  Returns
 * whether it has a block now. */
gboolean
va_pcp_refill_61 (VaMachine *m,
                  VaZone    *zone,
                  guint      order,
                  guint      mt,
                  guint      alloc_flags)
{
  VaPcp *pcp = &zone->pcp[VA_PCP_CPU];
  VaList *list = &pcp->lists[va_pcp_index (mt, order)];
  gint batch = pcp->batch;

  /* Scale the refill to the order when the batch lets pages stay on the list. */
  if (batch > 1)
    batch = MAX (batch >> order, 2);
  pcp->count[0] += rmqueue_bulk_61 (m, zone, order, batch, list, mt, alloc_flags) << order;
  return list->head != VA_PFN_NONE;
}

void
va_pcp_free (VaMachine *m,
             VaZone    *zone,
             guint32    pfn,
             guint      order,
             gboolean   cold)
{
  if (m->profile->pcp == VA_PCP_HOT_COLD)
    va_free_hot_cold_page (m, zone, pfn, va_page (m, pfn), cold);
  else
    va_free_unref_page (m, zone, pfn, va_page (m, pfn), order);
}

/* models mm/page_alloc.c: zone_batchsize() of each profile */
void
va_pcp_setup_batch (VaMachine *m,
                    VaZone    *zone)
{
  gint batch;

  if (m->profile->pcp == VA_PCP_HOT_COLD)
    {
      /* 2.6.9 free_area_init_core(): present/1024, at most 256 KiB, /4, >= 1 */
      batch = MIN (zone->present / 1024, (256 * 1024) / VA_PAGE_SIZE) / 4;
      batch = MAX (batch, 1);
      for (guint c = 0; c < VA_MAX_CPUS; c++)
        {
          VaPcp *pcp = &zone->pcp[c];

          pcp->batch = batch;
          pcp->low[0] = 2 * batch;
          pcp->high[0] = 6 * batch;
          pcp->low[1] = 0;
          pcp->high[1] = 2 * batch;
        }
      return;
    }
  /* 6.1: managed/1024 capped at 1 MiB of pages, /4, then 2^n - 1; at least 1
   * (zone_set_pageset_high_and_batch() takes max(1, zone_batchsize())). */
  batch = MIN (zone->managed >> 10, (1024 * 1024) / VA_PAGE_SIZE) / 4;
  batch = MAX (batch, 1);
  batch = (gint) (1u << g_bit_nth_msf (batch + batch / 2, -1)) - 1;
  batch = MAX (batch, 1);
  for (guint c = 0; c < VA_MAX_CPUS; c++)
    zone->pcp[c].batch = batch;
}

/* models mm/page_alloc.c: zone_highsize() (6.1): the low watermark split
 * between the node's CPUs, at least 4 batches. */
void
va_pcp_setup_high (VaMachine *m,
                   VaZone    *zone)
{
  gint high;

  if (m->profile->pcp != VA_PCP_LISTS)
    return;
  high = zone->wmark_low / m->config.cpus;
  high = MAX (high, zone->pcp[0].batch << 2);
  for (guint c = 0; c < VA_MAX_CPUS; c++)
    zone->pcp[c].high[0] = high;
}

/* 6.1 boot_pageset: high 0, batch 1 — every free goes straight through. */
void
va_pcp_boot_pageset (VaMachine *m,
                     VaZone    *zone)
{
  for (guint c = 0; c < VA_MAX_CPUS; c++)
    {
      zone->pcp[c].high[0] = 0;
      zone->pcp[c].batch = 1;
    }
}
