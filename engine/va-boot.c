/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Boot: zones, reservations, and the hand-over of free memory to the buddy
 * allocator through each profile's own free path, in ascending pfn order,
 * so the free lists start in the order the real kernel leaves them. */
#define G_LOG_DOMAIN "va-boot"

#include "va-boot.h"
#include "va-buddy.h"
#include "va-cma.h"
#include "va-pcp.h"
#include "va-watermark.h"

#include <string.h>

#define MAX_DMA_PFN 4096u          /* 16 MiB: MAX_DMA_ADDRESS */
#define EBDA_PFN    0x9fu          /* e820: 0x9fc00-0x9ffff reserved (EBDA) */
#define ISA_END_PFN 0x100u         /* the ISA hole ends at 1 MiB */

/* 6.1 drops page 0 and the EBDA/ISA hole from memblock; 2.4/2.6.9 keep
 * them as present but PageReserved frames. */
static gboolean
pfn_is_hole (const VaMachine *m,
             guint32          pfn)
{
  if (m->profile->gen != VA_GEN_6_1)
    return FALSE;
  return pfn == 0 || (pfn >= EBDA_PFN && pfn < ISA_END_PFN);
}

static void
init_zone (VaMachine  *m,
           VaZoneType  type,
           guint32     start,
           guint32     end)
{
  VaZone *zone = &m->zones[type];

  zone->type = type;
  zone->start_pfn = start;
  zone->end_pfn = MAX (start, end);
  zone->spanned = zone->end_pfn - zone->start_pfn;
  zone->present = 0;
  for (guint32 pfn = zone->start_pfn; pfn < zone->end_pfn; pfn++)
    if (!pfn_is_hole (m, pfn))
      zone->present++;
  for (guint o = 0; o < VA_MAX_ORDER_LIMIT; o++)
    for (guint t = 0; t < VA_MT_TYPES; t++)
      zone->free_area[o].free_list[t] = (VaList) { VA_PFN_NONE, VA_PFN_NONE, 0 };
  for (guint c = 0; c < VA_MAX_CPUS; c++)
    for (guint l = 0; l < VA_PCP_NR_LISTS; l++)
      zone->pcp[c].lists[l] = (VaList) { VA_PFN_NONE, VA_PFN_NONE, 0 };
}

/* models mm/page_alloc.c: free_area_init_core() zone ranges (zone_sizes_init) */
static void
init_zones (VaMachine *m)
{
  const VaLayout *l = &m->layout;
  guint32 dma_end = MIN (MAX_DMA_PFN, l->max_low_pfn);
  guint32 dma_start = m->profile->gen == VA_GEN_6_1 ? 1 : 0;

  init_zone (m, VA_ZONE_DMA, dma_start, dma_end);
  init_zone (m, VA_ZONE_NORMAL, dma_end, l->max_low_pfn);
  init_zone (m, VA_ZONE_HIGHMEM, l->max_low_pfn, l->max_pfn);
  init_zone (m, VA_ZONE_MOVABLE, 0, 0);
}

static void
reserve_range (VaMachine *m,
               guint32    start,
               guint32    end)
{
  for (guint32 pfn = start; pfn < end && pfn < m->nr_pfns; pfn++)
    if (m->pages[pfn].state != VA_PAGE_HOLE)
      m->pages[pfn].state = VA_PAGE_RESERVED;
}

/* memblock_alloc() of 6.1: the highest free range of @pages below the end
 * of lowmem, stepping below a CMA area reserved earlier if it is in the way. */
static guint32
memblock_top_down (const VaMachine *m,
                   guint32          pages)
{
  guint32 top = m->layout.max_low_pfn;

  for (guint i = 0; m->cma && i < m->cma->areas->len; i++)
    {
      const VaCmaArea *area = m->cma->areas->pdata[i];

      if (top - pages < area->base_pfn + area->count && top > area->base_pfn)
        top = area->base_pfn;
    }
  return top - pages;
}

/* The kernel image at the profile's load address and mem_map: bootmem
 * (2.4, 2.6.9) places mem_map at its goal MAX_DMA_ADDRESS (16 MiB);
 * memblock (6.1) allocates top-down, so it lands at the top of lowmem. */
static void
reserve_boot_memory (VaMachine *m)
{
  const VaProfile *p = m->profile;
  guint32 kernel_pages = (p->kernel_kib + 3) / 4;
  guint64 map_bytes = ((guint64) m->nr_pfns + 1) * p->struct_page_bytes;
  guint32 map_pages = (map_bytes + VA_PAGE_SIZE - 1) / VA_PAGE_SIZE;

  m->kernel_start_pfn = p->kernel_load >> VA_PAGE_SHIFT;
  m->kernel_end_pfn = m->kernel_start_pfn + kernel_pages;
  if (p->gen == VA_GEN_6_1)
    m->mem_map_start_pfn = memblock_top_down (m, map_pages);
  else if (MAX_DMA_PFN + map_pages <= m->layout.max_low_pfn)
    m->mem_map_start_pfn = MAX_DMA_PFN;
  else
    m->mem_map_start_pfn = m->kernel_end_pfn;
  m->mem_map_end_pfn = m->mem_map_start_pfn + map_pages;

  for (guint32 pfn = 0; pfn < m->nr_pfns; pfn++)
    m->pages[pfn] = (VaPage) { .next = VA_PFN_NONE, .prev = VA_PFN_NONE,
                               .state = pfn_is_hole (m, pfn) ? VA_PAGE_HOLE : VA_PAGE_TAIL };
  /* page 0 (BIOS data), the EBDA and the ISA hole 640 KiB - 1 MiB */
  reserve_range (m, 0, 1);
  reserve_range (m, EBDA_PFN, ISA_END_PFN);
  reserve_range (m, m->kernel_start_pfn, m->kernel_end_pfn);
  reserve_range (m, m->mem_map_start_pfn, m->mem_map_end_pfn);
  for (guint i = 0; m->cma && i < m->cma->areas->len; i++)
    {
      const VaCmaArea *area = m->cma->areas->pdata[i];

      reserve_range (m, area->base_pfn, area->base_pfn + area->count);
    }
}

static gboolean
pfn_is_free_at_boot (const VaMachine *m,
                     guint32          pfn)
{
  return m->pages[pfn].state == VA_PAGE_TAIL;
}

static void
count_managed (VaMachine *m,
               guint32    pfn,
               guint      order)
{
  m->zones[va_machine_pfn_zone (m, pfn)].managed += 1u << order;
}

/* One block into the buddy allocator, as __free_pages(page, order) does
 * once the page is no longer reserved: order-0 pages through the per-cpu
 * list unless @direct (FPI_TO_TAIL callers, or a caller that has already
 * accounted for the per-cpu list). */
static void
free_boot_block (VaMachine *m,
                 guint32    pfn,
                 guint      order,
                 gboolean   to_tail,
                 gboolean   direct)
{
  VaZone *zone = &m->zones[va_machine_pfn_zone (m, pfn)];

  count_managed (m, pfn, order);
  va_mark_tails (m, pfn, order);
  m->pages[pfn].state = VA_PAGE_ALLOCATED;
  m->pages[pfn].order = order;
  if (order == 0 && va_pcp_allowed_order (m, 0) && !to_tail && !direct)
    va_pcp_free (m, zone, pfn, 0, FALSE);
  else
    va_free_one_page (m, zone, pfn, order, va_machine_pageblock_mt (m, pfn), to_tail);
}

/* The largest block that starts at @pfn and fits before @end, with the
 * buddy alignment of @zone's profile. */
static guint
largest_block (const VaMachine *m,
               const VaZone    *zone,
               guint32          pfn,
               guint32          end)
{
  guint32 idx = pfn - (m->profile->buddy_index_zone_relative ? zone->start_pfn : 0);
  guint order = MIN (m->profile->max_order - 1,
                     idx ? (guint) __builtin_ctz (idx) : m->profile->max_order - 1);

  while (pfn + (1u << order) > end)
    order--;
  return order;
}

/* Frees the free frames of [start, end) (one zone) in ascending pfn order
 * as if one by one through a path without per-cpu lists.  Freeing page by
 * page in ascending order leaves exactly the blocks of the range's aligned
 * decomposition, each put on its list when its last page is freed, in
 * ascending order, with the same neighbours free at that moment; so
 * freeing those blocks in ascending order gives the same lists, entry for
 * entry, in O(blocks) instead of O(pages) merges. */
static void
free_ascending (VaMachine *m,
                guint32    start,
                guint32    end,
                gboolean   to_tail)
{
  const VaZone *zone = &m->zones[va_machine_pfn_zone (m, start)];

  while (start < end)
    {
      guint32 run_end = start;
      guint order;

      while (run_end < end && pfn_is_free_at_boot (m, run_end))
        run_end++;
      while (start < run_end)
        {
          order = largest_block (m, zone, start, run_end);
          free_boot_block (m, start, order, to_tail, TRUE);
          start += 1u << order;
        }
      while (start < end && !pfn_is_free_at_boot (m, start))
        start++;
    }
}

/* models the 2.6.9 hot pcp list during one_highpage_init(): each page is
 * added at the head; at `high` pages free_pages_bulk() sends `batch` of the
 * oldest to the buddy lists.  Returns how many of @n pages stay on the list
 * (the last ones); all earlier ones reached the buddy lists in order. */
static guint32
pages_left_on_hot_list (const VaPcp *pcp,
                        guint32      n)
{
  gint64 count = pcp->count[0];

  for (guint32 i = 0; i < n; i++)
    {
      if (count >= pcp->high[0])
        count -= MIN (pcp->batch, count);
      count++;
    }
  return MIN (count, n);
}

/* models arch/i386/mm/init.c: one_highpage_init() (2.4, 2.6.9): HighMem page
 * by page through __free_page(): straight to the buddy lists in 2.4, through
 * the hot pcp list in 2.6.9. */
static void
free_highmem_2x (VaMachine *m)
{
  VaZone *high = &m->zones[VA_ZONE_HIGHMEM];
  guint32 start = high->start_pfn, end = high->end_pfn, left = 0;

  if (!va_zone_populated (high))
    return;
  if (va_pcp_allowed_order (m, 0))
    left = pages_left_on_hot_list (&high->pcp[0], end - start);
  free_ascending (m, start, end - left, FALSE);
  for (guint32 pfn = end - left; pfn < end; pfn++)
    free_boot_block (m, pfn, 0, FALSE, FALSE);
}

/* models mm/bootmem.c: free_all_bootmem_core(): 2.4 page by page; 2.6.9
 * frees a wholly free, 32-page aligned word of its bitmap as one order-5
 * block ("gofast") and lone pages through the hot pcp list. */
static void
free_lowmem_2x (VaMachine *m)
{
  const guint32 word = 32;
  guint32 low = m->layout.max_low_pfn;

  if (m->profile->gen == VA_GEN_2_4)
    {
      free_ascending (m, 0, MIN (low, MAX_DMA_PFN), FALSE);
      free_ascending (m, MIN (low, MAX_DMA_PFN), low, FALSE);
      return;
    }
  for (guint32 pfn = 0; pfn < low;)
    {
      gboolean whole = pfn % word == 0 && pfn + word <= low;

      for (guint32 i = 0; whole && i < word; i++)
        whole = pfn_is_free_at_boot (m, pfn + i);
      if (whole)
        {
          free_boot_block (m, pfn, 5, FALSE, FALSE);
          pfn += word;
          continue;
        }
      if (pfn_is_free_at_boot (m, pfn))
        free_boot_block (m, pfn, 0, FALSE, FALSE);
      pfn++;
    }
}

/* models mm/memblock.c: __free_pages_memory(): the largest aligned blocks
 * that fit the range, each through __free_pages_core() to the list tail. */
static void
free_pages_memory (VaMachine *m,
                   guint32    start,
                   guint32    end)
{
  while (start < end)
    {
      guint order = largest_block (m, &m->zones[va_machine_pfn_zone (m, start)], start, end);

      free_boot_block (m, start, order, TRUE, TRUE);
      start += 1u << order;
    }
}

/* models arch/x86/mm/init_32.c: mem_init() (6.1): HighMem first, page by
 * page through free_highmem_page() and the boot pageset (high 0, batch 1,
 * so each page drains at once to __free_one_page() with FPI_NONE); then
 * lowmem through memblock_free_all(). */
static void
free_all_memblock_61 (VaMachine *m)
{
  guint32 low = m->layout.max_low_pfn;
  guint32 start = VA_PFN_NONE;

  for (guint z = 0; z < m->profile->nr_zones; z++)
    va_pcp_boot_pageset (m, &m->zones[z]);
  if (m->nr_pfns > low)
    free_ascending (m, low, m->nr_pfns, FALSE);
  for (guint32 pfn = 0; pfn <= low; pfn++)
    {
      /* memblock ranges are cut at the zone edge too */
      gboolean is_free = pfn < low && pfn_is_free_at_boot (m, pfn);
      gboolean edge = pfn == MAX_DMA_PFN;

      if (start != VA_PFN_NONE && (!is_free || edge))
        {
          free_pages_memory (m, start, pfn);
          start = VA_PFN_NONE;
        }
      if (is_free && start == VA_PFN_NONE)
        start = pfn;
    }
}

gboolean
va_boot (VaMachine  *m,
         GError    **error)
{
  guint32 nr_blocks;

  va_machine_alloc_frames (m, m->layout.max_pfn);
  m->pageblock_order = va_profile_pageblock_order (m->profile, m->config.pae);
  nr_blocks = (m->nr_pfns >> m->pageblock_order) + 1;
  m->pageblock_mt = g_malloc (nr_blocks);
  /* memmap_init(): every pageblock starts MIGRATE_MOVABLE */
  memset (m->pageblock_mt, m->profile->has_migratetypes ? VA_MT_MOVABLE : 0, nr_blocks);
  init_zones (m);
  /* kernel image first: CMA must not overlap it */
  m->kernel_start_pfn = m->profile->kernel_load >> VA_PAGE_SHIFT;
  m->kernel_end_pfn = m->kernel_start_pfn + (m->profile->kernel_kib + 3) / 4;
  if (!va_cma_reserve (m, error))
    return FALSE;
  reserve_boot_memory (m);
  if (m->profile->gen == VA_GEN_6_1)
    free_all_memblock_61 (m);
  else
    {
      for (guint z = 0; z < m->profile->nr_zones; z++)
        va_pcp_setup_batch (m, &m->zones[z]);
      free_lowmem_2x (m);
      free_highmem_2x (m);
    }
  if (m->profile->gen == VA_GEN_6_1)
    for (guint z = 0; z < m->profile->nr_zones; z++)
      va_pcp_setup_batch (m, &m->zones[z]);
  va_cma_activate (m);   /* core_initcall: after the pcp batch, before the watermarks */
  m->reserved_pages = 0;
  for (guint z = 0; z < m->profile->nr_zones; z++)
    m->reserved_pages += m->zones[z].present - m->zones[z].managed;
  va_setup_watermarks (m);
  return TRUE;
}
