/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Watermarks min/low/high and lowmem_reserve, by each profile's formula. */
#define G_LOG_DOMAIN "va-watermark"

#include "va-watermark.h"
#include "va-pcp.h"

static guint64
int_sqrt (guint64 x)
{
  guint64 r = 0;

  for (guint64 bit = G_GUINT64_CONSTANT (1) << 62; bit; bit >>= 2)
    if (x >= r + bit)
      {
        x -= r + bit;
        r = (r >> 1) + bit;
      }
    else
      r >>= 1;
  return r;
}

static gboolean
is_highmem (const VaZone *zone)
{
  return zone->type == VA_ZONE_HIGHMEM || zone->type == VA_ZONE_MOVABLE;
}

/* models mm/page_alloc.c: free_area_init_core() watermarks (2.4):
 * realsize/128 clamped to [20, 255] in every zone; low 2x, high 3x. */
static void
setup_2_4 (VaMachine *m)
{
  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      VaZone *zone = &m->zones[z];
      guint32 mask = CLAMP (zone->present / 128, 20, 255);

      if (!va_zone_populated (zone))
        continue;
      zone->wmark_min = mask;
      zone->wmark_low = 2 * mask;
      zone->wmark_high = 3 * mask;
    }
}

/* models mm/page_alloc.c: init_per_zone_pages_min() +
 * setup_per_zone_pages_min() (2.6.9) */
static void
setup_2_6 (VaMachine *m)
{
  guint64 lowmem_pages = 0, lowmem_kbytes;
  guint32 pages_min;

  for (guint z = 0; z < m->profile->nr_zones; z++)
    if (!is_highmem (&m->zones[z]))
      lowmem_pages += m->zones[z].present;
  /* nr_free_buffer_pages() at boot: pages_high is still 0 */
  lowmem_kbytes = lowmem_pages * (VA_PAGE_SIZE >> 10);
  m->min_free_kbytes = CLAMP (int_sqrt (lowmem_kbytes), 128, 16384);
  pages_min = m->min_free_kbytes >> (VA_PAGE_SHIFT - 10);
  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      VaZone *zone = &m->zones[z];

      if (!va_zone_populated (zone))
        continue;
      if (is_highmem (zone))
        zone->wmark_min = CLAMP (zone->present / 1024, 32, 128);
      else
        zone->wmark_min = (guint64) pages_min * zone->present / lowmem_pages;
      zone->wmark_low = 2 * zone->wmark_min;
      zone->wmark_high = 3 * zone->wmark_min;
    }
}

/* models mm/page_alloc.c: nr_free_buffer_pages() (6.1): managed pages above
 * the high watermark in the zones GFP_USER may use (DMA, Normal). */
guint32
va_nr_free_buffer_pages (const VaMachine *m)
{
  guint64 sum = 0;

  for (guint z = 0; z <= VA_ZONE_NORMAL; z++)
    {
      const VaZone *zone = &m->zones[z];

      if (zone->managed > zone->wmark_high)
        sum += zone->managed - zone->wmark_high;
    }
  return sum;
}

/* models mm/page_alloc.c: __setup_per_zone_wmarks() (6.1) */
static void
setup_per_zone_wmarks_61 (VaMachine *m)
{
  guint64 pages_min = m->min_free_kbytes >> (VA_PAGE_SHIFT - 10);
  guint64 lowmem_pages = 0;

  for (guint z = 0; z < m->profile->nr_zones; z++)
    if (!is_highmem (&m->zones[z]))
      lowmem_pages += m->zones[z].managed;
  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      VaZone *zone = &m->zones[z];
      guint64 tmp = lowmem_pages ? pages_min * zone->managed / lowmem_pages : 0;
      guint64 gap;

      if (is_highmem (zone))
        zone->wmark_min = CLAMP (zone->managed / 1024, 32, 128);
      else
        zone->wmark_min = tmp;
      /* watermark_scale_factor = 10 */
      gap = MAX (tmp >> 2, (guint64) zone->managed * 10 / 10000);
      zone->wmark_low = zone->wmark_min + gap;
      zone->wmark_high = zone->wmark_low + gap;
      zone->wmark_boost = 0;
    }
}

/* models mm/page_alloc.c: setup_per_zone_lowmem_reserve() (6.1) */
static void
setup_lowmem_reserve (VaMachine *m)
{
  for (guint i = 0; i + 1 < m->profile->nr_zones; i++)
    {
      VaZone *zone = &m->zones[i];
      guint ratio = m->profile->lowmem_reserve_ratio[i];
      gboolean clear = ratio == 0 || zone->managed == 0;
      guint64 managed = 0;

      for (guint j = i + 1; j < m->profile->nr_zones; j++)
        {
          managed += m->zones[j].managed;
          zone->lowmem_reserve[j] = clear ? 0 : managed / ratio;
        }
    }
}

/* models mm/khugepaged.c: set_recommended_min_free_kbytes() (6.1, Debian's
 * THP=always): two pageblocks per zone, plus MIGRATE_PCPTYPES^2 more, capped
 * at 5% of nr_free_buffer_pages().  hugepage_init() leaves THP off below
 * 512 MiB of RAM. */
static void
thp_raise_min_free_kbytes (VaMachine *m)
{
  guint64 totalram = 0, recommended;
  guint nr_zones = 0;

  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      totalram += m->zones[z].managed;
      if (va_zone_populated (&m->zones[z]) && z <= VA_ZONE_NORMAL)
        nr_zones++;
    }
  if (totalram < (512u << (20 - VA_PAGE_SHIFT)))
    return;
  recommended = (guint64) (1u << m->pageblock_order) * nr_zones * 2;
  recommended += (guint64) (1u << m->pageblock_order) * nr_zones * VA_MT_PCPTYPES * VA_MT_PCPTYPES;
  recommended = MIN (recommended, va_nr_free_buffer_pages (m) / 20);
  recommended <<= (VA_PAGE_SHIFT - 10);
  if (recommended > m->min_free_kbytes)
    {
      va_machine_log (m, "khugepaged: raising min_free_kbytes from %u to %" G_GUINT64_FORMAT
                      " to help transparent hugepage allocations", m->min_free_kbytes, recommended);
      m->min_free_kbytes = recommended;
      setup_per_zone_wmarks_61 (m);
    }
}

/* models mm/page_alloc.c: init_per_zone_wmark_min() (6.1) */
static void
setup_6_1 (VaMachine *m)
{
  guint64 lowmem_kbytes = (guint64) va_nr_free_buffer_pages (m) * (VA_PAGE_SIZE >> 10);

  m->min_free_kbytes = CLAMP (int_sqrt (lowmem_kbytes * 16), 128, 262144);
  setup_per_zone_wmarks_61 (m);
  setup_lowmem_reserve (m);
  if (m->profile->thp_min_free_kbytes)
    thp_raise_min_free_kbytes (m);
}

void
va_setup_watermarks (VaMachine *m)
{
  switch (m->profile->gen)
    {
    case VA_GEN_2_4: setup_2_4 (m); break;
    case VA_GEN_2_6: setup_2_6 (m); break;
    case VA_GEN_6_1: setup_6_1 (m); break;
    default: g_assert_not_reached ();
    }
  for (guint z = 0; z < m->profile->nr_zones; z++)
    va_pcp_setup_high (m, &m->zones[z]);
}
