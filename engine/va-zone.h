/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-types.h"

G_BEGIN_DECLS

/* A doubly linked list threaded through VaPage.next/prev by pfn. */
typedef struct {
  guint32 head;
  guint32 tail;
  guint32 count;          /* entries (blocks), not pages */
} VaList;

/* struct free_area: one list per migrate type (one list without grouping). */
typedef struct {
  VaList  free_list[VA_MT_TYPES];
  guint32 nr_free;        /* blocks on all lists of this order */
} VaFreeArea;

/* struct per_cpu_pages.  2.6.9 uses lists[0] hot and lists[1] cold, each
 * with its own count/low/high; 6.1 uses lists[order * 3 + mt] (order_to_pindex())
 * and one count. */
#define VA_PCP_NR_LISTS (VA_MT_PCPTYPES * 4)
typedef struct {
  VaList  lists[VA_PCP_NR_LISTS];
  gint32  count[2];       /* pages; 6.1 uses count[0] */
  gint32  low[2];
  gint32  high[2];
  gint32  batch;
  guint   free_factor;    /* 6.1 nr_pcp_free() doubling */
} VaPcp;

/* struct zone, reduced to what the allocator reads and writes. */
typedef struct {
  VaZoneType type;
  guint32    start_pfn;      /* zone_start_pfn */
  guint32    end_pfn;        /* exclusive */
  guint32    spanned;
  guint32    present;
  guint32    managed;        /* pages given to the buddy allocator at boot */
  guint32    free;           /* NR_FREE_PAGES / zone->free_pages: pages on buddy lists */
  guint32    free_cma;       /* NR_FREE_CMA_PAGES */
  guint32    cma_pages;
  guint32    wmark_min;
  guint32    wmark_low;
  guint32    wmark_high;
  guint32    wmark_boost;
  guint32    nr_reserved_highatomic;
  guint32    lowmem_reserve[VA_NR_ZONES];
  VaFreeArea free_area[VA_MAX_ORDER_LIMIT];
  VaPcp      pcp[VA_MAX_CPUS];
} VaZone;

static inline gboolean
va_zone_populated (const VaZone *zone)
{
  return zone->present > 0;
}

static inline gboolean
va_zone_contains (const VaZone *zone,
                  guint32       pfn)
{
  return pfn >= zone->start_pfn && pfn < zone->end_pfn;
}

G_END_DECLS
