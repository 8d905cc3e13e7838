/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-check"

#include "va-check.h"
#include "va-buddy.h"
#include "va-cma.h"
#include "va-kmalloc.h"
#include "va-kmap.h"
#include "va-vmalloc.h"

#define FAIL(...) G_STMT_START { \
    g_set_error (error, VA_ERROR, VA_ERROR_STATE, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

/* Every entry of one free list: a free head of this order and type, aligned,
 * inside the zone; the walk length equals the list's count. */
static gboolean
check_free_list (VaMachine    *m,
                 const VaZone *zone,
                 guint         order,
                 guint         mt,
                 guint64      *pages,
                 guint64      *blocks,
                 GError      **error)
{
  const VaList *list = &zone->free_area[order].free_list[mt];
  guint32 base = m->profile->buddy_index_zone_relative ? zone->start_pfn : 0;
  guint32 n = 0, prev = VA_PFN_NONE;

  for (guint32 pfn = list->head; pfn != VA_PFN_NONE; pfn = m->pages[pfn].next)
    {
      const VaPage *p = &m->pages[pfn];

      if (++n > list->count)
        FAIL ("%s order %u type %u: list longer than its count %u (cycle?)",
              va_zone_name (zone->type), order, mt, list->count);
      if (p->state != VA_PAGE_FREE || p->order != order || p->list_mt != mt)
        FAIL ("%s order %u: pfn %u on the list is state %u order %u type %u",
              va_zone_name (zone->type), order, pfn, p->state, p->order, p->list_mt);
      if ((pfn - base) & ((1u << order) - 1))
        FAIL ("%s: order-%u block at pfn %u is not aligned", va_zone_name (zone->type), order, pfn);
      if (pfn < zone->start_pfn || pfn + (1u << order) > zone->end_pfn)
        FAIL ("%s: order-%u block at pfn %u lies outside the zone", va_zone_name (zone->type),
              order, pfn);
      if (p->prev != prev)
        FAIL ("%s: pfn %u has a broken back link", va_zone_name (zone->type), pfn);
      prev = pfn;
    }
  if (n != list->count || prev != list->tail)
    FAIL ("%s order %u type %u: count %u but %u entries", va_zone_name (zone->type), order, mt,
          list->count, n);
  *blocks += n;
  *pages += (guint64) n << order;
  return TRUE;
}

static gboolean
check_zone_lists (VaMachine    *m,
                  const VaZone *zone,
                  guint64      *free_heads,
                  GError      **error)
{
  guint64 free_pages = 0, isolated = 0, cma = 0;

  for (guint o = 0; o < m->profile->max_order; o++)
    {
      guint64 blocks = 0;

      for (guint t = 0; t < va_profile_nr_types (m->profile); t++)
        {
          guint64 pages = 0;

          if (!check_free_list (m, zone, o, t, &pages, &blocks, error))
            return FALSE;
          free_pages += pages;
          if (t == VA_MT_ISOLATE && m->profile->has_migratetypes)
            isolated += pages;
          if (t == VA_MT_CMA && m->profile->has_migratetypes)
            cma += pages;
        }
      if (blocks != zone->free_area[o].nr_free)
        FAIL ("%s order %u: nr_free %u but %" G_GUINT64_FORMAT " blocks on the lists",
              va_zone_name (zone->type), o, zone->free_area[o].nr_free, blocks);
      *free_heads += blocks;
    }
  if (free_pages - isolated != zone->free || cma != zone->free_cma)
    FAIL ("%s: free counter %u (cma %u) but the lists hold %" G_GUINT64_FORMAT " (cma %"
          G_GUINT64_FORMAT ")", va_zone_name (zone->type), zone->free, zone->free_cma,
          free_pages - isolated, cma);
  return TRUE;
}

static gboolean
check_pcp (VaMachine    *m,
           const VaZone *zone,
           guint64      *pcp_heads,
           GError      **error)
{
  for (guint c = 0; c < VA_MAX_CPUS; c++)
    {
      const VaPcp *pcp = &zone->pcp[c];
      gint64 pages[2] = { 0, 0 };

      for (guint l = 0; l < VA_PCP_NR_LISTS; l++)
        for (guint32 pfn = pcp->lists[l].head; pfn != VA_PFN_NONE; pfn = m->pages[pfn].next)
          {
            const VaPage *p = &m->pages[pfn];
            guint order = m->profile->pcp == VA_PCP_LISTS ? l / VA_MT_PCPTYPES : 0;

            if (p->state != VA_PAGE_PCP || p->order != order)
              FAIL ("%s pcp list %u: pfn %u is state %u order %u", va_zone_name (zone->type), l,
                    pfn, p->state, p->order);
            if (va_machine_pfn_zone (m, pfn) != zone->type)
              FAIL ("%s pcp: pfn %u belongs to another zone", va_zone_name (zone->type), pfn);
            pages[m->profile->pcp == VA_PCP_HOT_COLD ? MIN (l, 1) : 0] += 1 << order;
            (*pcp_heads)++;
          }
      if (pages[0] != pcp->count[0] || (m->profile->pcp == VA_PCP_HOT_COLD && pages[1] != pcp->count[1]))
        FAIL ("%s cpu %u: pcp count %d/%d but lists hold %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
              va_zone_name (zone->type), c, pcp->count[0], pcp->count[1], pages[0], pages[1]);
    }
  return TRUE;
}

/* Free buddies of equal order must have merged, unless 6.1 kept them apart
 * because their pageblocks' types may not merge. */
static gboolean
check_unmerged (VaMachine    *m,
                const VaZone *zone,
                guint32       pfn,
                GError      **error)
{
  const VaPage *p = &m->pages[pfn];
  guint32 buddy;

  if (p->order >= m->profile->max_order - 1)
    return TRUE;
  buddy = va_buddy_pfn (m, zone, pfn, p->order);
  if (!va_page_is_buddy (m, zone, buddy, p->order))
    return TRUE;
  if (m->profile->has_migratetypes && p->order >= m->pageblock_order)
    {
      guint a = va_machine_pageblock_mt (m, pfn), b = va_machine_pageblock_mt (m, buddy);

      if (a != b && (!va_migratetype_is_mergeable (a) || !va_migratetype_is_mergeable (b)))
        return TRUE;
    }
  FAIL ("%s: free order-%u blocks at pfn %u and %u are buddies but did not merge",
        va_zone_name (zone->type), p->order, pfn, buddy);
}

/* Walks every frame: heads followed by their tails, nothing orphaned. */
static gboolean
check_frames (VaMachine *m,
              guint64   *free_heads,
              guint64   *pcp_heads,
              guint64   *alloc_pages,
              GError   **error)
{
  for (guint32 pfn = 0; pfn < m->nr_pfns;)
    {
      const VaPage *p = &m->pages[pfn];
      const VaZone *zone = &m->zones[va_machine_pfn_zone (m, pfn)];
      guint32 n;

      switch (p->state)
        {
        case VA_PAGE_HOLE:
        case VA_PAGE_RESERVED:
          pfn++;
          continue;
        case VA_PAGE_TAIL:
          FAIL ("pfn %u is a tail page with no block head before it", pfn);
        case VA_PAGE_FREE:
          (*free_heads)++;
          if (!check_unmerged (m, zone, pfn, error))
            return FALSE;
          break;
        case VA_PAGE_PCP:
          (*pcp_heads)++;
          break;
        case VA_PAGE_ALLOCATED:
          *alloc_pages += 1u << p->order;
          if (p->owner >= m->allocs->len)
            FAIL ("pfn %u: owner %u does not exist", pfn, p->owner);
          break;
        default:
          FAIL ("pfn %u: unknown state %u", pfn, p->state);
        }
      n = 1u << p->order;
      if (pfn + n > zone->end_pfn)
        FAIL ("block at pfn %u (order %u) runs past the end of %s", pfn, p->order,
              va_zone_name (zone->type));
      for (guint32 i = 1; i < n; i++)
        if (m->pages[pfn + i].state != VA_PAGE_TAIL)
          FAIL ("pfn %u inside the order-%u block at %u is state %u, not a tail", pfn + i,
                p->order, pfn, m->pages[pfn + i].state);
      pfn += n;
    }
  return TRUE;
}

static gboolean
check_owners (VaMachine *m,
              GError   **error)
{
  for (guint i = 2; i < m->allocs->len; i++)
    {
      const VaAllocation *a = m->allocs->pdata[i];
      const VaPage *p;

      if (a->state != VA_ALLOC_LIVE || a->kind != VA_ALLOC_PAGES)
        continue;
      p = &m->pages[a->pfn];
      if (p->state != VA_PAGE_ALLOCATED || p->owner != a->id || p->order != a->order)
        FAIL ("allocation “%s”: pfn %u is state %u owner %u order %u", a->name, a->pfn,
              p->state, p->owner, p->order);
    }
  for (guint i = 0; i < m->workload_live->len; i++)
    {
      guint32 pfn = g_array_index (m->workload_live, guint32, i);
      const VaPage *p = &m->pages[pfn];

      if (p->state != VA_PAGE_ALLOCATED || p->owner != 1)
        FAIL ("workload block at pfn %u is state %u owner %u", pfn, p->state, p->owner);
    }
  return TRUE;
}

gboolean
va_machine_check (VaMachine *m,
                  GError   **error)
{
  guint64 list_heads = 0, pcp_list_heads = 0, free_heads = 0, pcp_heads = 0, alloc_pages = 0;

  g_return_val_if_fail (m != NULL, FALSE);

  for (guint z = 0; z < m->profile->nr_zones; z++)
    if (!check_zone_lists (m, &m->zones[z], &list_heads, error) ||
        !check_pcp (m, &m->zones[z], &pcp_list_heads, error))
      return FALSE;
  if (!check_frames (m, &free_heads, &pcp_heads, &alloc_pages, error))
    return FALSE;
  if (free_heads != list_heads)
    FAIL ("%" G_GUINT64_FORMAT " free block heads in mem_map but %" G_GUINT64_FORMAT
          " on the free lists", free_heads, list_heads);
  if (pcp_heads != pcp_list_heads)
    FAIL ("%" G_GUINT64_FORMAT " pcp heads in mem_map but %" G_GUINT64_FORMAT " on pcp lists",
          pcp_heads, pcp_list_heads);
  return check_owners (m, error) && va_vmalloc_check (m, error) &&
         va_kmalloc_check (m, error) && va_kmap_check (m, error) && va_cma_check (m, error);
}
