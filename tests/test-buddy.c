/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The buddy allocator as each profile runs it: split direction, merge,
 * list discipline after boot, per-cpu lists, 6.1 migrate-type fallback. */
#include "va-buddy.h"
#include "va-check.h"
#include "va-gfp.h"
#include "va-page-alloc.h"
#include "va-test-util.h"

#include <string.h>

#define MiB (G_GUINT64_CONSTANT (1) << 20)

static VaMachine *
boot (const char *profile,
      guint64     ram,
      gboolean    pcp)
{
  g_autofree char *size = va_format_size (ram);
  g_autofree char *options = g_strdup_printf ("profile=%s ram=%s pcp=%s", profile, size,
                                              pcp ? "on" : "off");
  VaMachine *m = va_test_machine (options);

  va_test_assert_valid (m);
  return m;
}

static guint32
gfp (VaMachine  *m,
     const char *text)
{
  guint32 mask = 0;

  g_assert_true (va_gfp_parse (m->profile, text, &mask, NULL));
  return mask;
}

static guint32
alloc (VaMachine  *m,
       const char *flags,
       guint       order)
{
  guint32 pfn = va_alloc_pages (m, gfp (m, flags), order, NULL, NULL);

  g_assert_cmpuint (pfn, !=, VA_PFN_NONE);
  return pfn;
}

static void
assert_valid (VaMachine *m)
{
  va_test_assert_valid (m);
}

static guint32
list_head (VaMachine  *m,
           VaZoneType  zone,
           guint       order,
           guint       mt)
{
  return m->zones[zone].free_area[order].free_list[mt].head;
}

/* The smallest order with a free block in @zone (mt 0), and its head. */
static guint
smallest_nonempty (VaMachine  *m,
                   VaZoneType  zone,
                   guint32    *head)
{
  for (guint o = 0; o < m->profile->max_order; o++)
    if ((*head = list_head (m, zone, o, 0)) != VA_PFN_NONE)
      return o;
  g_assert_not_reached ();
}

/* 2.6.9 keeps the lower half: an order-0 request gets the first frame of
 * the smallest free block and leaves one free block at every order below. */
static void
test_split_bottom (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 64 * MiB, FALSE);
  guint32 head;
  guint o = smallest_nonempty (m, VA_ZONE_NORMAL, &head);
  guint32 pfn;

  /* boot left small blocks after mem_map at 16 MiB; eat them first */
  while (o < 6)
    {
      alloc (m, "GFP_KERNEL", o);
      o = smallest_nonempty (m, VA_ZONE_NORMAL, &head);
    }
  pfn = alloc (m, "GFP_KERNEL", 0);
  g_assert_cmpuint (pfn, ==, head);
  for (guint k = 0; k < o; k++)
    g_assert_cmpuint (list_head (m, VA_ZONE_NORMAL, k, 0), ==, head + (1u << k));
  assert_valid (m);
}

/* 2.4 walks into the upper half: the last frame of the block is handed out. */
static void
test_split_top (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.4.21", 64 * MiB, FALSE);
  guint32 head;
  guint o = smallest_nonempty (m, VA_ZONE_NORMAL, &head);
  guint32 pfn;

  g_assert_cmpuint (m->profile->max_order, ==, 10);
  while (o < 6)
    {
      alloc (m, "GFP_KERNEL", o);
      o = smallest_nonempty (m, VA_ZONE_NORMAL, &head);
    }
  pfn = alloc (m, "GFP_KERNEL", 0);
  g_assert_cmpuint (pfn, ==, head + (1u << o) - 1);
  for (guint k = 0; k < o; k++)
    g_assert_cmpuint (list_head (m, VA_ZONE_NORMAL, k, 0), ==, head + (1u << o) - (2u << k));
  assert_valid (m);
}

/* Freeing everything merges back to the state after boot. */
static void
test_merge_back (void)
{
  const char *profiles[] = { "linux-2.4.21", "linux-2.6.9", "linux-6.1" };

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autoptr(VaMachine) m = boot (profiles[i], 64 * MiB, FALSE);
      guint32 before[VA_MAX_ORDER_LIMIT];
      guint32 pfns[40];

      for (guint o = 0; o < m->profile->max_order; o++)
        before[o] = m->zones[VA_ZONE_NORMAL].free_area[o].nr_free;
      for (guint k = 0; k < G_N_ELEMENTS (pfns); k++)
        pfns[k] = alloc (m, "GFP_KERNEL", k % 4);
      assert_valid (m);
      for (guint k = 0; k < G_N_ELEMENTS (pfns); k++)
        va_free_pages (m, pfns[k], k % 4);
      assert_valid (m);
      for (guint o = 0; o < m->profile->max_order; o++)
        g_assert_cmpuint (m->zones[VA_ZONE_NORMAL].free_area[o].nr_free, ==, before[o]);
    }
}

/* Boot frees in ascending pfn order: 2.6.9 adds merged blocks at the head
 * (so the highest block leads), 6.1 frees boot memory to the tail. */
static void
test_boot_list_order (void)
{
  g_autoptr(VaMachine) old = boot ("linux-2.6.9", 256 * MiB, TRUE);
  g_autoptr(VaMachine) modern = boot ("linux-6.1", 256 * MiB, TRUE);
  const VaList *l26 = &old->zones[VA_ZONE_NORMAL].free_area[10].free_list[0];
  const VaList *l61 = &modern->zones[VA_ZONE_NORMAL].free_area[10].free_list[VA_MT_MOVABLE];

  g_assert_cmpuint (l26->count, >, 10);
  g_assert_cmpuint (l26->head, >, l26->tail);
  g_assert_cmpuint (old->pages[l26->head].next, <, l26->head);
  g_assert_cmpuint (l61->count, >, 10);
  g_assert_cmpuint (l61->head, <, l61->tail);
  g_assert_cmpuint (modern->pages[l61->head].next, >, l61->head);
}

/* 2.6.9: order-0 requests go through the hot list, refilled by `batch`. */
static void
test_pcp_hot_cold (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 256 * MiB, TRUE);
  VaZone *normal = &m->zones[VA_ZONE_NORMAL];
  VaPcp *pcp = &normal->pcp[0];
  gint before = pcp->count[0];
  guint32 pfn;

  g_assert_cmpint (pcp->batch, ==, MIN (normal->present / 1024, 64) / 4);
  g_assert_cmpint (pcp->high[0], ==, 6 * pcp->batch);
  pfn = alloc (m, "GFP_KERNEL", 0);
  g_assert_cmpuint (m->pages[pfn].state, ==, VA_PAGE_ALLOCATED);
  g_assert_cmpint (pcp->count[0], ==, before <= pcp->low[0] ? before + pcp->batch - 1 : before - 1);
  va_free_pages (m, pfn, 0);
  g_assert_cmpuint (m->pages[pfn].state, ==, VA_PAGE_PCP);
  g_assert_cmpuint (pcp->lists[0].head, ==, pfn);
  assert_valid (m);
}

/* 6.1 pcp batch and high follow zone_batchsize()/zone_highsize(). */
static void
test_pcp_61 (void)
{
  g_autoptr(VaMachine) m = boot ("linux-6.1", 1024 * MiB, TRUE);
  VaZone *normal = &m->zones[VA_ZONE_NORMAL];
  guint32 pfn;

  /* managed ~214k pages: 208/4 = 52 -> rounddown_pow_of_two(78) - 1 = 63 */
  g_assert_cmpint (normal->pcp[0].batch, ==, 63);
  g_assert_cmpint (normal->pcp[0].high[0], ==, (gint) normal->wmark_low);
  pfn = alloc (m, "GFP_KERNEL", 0);
  g_assert_cmpint (normal->pcp[0].count[0], ==, 62);
  va_free_pages (m, pfn, 0);
  g_assert_cmpint (normal->pcp[0].count[0], ==, 63);
  assert_valid (m);
}

/* An unmovable request with only movable blocks free steals a whole
 * order-10 block and retypes its pageblock (change_pageblock_range). */
static void
test_fallback_steal (void)
{
  g_autoptr(VaMachine) m = boot ("linux-6.1", 128 * MiB, FALSE);
  guint32 pfn;

  g_assert_cmpuint (list_head (m, VA_ZONE_NORMAL, 0, VA_MT_UNMOVABLE), ==, VA_PFN_NONE);
  pfn = alloc (m, "GFP_KERNEL", 0);
  g_assert_cmpuint (va_machine_pageblock_mt (m, pfn), ==, VA_MT_UNMOVABLE);
  g_assert_cmpuint (list_head (m, VA_ZONE_NORMAL, 0, VA_MT_UNMOVABLE), ==, pfn + 1);
  /* a movable request stays on the movable lists */
  pfn = alloc (m, "GFP_HIGHUSER_MOVABLE", 0);
  g_assert_cmpuint (va_machine_pageblock_mt (m, pfn), ==, VA_MT_MOVABLE);
  assert_valid (m);
}

/* 6.1 watermarks from min_free_kbytes, measured shape of facts §0a. */
static void
test_watermarks_61 (void)
{
  g_autoptr(VaMachine) m = boot ("linux-6.1", 1024 * MiB, TRUE);
  VaZone *dma = &m->zones[VA_ZONE_DMA], *normal = &m->zones[VA_ZONE_NORMAL];
  VaZone *high = &m->zones[VA_ZONE_HIGHMEM];
  guint64 lowmem = dma->managed + normal->managed;
  guint32 pages_min = m->min_free_kbytes / 4;

  /* khugepaged raised min_free_kbytes to 5% of nr_free_buffer_pages() */
  g_assert_cmpuint (m->min_free_kbytes, >, 40000);
  g_assert_cmpuint (normal->wmark_min, ==, (guint64) pages_min * normal->managed / lowmem);
  g_assert_cmpuint (normal->wmark_low - normal->wmark_min, ==, normal->wmark_min / 4);
  g_assert_cmpuint (high->wmark_min, ==, CLAMP (high->managed / 1024, 32, 128));
  g_assert_cmpuint (dma->lowmem_reserve[VA_ZONE_NORMAL], ==, normal->managed / 256);
  g_assert_cmpuint (normal->lowmem_reserve[VA_ZONE_HIGHMEM], ==, high->managed / 32);
}

/* Against the real Debian 6.1 686 kernel under QEMU -m 1024 (RAM up to
 * 0x3ffe0000; reference/linux-6.1-686-1024M.txt /proc/zoneinfo): HighMem
 * and the per-cpu sizes are identical; Normal differs only by the boot
 * allocations the simulator does not make (managed 213777 there). */
static void
test_measured_61 (void)
{
  g_autoptr(VaMachine) m = va_test_machine ("profile=linux-6.1 ram=0x3ffe0000");
  const VaZone *normal = &m->zones[VA_ZONE_NORMAL], *high = &m->zones[VA_ZONE_HIGHMEM];

  g_assert_cmpuint (high->managed, ==, 37858);
  g_assert_cmpuint (high->wmark_min, ==, 36);
  g_assert_cmpuint (high->wmark_low, ==, 506);
  g_assert_cmpuint (high->wmark_high, ==, 976);
  g_assert_cmpint (high->pcp[0].high[0], ==, 506);
  g_assert_cmpint (high->pcp[0].batch, ==, 7);
  g_assert_cmpint (normal->pcp[0].batch, ==, 63);
  g_assert_cmpuint (normal->lowmem_reserve[VA_ZONE_HIGHMEM], ==, 1183);
  g_assert_cmpuint (normal->managed, >=, 213777);
  g_assert_cmpuint (normal->managed, <=, 213777 + 213777 / 100);
  g_assert_cmpuint (normal->wmark_min, <=, 10595 + 10595 / 100);
  g_assert_cmpuint (normal->wmark_min, >=, 10595);
}

/* 2.6.9 sqrt rule and the HighMem special case; 2.4 ratio rule. */
static void
test_watermarks_old (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 1024 * MiB, TRUE);
  g_autoptr(VaMachine) o = boot ("linux-2.4.21", 1024 * MiB, TRUE);

  g_assert_cmpuint (m->min_free_kbytes, ==, 957);   /* int_sqrt(229376 * 4) */
  g_assert_cmpuint (m->zones[VA_ZONE_HIGHMEM].wmark_min, ==, 32);
  g_assert_cmpuint (m->zones[VA_ZONE_NORMAL].wmark_high, ==, 3 * m->zones[VA_ZONE_NORMAL].wmark_min);
  g_assert_cmpuint (o->zones[VA_ZONE_DMA].wmark_min, ==, 32);
  g_assert_cmpuint (o->zones[VA_ZONE_NORMAL].wmark_min, ==, 255);
  g_assert_cmpuint (o->zones[VA_ZONE_NORMAL].wmark_low, ==, 510);
}

/* GFP_HIGHUSER falls back HighMem -> Normal -> DMA; GFP_DMA stays in DMA. */
static void
test_zonelists (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 1024 * MiB, TRUE);
  VaZonelist zl;

  va_gfp_zonelist (m->profile, m->zones, gfp (m, "GFP_HIGHUSER"), &zl);
  g_assert_cmpuint (zl.n, ==, 3);
  g_assert_cmpuint (zl.zones[0], ==, VA_ZONE_HIGHMEM);
  g_assert_cmpuint (zl.zones[2], ==, VA_ZONE_DMA);
  va_gfp_zonelist (m->profile, m->zones, gfp (m, "GFP_DMA"), &zl);
  g_assert_cmpuint (zl.n, ==, 1);
  g_assert_cmpuint (zl.zones[0], ==, VA_ZONE_DMA);
  g_assert_false (va_gfp_parse (m->profile, "GFP_HIGHUSER_MOVABLE", &zl.n, NULL));
  g_assert_false (va_gfp_parse (m->profile, "__GFP_DMA|__GFP_HIGHMEM", &zl.n, NULL));
}

/* Without reclaim an allocation below the watermark fails, with the numbers. */
static void
test_watermark_failure (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 16 * MiB, FALSE);
  g_autofree char *reason = NULL;
  guint32 pfn;

  while (va_alloc_pages (m, gfp (m, "GFP_KERNEL"), 0, NULL, NULL) != VA_PFN_NONE)
    ;
  pfn = va_alloc_pages (m, gfp (m, "GFP_KERNEL"), 0, NULL, &reason);
  g_assert_cmpuint (pfn, ==, VA_PFN_NONE);
  g_assert_nonnull (strstr (reason, "DMA: free"));
  g_assert_nonnull (strstr (reason, "below its watermark"));
  /* GFP_ATOMIC digs deeper: 3/8 of pages_min */
  g_assert_cmpuint (va_alloc_pages (m, gfp (m, "GFP_ATOMIC"), 0, NULL, NULL), !=, VA_PFN_NONE);
  assert_valid (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/buddy/split-bottom", test_split_bottom);
  g_test_add_func ("/buddy/split-top", test_split_top);
  g_test_add_func ("/buddy/merge-back", test_merge_back);
  g_test_add_func ("/buddy/boot-list-order", test_boot_list_order);
  g_test_add_func ("/buddy/pcp-hot-cold", test_pcp_hot_cold);
  g_test_add_func ("/buddy/pcp-6.1", test_pcp_61);
  g_test_add_func ("/buddy/fallback-steal", test_fallback_steal);
  g_test_add_func ("/buddy/watermarks-6.1", test_watermarks_61);
  g_test_add_func ("/buddy/watermarks-old", test_watermarks_old);
  g_test_add_func ("/buddy/measured-6.1", test_measured_61);
  g_test_add_func ("/buddy/zonelists", test_zonelists);
  g_test_add_func ("/buddy/watermark-failure", test_watermark_failure);
  return g_test_run ();
}
