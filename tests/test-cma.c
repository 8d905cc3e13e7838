/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CMA (linux-6.1): the boot reservation and its placement, the CMA-first
 * rule for movable allocations, unmovable requests kept out, cma_alloc's
 * migration and -EBUSY retry, cma_release, pin/unpin, errors, the debugfs
 * and JSON views, and random mixes with the invariant checker after every
 * op. */
#include "va-check.h"
#include "va-cma.h"
#include "va-json.h"
#include "va-procfs.h"
#include "va-runner.h"
#include "va-test-util.h"

#include <string.h>

#define MiB (G_GUINT64_CONSTANT (1) << 20)
#define MOVABLE "GFP_USER|__GFP_MOVABLE"

/*** Helpers ***/

static VaMachine *
boot_full (const char *profile,
           guint64     ram,
           gboolean    pae,
           const char *cma,
           gboolean    pcp,
           GError    **error)
{
  VaMachineConfig c;

  va_machine_config_init (&c);
  c.profile = va_profile_lookup (profile);
  g_assert_nonnull (c.profile);
  c.ram_bytes = ram;
  c.pae = pae;
  c.pcp_enabled = pcp;
  if (cma)
    g_assert_true (va_machine_config_set (&c, "cma", cma, NULL));
  return va_machine_new (&c, error);
}

static VaMachine *
boot (guint64     ram,
      gboolean    pae,
      const char *cma,
      gboolean    pcp)
{
  g_autoptr(GError) error = NULL;
  VaMachine *m = boot_full ("linux-6.1", ram, pae, cma, pcp, &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

static void
assert_valid (VaMachine *m)
{
  g_autoptr(GError) error = NULL;

  if (!va_machine_check (m, &error))
    g_error ("invariant (op %u): %s", m->op_count, error->message);
}

static const VaCmaArea *
area_of (VaMachine *m)
{
  g_assert_nonnull (m->cma);
  g_assert_cmpuint (m->cma->areas->len, ==, 1);
  return g_ptr_array_index (m->cma->areas, 0);
}

static gboolean
in_area (const VaCmaArea *area,
         guint32          pfn)
{
  return pfn >= area->base_pfn && pfn < area->base_pfn + area->count;
}

static gboolean
log_has (VaMachine  *m,
         guint       from,
         const char *text)
{
  for (guint i = from; i < m->log->len; i++)
    if (strstr (m->log->pdata[i], text))
      return TRUE;
  return FALSE;
}

static guint
log_count (VaMachine  *m,
           guint       from,
           const char *text)
{
  guint n = 0;

  for (guint i = from; i < m->log->len; i++)
    if (strstr (m->log->pdata[i], text))
      n++;
  return n;
}

/* Applies @op; asserts it was valid; returns whether the kernel call
 * succeeded, and its reason when it did not. */
static gboolean
run_op (VaMachine *m,
        VaOp      *op,
        char     **reason,
        gboolean   check)
{
  g_autoptr(GError) error = NULL;
  VaOpResult result = { 0 };
  gboolean ok;

  if (!va_machine_apply (m, op, &result, &error))
    g_error ("%s %s refused: %s", va_op_kind_name (op->kind), op->name ? op->name : "",
             error->message);
  ok = !result.failed;
  if (reason)
    *reason = g_steal_pointer (&result.reason);
  va_op_result_clear (&result);
  if (check)
    assert_valid (m);
  return ok;
}

/* Applies @op, which must be refused; returns the error. */
static GError *
refuse_op (VaMachine *m,
           VaOp      *op)
{
  GError *error = NULL;
  VaOpResult result = { 0 };
  guint ops = m->op_count;

  g_assert_false (va_machine_apply (m, op, &result, &error));
  g_assert_nonnull (error);
  va_op_result_clear (&result);
  g_assert_cmpuint (m->op_count, ==, ops);
  return error;
}

static VaOp *
op_alloc (const char *name,
          guint       order,
          const char *gfp)
{
  VaOp *op = va_op_new (VA_OP_ALLOC);

  op->name = g_strdup (name);
  op->order = order;
  op->gfp = g_strdup (gfp);
  return op;
}

static VaOp *
op_named (VaOpKind    kind,
          const char *name)
{
  VaOp *op = va_op_new (kind);

  op->name = g_strdup (name);
  return op;
}

/* cma_alloc NAME COUNT [align=ALIGN]; @align < 0: the default. */
static VaOp *
op_cma_alloc (const char *name,
              guint64     count,
              gint        align)
{
  VaOp *op = op_named (VA_OP_CMA_ALLOC, name);

  op->size = count;
  if (align >= 0)
    {
      op->order = align;
      op->has_align = TRUE;
    }
  return op;
}

static gboolean
alloc (VaMachine  *m,
       const char *name,
       guint       order,
       const char *gfp,
       gboolean    check)
{
  g_autoptr(VaOp) op = op_alloc (name, order, gfp);

  return run_op (m, op, NULL, check);
}

static gboolean
simple (VaMachine  *m,
        VaOpKind    kind,
        const char *name)
{
  g_autoptr(VaOp) op = op_named (kind, name);

  return run_op (m, op, NULL, TRUE);
}

static gboolean
cma_alloc (VaMachine  *m,
           const char *name,
           guint64     count,
           gint        align,
           char      **reason)
{
  g_autoptr(VaOp) op = op_cma_alloc (name, count, align);

  return run_op (m, op, reason, TRUE);
}

static GError *
refuse (VaMachine  *m,
        VaOpKind    kind,
        const char *name)
{
  g_autoptr(VaOp) op = op_named (kind, name);

  return refuse_op (m, op);
}

static void
assert_error (GError     *error,
              const char *text)
{
  g_assert_nonnull (error);
  if (!strstr (error->message, text))
    g_error ("error “%s” does not say “%s”", error->message, text);
  g_error_free (error);
}

/* Pages in use, from the counters: managed less free and per-cpu pages. */
static guint64
used_pages (VaMachine *m)
{
  guint64 used = 0;

  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      const VaZone *zone = &m->zones[z];

      used += zone->managed - zone->free - va_machine_pcp_pages (m, zone);
    }
  return used;
}

/* Pages in use, recounted from mem_map: allocated heads and their tails. */
static guint64
allocated_pages (VaMachine *m)
{
  guint64 n = 0;

  for (guint32 pfn = 0; pfn < m->nr_pfns; pfn++)
    if (m->pages[pfn].state == VA_PAGE_ALLOCATED)
      n += G_GUINT64_CONSTANT (1) << m->pages[pfn].order;
  return n;
}

static guint32
bitmap_set_bits (const VaCmaArea *area)
{
  guint32 n = 0;

  for (guint32 i = 0; i < area->count >> area->order_per_bit; i++)
    n += area->bitmap[i] != 0;
  return n;
}

/* Unmovable ballast: GFP_KERNEL order-10 blocks "k0", "k1", … until the
 * kernel refuses, then order-3 blocks "s0", "s1", … until it refuses those:
 * lowmem outside the CMA area is down to its watermarks, so CMA holds more
 * than half of the free pages.  Returns the number of order-10 blocks. */
static guint
fill_unmovable (VaMachine *m)
{
  guint n = 0, s = 0;
  char name[16];

  for (;; n++)
    {
      g_snprintf (name, sizeof name, "k%u", n);
      if (!alloc (m, name, 10, "GFP_KERNEL", FALSE))
        break;
    }
  for (;; s++)
    {
      g_snprintf (name, sizeof name, "s%u", s);
      if (!alloc (m, name, 3, "GFP_KERNEL", FALSE))
        break;
    }
  assert_valid (m);
  return n;
}

/* Movable order-0 pages "f0", "f1", … until one lands in [lo, hi), then
 * @extra more; returns how many were taken.  The last one of the first
 * phase is "f<n-1-extra>".  The machine must be short of non-CMA pages. */
static guint
fill_movable_until (VaMachine *m,
                    guint32    lo,
                    guint32    hi,
                    guint      limit,
                    guint      extra)
{
  char name[16];

  for (guint n = 0; n < limit; n++)
    {
      const VaAllocation *a;

      g_snprintf (name, sizeof name, "f%u", n);
      g_assert_true (alloc (m, name, 0, MOVABLE, FALSE));
      a = va_test_lookup (m, name);
      if (a->pfn >= lo && a->pfn < hi)
        {
          for (guint k = 1; k <= extra; k++)
            {
              g_snprintf (name, sizeof name, "f%u", n + k);
              g_assert_true (alloc (m, name, 0, MOVABLE, FALSE));
            }
          assert_valid (m);
          return n + 1 + extra;
        }
    }
  g_error ("no movable page landed in [%u, %u) after %u allocations", lo, hi, limit);
  return 0;
}

/* Frees the first @n ballast blocks of fill_unmovable(), making room
 * outside the CMA area (for the pages a migration moves). */
static void
free_ballast (VaMachine *m,
              guint      n)
{
  char name[16];

  for (guint i = 0; i < n; i++)
    {
      g_snprintf (name, sizeof name, "k%u", i);
      g_assert_true (simple (m, VA_OP_FREE, name));
    }
}

/* A pinned movable page in the CMA area below @hi, with room for
 * migration targets: ballast, movable pages until one lands below @hi,
 * eight ballast blocks freed, that last page pinned.  Its name goes to
 * @name. */
static void
pin_movable_below (VaMachine *m,
                   guint32    hi,
                   char       name[16])
{
  guint nf;

  fill_unmovable (m);
  nf = fill_movable_until (m, area_of (m)->base_pfn, hi, 8192, 0);
  g_snprintf (name, 16, "f%u", nf - 1);
  free_ballast (m, 8);
  g_assert_true (simple (m, VA_OP_PIN, name));
}

/* The CMA bookkeeping, recounted: every pageblock of the area is CMA, the
 * bitmap marks exactly the live CMA allocations, whose pages are in use;
 * no unmovable or reclaimable page sits in the area. */
static void
assert_cma_consistent (VaMachine *m)
{
  const VaCmaArea *area = area_of (m);
  guint64 live_pages = 0;

  for (guint32 pfn = area->base_pfn; pfn < area->base_pfn + area->count;
       pfn += 1u << m->pageblock_order)
    g_assert_cmpuint (va_machine_pageblock_mt (m, pfn), ==, VA_MT_CMA);
  for (guint i = 1; i < m->allocs->len; i++)
    {
      const VaAllocation *a = m->allocs->pdata[i];

      if (a == NULL || a->state != VA_ALLOC_LIVE)
        continue;
      if (a->kind == VA_ALLOC_CMA)
        {
          guint32 count = a->size >> VA_PAGE_SHIFT;

          live_pages += count;
          g_assert_true (in_area (area, a->pfn));
          g_assert_true (in_area (area, a->pfn + count - 1));
          for (guint32 k = 0; k < count; k++)
            {
              g_assert_cmpuint (area->bitmap[a->pfn - area->base_pfn + k], !=, 0);
              g_assert_cmpuint (m->pages[a->pfn + k].state, ==, VA_PAGE_ALLOCATED);
            }
        }
      else if (a->kind == VA_ALLOC_PAGES && a->migratetype != VA_MT_MOVABLE)
        {
          g_assert_false (in_area (area, a->pfn));
          g_assert_false (in_area (area, a->pfn + (1u << a->order) - 1));
        }
    }
  g_assert_cmpuint (bitmap_set_bits (area), ==, live_pages);
  g_assert_cmpuint (va_cma_area_used (area), ==, live_pages);
}

/*** Boot: reservation and activation ***/

typedef struct {
  guint64     ram;
  gboolean    pae;
  const char *cma;
  guint32     base_pfn;   /* expected */
  guint32     count;
} Placement;

/* Top-down at the end of lowmem (rounded down to a pageblock when
 * max_low_pfn is not aligned), size and base rounded up to a pageblock:
 * 4 MiB without PAE, 2 MiB with it. */
static void
test_reserve_placement (void)
{
  static const Placement rows[] = {
    { 512 * MiB, FALSE, "16M", 0x1F000, 4096 },
    { 512 * MiB, TRUE, "16M", 0x1F000, 4096 },
    { 512 * MiB, FALSE, "13M", 0x1F000, 4096 },             /* 13 MiB -> 16 MiB */
    { 512 * MiB, TRUE, "13M", 0x1F200, 3584 },              /* 13 MiB -> 14 MiB */
    { 512 * MiB, FALSE, "1", 0x1FC00, 1024 },               /* one byte -> one pageblock */
    { 512 * MiB, TRUE, "1", 0x1FE00, 512 },
    { 1024 * MiB, FALSE, "16M", 0x35800, 4096 },            /* lowmem ends at 0x36bfe: 0x36800 */
    { 1024 * MiB, TRUE, "16M", 0x35E00, 4096 },             /* lowmem ends at 0x36ffe: 0x36e00 */
    { 512 * MiB, FALSE, "16M@0x10000000", 0x10000, 4096 },  /* fixed */
    { 512 * MiB, FALSE, "8M@0x10100000", 0x10400, 2048 },   /* base rounded up to 4 MiB */
    { 512 * MiB, TRUE, "8M@0x10100000", 0x10200, 2048 },    /* ... to 2 MiB */
    { 1024 * MiB, FALSE, "64M@0x20000000", 0x20000, 16384 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(VaMachine) m = boot (rows[i].ram, rows[i].pae, rows[i].cma, TRUE);
      g_autoptr(VaMachine) plain = boot (rows[i].ram, rows[i].pae, NULL, TRUE);
      const VaCmaArea *area = area_of (m);
      const VaZone *normal = &m->zones[VA_ZONE_NORMAL];
      guint32 nr = 1u << m->pageblock_order;
      guint64 managed = 0, plain_managed = 0;
      g_autofree char *line = NULL;

      g_test_message ("row %u: ram %" G_GUINT64_FORMAT " MiB pae %d cma=%s", i,
                      rows[i].ram / MiB, rows[i].pae, rows[i].cma);
      g_assert_cmpuint (m->pageblock_order, ==, rows[i].pae ? 9 : 10);
      g_assert_cmpstr (area->name, ==, "reserved");
      g_assert_cmpuint (area->order_per_bit, ==, 0);
      g_assert_cmphex (area->base_pfn, ==, rows[i].base_pfn);
      g_assert_cmpuint (area->count, ==, rows[i].count);
      g_assert_cmpuint (area->base_pfn % nr, ==, 0);
      g_assert_cmpuint (area->count % nr, ==, 0);
      g_assert_cmpuint (area->base_pfn + area->count, <=, m->layout.max_low_pfn);
      if (strchr (rows[i].cma, '@') == NULL)
        {
          /* placed by memblock top-down, mem_map right below it */
          g_assert_cmpuint (m->layout.max_low_pfn - (area->base_pfn + area->count), <, nr);
          g_assert_cmpuint (m->mem_map_end_pfn, ==, area->base_pfn);
        }
      g_assert_cmpuint (m->mem_map_end_pfn <= area->base_pfn ||
                        m->mem_map_start_pfn >= area->base_pfn + area->count, ==, TRUE);
      g_assert_cmpuint (m->kernel_end_pfn <= area->base_pfn, ==, TRUE);
      g_assert_cmpuint (va_cma_area_used (area), ==, 0);
      g_assert_cmpuint (va_cma_area_maxchunk (area), ==, area->count);
      g_assert_cmpuint (bitmap_set_bits (area), ==, 0);
      g_assert_cmpuint (m->cma->total_pages, ==, area->count);

      /* activation: MIGRATE_CMA pageblocks freed into Normal's CMA lists */
      g_assert_true (va_zone_contains (normal, area->base_pfn));
      g_assert_true (va_zone_contains (normal, area->base_pfn + area->count - 1));
      for (guint32 pfn = area->base_pfn; pfn < area->base_pfn + area->count; pfn += nr)
        g_assert_cmpuint (va_machine_pageblock_mt (m, pfn), ==, VA_MT_CMA);
      g_assert_cmpuint (va_machine_pageblock_mt (m, area->base_pfn - 1), !=, VA_MT_CMA);
      if (area->base_pfn + area->count < m->nr_pfns)
        g_assert_cmpuint (va_machine_pageblock_mt (m, area->base_pfn + area->count), !=, VA_MT_CMA);
      g_assert_cmpuint (normal->cma_pages, ==, area->count);
      g_assert_cmpuint (normal->free_cma, ==, area->count);
      g_assert_cmpuint (m->zones[VA_ZONE_DMA].cma_pages, ==, 0);
      g_assert_cmpuint (m->zones[VA_ZONE_HIGHMEM].cma_pages, ==, 0);
      for (guint32 pfn = area->base_pfn; pfn < area->base_pfn + area->count; pfn++)
        g_assert_cmpuint (m->pages[pfn].state == VA_PAGE_FREE || m->pages[pfn].state == VA_PAGE_TAIL,
                          ==, TRUE);
      /* freed a pageblock at a time; CMA blocks merge with CMA buddies into
       * every whole MAX_ORDER-1 block of the area */
      {
        guint top = m->profile->max_order - 1;
        guint32 first = (area->base_pfn + (1u << top) - 1) >> top;
        guint32 last = (area->base_pfn + area->count) >> top;

        g_assert_cmpuint (normal->free_area[top].free_list[VA_MT_CMA].count, ==,
                          last > first ? last - first : 0);
      }

      /* the same pages are managed with and without the area */
      for (guint z = 0; z < m->profile->nr_zones; z++)
        {
          managed += m->zones[z].managed;
          plain_managed += plain->zones[z].managed;
        }
      g_assert_cmpuint (managed, ==, plain_managed);
      g_assert_cmpuint (m->reserved_pages, ==, plain->reserved_pages);

      line = g_strdup_printf ("cma: Reserved %u MiB at 0x%08x", area->count / 256,
                              area->base_pfn << VA_PAGE_SHIFT);
      if (!log_has (m, 0, line))
        g_error ("boot log lacks “%s”", line);
      assert_valid (m);
    }
}

/* A reservation that cannot be made is a machine error; so is cma= on a
 * kernel that predates CMA. */
static void
test_reserve_errors (void)
{
  static const struct { const char *profile; guint64 ram; gboolean pae; const char *cma; const char *text; } rows[] = {
    { "linux-6.1", 512 * MiB, FALSE, "600M", "cma: Failed to reserve" },
    { "linux-6.1", 512 * MiB, FALSE, "512M", "cma: Failed to reserve" },
    { "linux-6.1", 1024 * MiB, FALSE, "900M", "cma: Failed to reserve" },
    { "linux-6.1", 512 * MiB, FALSE, "16M@0x1F800000", "cma: Failed to reserve" },  /* straddles */
    { "linux-6.1", 512 * MiB, TRUE, "16M@0x1F800000", "cma: Failed to reserve" },
    { "linux-6.1", 1024 * MiB, FALSE, "16M@0x36000000", "cma: Failed to reserve" }, /* into HighMem */
    { "linux-6.1", 512 * MiB, FALSE, "4M@0x1400000", "cma: Failed to reserve" },    /* kernel image */
    { "linux-6.1", 512 * MiB, FALSE, "8M@0x1000000", "cma: Failed to reserve" },
    { "linux-2.6.9", 512 * MiB, FALSE, "16M", "3.5" },
    { "linux-2.4.21", 512 * MiB, FALSE, "16M", "3.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      VaMachine *m = boot_full (rows[i].profile, rows[i].ram, rows[i].pae, rows[i].cma, TRUE, &error);

      if (m != NULL)
        g_error ("%s ram %" G_GUINT64_FORMAT " MiB cma=%s: booted", rows[i].profile,
                 rows[i].ram / MiB, rows[i].cma);
      g_assert_nonnull (error);
      if (!strstr (error->message, rows[i].text))
        g_error ("cma=%s: “%s” does not say “%s”", rows[i].cma, error->message, rows[i].text);
    }
}

/*** Which pages movable allocations get ***/

/* __rmqueue: CMA first when free CMA pages exceed half the zone's free
 * pages; otherwise the MOVABLE lists, and CMA only when they and the
 * fallbacks are empty. */
static void
test_cma_first_rule (void)
{
  for (guint pcp = 0; pcp < 2; pcp++)
    {
      g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", pcp);
      const VaCmaArea *area = area_of (m);
      VaZone *normal = &m->zones[VA_ZONE_NORMAL];
      char name[16];

      /* plenty of free memory: free_cma <= free / 2 */
      g_assert_cmpuint (normal->free_cma, <=, normal->free / 2);
      for (guint i = 0; i < 20; i++)
        {
          guint order = i % 5;   /* orders above 3 skip the per-cpu lists */

          g_snprintf (name, sizeof name, "a%u", i);
          g_assert_true (alloc (m, name, order, MOVABLE, TRUE));
          g_assert_false (in_area (area, va_test_lookup (m, name)->pfn));
          g_assert_cmpuint (va_machine_pageblock_mt (m, va_test_lookup (m, name)->pfn), ==,
                            VA_MT_MOVABLE);
          g_assert_cmpuint (va_test_lookup (m, name)->zone, ==, VA_ZONE_NORMAL);
        }
      g_assert_cmpuint (normal->free_cma, ==, area->count);

      /* unmovable ballast until CMA holds more than half of what is free */
      fill_unmovable (m);
      g_assert_cmpuint (normal->free_cma, >, normal->free / 2);
      for (guint i = 0; i < 20; i++)
        {
          guint order = i % 5;
          guint32 free_cma = normal->free_cma;

          g_snprintf (name, sizeof name, "b%u", i);
          g_assert_true (alloc (m, name, order, MOVABLE, TRUE));
          g_assert_cmpuint (va_test_lookup (m, name)->migratetype, ==, VA_MT_MOVABLE);
          /* orders 0-3 may come off a per-cpu list filled before */
          if (order > 3 || !pcp)
            {
              g_assert_true (in_area (area, va_test_lookup (m, name)->pfn));
              g_assert_cmpuint (va_machine_pageblock_mt (m, va_test_lookup (m, name)->pfn), ==,
                                VA_MT_CMA);
              g_assert_cmpuint (normal->free_cma, ==, free_cma - (1u << order));
            }
        }
      assert_cma_consistent (m);
    }

  /* GFP_HIGHUSER_MOVABLE prefers HighMem: on 1 GiB it does not touch CMA */
  {
    g_autoptr(VaMachine) m = boot (1024 * MiB, FALSE, "16M", TRUE);

    g_assert_true (alloc (m, "h", 0, "GFP_HIGHUSER_MOVABLE", TRUE));
    g_assert_cmpuint (va_test_lookup (m, "h")->zone, ==, VA_ZONE_HIGHMEM);
    g_assert_false (in_area (area_of (m), va_test_lookup (m, "h")->pfn));
  }
  /* ... and without HighMem it lands in Normal, in CMA once CMA-first holds */
  {
    g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", FALSE);

    fill_unmovable (m);
    g_assert_true (alloc (m, "h", 0, "GFP_HIGHUSER_MOVABLE", TRUE));
    g_assert_cmpuint (va_test_lookup (m, "h")->zone, ==, VA_ZONE_NORMAL);
    g_assert_true (in_area (area_of (m), va_test_lookup (m, "h")->pfn));
  }
}

/* Below the CMA-first threshold, CMA comes after the MOVABLE lists but
 * before stealing from another type: __rmqueue_cma_fallback precedes
 * __rmqueue_fallback. */
static guint32
count_blocks (VaMachine *m,
              guint      mt)
{
  const VaZone *normal = &m->zones[VA_ZONE_NORMAL];
  guint32 n = 0;

  for (guint32 pfn = normal->start_pfn; pfn < normal->end_pfn; pfn += 1u << m->pageblock_order)
    n += va_machine_pageblock_mt (m, pfn) == mt;
  return n;
}

static void
test_cma_before_steal (void)
{
  g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", FALSE);
  const VaCmaArea *area = area_of (m);
  VaZone *normal = &m->zones[VA_ZONE_NORMAL];
  guint32 unmovable_blocks;
  guint nk = fill_unmovable (m);
  char name[16];

  /* the ballast turned the movable pageblocks unmovable; freed, they wait
   * on the UNMOVABLE lists */
  free_ballast (m, nk);
  unmovable_blocks = count_blocks (m, VA_MT_UNMOVABLE);
  g_assert_cmpuint (unmovable_blocks, >, 64);
  for (guint n = 0;; n++)
    {
      guint32 free = normal->free, free_cma = normal->free_cma;
      gboolean movable_left = FALSE;
      const VaAllocation *a;

      for (guint o = 4; o < m->profile->max_order; o++)
        movable_left |= normal->free_area[o].free_list[VA_MT_MOVABLE].head != VA_PFN_NONE;
      g_snprintf (name, sizeof name, "m%u", n);
      g_assert_true (alloc (m, name, 4, MOVABLE, FALSE));
      a = va_test_lookup (m, name);
      g_assert_cmpuint (a->zone, ==, VA_ZONE_NORMAL);
      if (!in_area (area, a->pfn))
        {
          g_assert_true (movable_left);
          g_assert_cmpuint (va_machine_pageblock_mt (m, a->pfn), ==, VA_MT_MOVABLE);
          g_assert_cmpuint (n, <, 100000);
          continue;
        }
      /* the first page from CMA: not the CMA-first rule, the MOVABLE lists
       * were empty, and no unmovable block was stolen */
      g_assert_cmpuint (free_cma, <=, free / 2);
      g_assert_false (movable_left);
      g_assert_cmpuint (count_blocks (m, VA_MT_UNMOVABLE), ==, unmovable_blocks);
      break;
    }
  assert_valid (m);
  assert_cma_consistent (m);
}

/* GFP_KERNEL (and reclaimable) pages never come from CMA, even when
 * Normal has nothing else left: the watermark leaves CMA pages out. */
static void
test_unmovable_never_in_cma (void)
{
  for (guint pcp = 0; pcp < 2; pcp++)
    {
      g_autoptr(VaMachine) m = boot (128 * MiB, FALSE, "16M", pcp);
      const VaCmaArea *area = area_of (m);
      VaZone *normal = &m->zones[VA_ZONE_NORMAL];
      guint n = 0, failures = 0;
      char name[16];

      while (failures < 8)
        {
          const char *gfp = n % 3 == 2 ? "GFP_KERNEL|__GFP_RECLAIMABLE" : "GFP_KERNEL";
          guint order = n % 4;

          g_snprintf (name, sizeof name, "u%u", n++);
          if (!alloc (m, name, order, gfp, FALSE))
            {
              failures++;
              continue;
            }
          g_assert_false (in_area (area, va_test_lookup (m, name)->pfn));
          g_assert_false (in_area (area, va_test_lookup (m, name)->pfn + (1u << order) - 1));
        }
      assert_valid (m);
      /* Normal is nearly full; the CMA area is untouched */
      g_assert_cmpuint (normal->free - normal->free_cma, <, normal->wmark_high + 64);
      g_assert_cmpuint (normal->free_cma, ==, area->count);
      assert_cma_consistent (m);
      /* yet a movable page still finds room there */
      g_assert_true (alloc (m, "mv", 0, MOVABLE, TRUE));
      g_assert_true (in_area (area, va_test_lookup (m, "mv")->pfn));
    }
}

/*** cma_alloc ***/

/* On a fresh machine: the first aligned offset, COUNT order-0 pages owned
 * by the allocation, in lowmem's linear map; the bitmap marks them. */
static void
test_alloc_fresh (void)
{
  g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", FALSE);
  const VaCmaArea *area = area_of (m);
  VaZone *normal = &m->zones[VA_ZONE_NORMAL];
  guint32 free_before = va_machine_total_free (m);
  guint64 used_before = used_pages (m);
  const VaAllocation *a, *b, *c;

  g_assert_true (cma_alloc (m, "a", 100, -1, NULL));
  a = va_test_lookup (m, "a");
  g_assert_cmpint (a->kind, ==, VA_ALLOC_CMA);
  g_assert_cmpint (a->state, ==, VA_ALLOC_LIVE);
  g_assert_cmpuint (a->pfn, ==, area->base_pfn);
  g_assert_cmpuint (a->size, ==, 100 * 4096);
  g_assert_cmpuint (a->zone, ==, VA_ZONE_NORMAL);
  g_assert_cmphex (a->virt, ==, m->config.page_offset + (a->pfn << VA_PAGE_SHIFT));
  for (guint32 k = 0; k < 100; k++)
    {
      const VaPage *p = &m->pages[a->pfn + k];

      g_assert_cmpuint (p->state, ==, VA_PAGE_ALLOCATED);
      g_assert_cmpuint (p->order, ==, 0);
      g_assert_cmpuint (p->owner, ==, a->id);
    }
  g_assert_cmpuint (va_machine_total_free (m), ==, free_before - 100);
  g_assert_cmpuint (used_pages (m), ==, used_before + 100);
  g_assert_cmpuint (normal->free_cma, ==, area->count - 100);
  g_assert_cmpuint (va_cma_area_used (area), ==, 100);
  g_assert_cmpuint (va_cma_area_maxchunk (area), ==, area->count - 100);

  /* default align: get_order(100) = 7, so the next one starts at 128 */
  g_assert_true (cma_alloc (m, "b", 100, -1, NULL));
  b = va_test_lookup (m, "b");
  g_assert_cmpuint (b->pfn, ==, area->base_pfn + 128);
  /* align=0 packs right after */
  g_assert_true (cma_alloc (m, "c", 5, 0, NULL));
  c = va_test_lookup (m, "c");
  g_assert_cmpuint (c->pfn, ==, area->base_pfn + 100);
  /* align=4: bits 0-104 and 128-227 are taken; 112-127 is the first
   * 16-aligned free run of 16 */
  g_assert_true (cma_alloc (m, "d", 16, 4, NULL));
  g_assert_cmpuint (va_test_lookup (m, "d")->pfn, ==, area->base_pfn + 112);
  /* the default caps at CONFIG_CMA_ALIGNMENT 8: 256-page alignment for 1024 pages */
  g_assert_true (cma_alloc (m, "e", 1024, -1, NULL));
  g_assert_cmpuint (va_test_lookup (m, "e")->pfn, ==, area->base_pfn + 256);
  g_assert_cmpuint (va_cma_area_used (area), ==, 100 + 100 + 5 + 16 + 1024);
  assert_cma_consistent (m);
}

/* Movable pages in the range are migrated out; their allocations keep
 * their names and data with new pfns; pages are conserved. */
static void
test_alloc_migrates (void)
{
  for (guint pcp = 0; pcp < 2; pcp++)
    {
      g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", pcp);
      const VaCmaArea *area = area_of (m);
      guint nk = fill_unmovable (m);
      guint nf, moved = 0, log_before;
      guint64 used_before;
      guint32 lo, hi;
      GArray *old = g_array_new (FALSE, FALSE, sizeof (guint32));
      const VaAllocation *buf;
      char name[16];

      g_assert_cmpuint (nk, >, 50);
      /* movable pages borrow the CMA area until one sits in its first 1024 pages */
      nf = fill_movable_until (m, area->base_pfn, area->base_pfn + 1024, 8192, 200);
      /* room for the migration targets outside the range */
      free_ballast (m, 8);
      for (guint i = 0; i < nf; i++)
        {
          guint32 pfn;

          g_snprintf (name, sizeof name, "f%u", i);
          pfn = va_test_lookup (m, name)->pfn;
          g_array_append_val (old, pfn);
          if (pfn >= area->base_pfn && pfn < area->base_pfn + 1024)
            moved++;
        }
      g_assert_cmpuint (moved, >, 100);
      g_test_message ("pcp %u: %u movable pages, %u of them in the range", pcp, nf, moved);
      used_before = used_pages (m);
      log_before = m->log->len;

      g_assert_true (cma_alloc (m, "buf", 1024, -1, NULL));
      buf = va_test_lookup (m, "buf");
      lo = buf->pfn;
      hi = buf->pfn + 1024;
      g_assert_cmpuint (lo, ==, area->base_pfn);
      g_assert_cmpuint (buf->size, ==, 1024 * 4096);
      for (guint i = 0; i < nf; i++)
        {
          const VaAllocation *a;
          guint32 was = g_array_index (old, guint32, i);

          g_snprintf (name, sizeof name, "f%u", i);
          a = va_test_lookup (m, name);
          g_assert_cmpint (a->state, ==, VA_ALLOC_LIVE);
          g_assert_cmpint (a->kind, ==, VA_ALLOC_PAGES);
          g_assert_cmpstr (a->name, ==, name);
          g_assert_cmpuint (a->order, ==, 0);
          g_assert_cmpuint (a->migratetype, ==, VA_MT_MOVABLE);
          g_assert_false (a->pfn >= lo && a->pfn < hi);
          if (was < lo || was >= hi)
            g_assert_cmpuint (a->pfn, ==, was);          /* untouched */
          else
            g_assert_cmpuint (m->pages[was].owner, ==, buf->id);
          g_assert_cmpuint (m->pages[a->pfn].state, ==, VA_PAGE_ALLOCATED);
          g_assert_cmpuint (m->pages[a->pfn].owner, ==, a->id);
          g_assert_cmphex (a->virt, ==, m->config.page_offset + (a->pfn << VA_PAGE_SHIFT));
          g_assert_cmpuint (a->zone, ==, va_machine_pfn_zone (m, a->pfn));
        }
      /* the log names the migrated allocations (one line each: see test_spec) */
      for (guint i = 0; i < nf; i++)
        {
          g_autofree char *text = NULL;
          guint32 was = g_array_index (old, guint32, i);

          if (was < lo || was >= hi)
            continue;
          text = g_strdup_printf ("“f%u”", i);
          g_assert_true (log_has (m, log_before, text));
        }
      /* exactly COUNT more pages in use */
      g_assert_cmpuint (used_pages (m), ==, used_before + 1024);
      g_assert_cmpuint (allocated_pages (m), ==, used_pages (m));
      assert_cma_consistent (m);
      g_array_unref (old);
    }
}

/* `workload movable` pages are migrated too, and stay in lowmem. */
static void
test_workload_movable (void)
{
  g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", TRUE);
  const VaCmaArea *area = area_of (m);
  VaZone *normal = &m->zones[VA_ZONE_NORMAL];
  g_autoptr(VaOp) op = va_op_new (VA_OP_WORKLOAD_MOVABLE);
  guint64 used_before;
  guint32 borrowed = 0;

  fill_unmovable (m);
  op->seed = 5;
  op->count = 2500;
  used_before = used_pages (m);
  g_assert_true (run_op (m, op, NULL, TRUE));
  g_assert_cmpuint (used_pages (m), ==, used_before + 2500);
  g_assert_cmpuint (m->zones[VA_ZONE_HIGHMEM].present, ==, 0);
  for (guint32 pfn = area->base_pfn; pfn < area->base_pfn + area->count; pfn++)
    if (m->pages[pfn].state == VA_PAGE_ALLOCATED)
      {
        g_assert_cmpuint (m->pages[pfn].flags & VA_PAGE_F_MOVABLE, !=, 0);
        borrowed += 1u << m->pages[pfn].order;
      }
  g_assert_cmpuint (borrowed, >, 1000);
  g_assert_cmpuint (normal->free_cma, <, area->count - 1000);
  /* free room, then take the whole area back */
  free_ballast (m, 8);
  used_before = used_pages (m);
  g_assert_true (cma_alloc (m, "all", area->count, -1, NULL));
  g_assert_cmpuint (va_test_lookup (m, "all")->pfn, ==, area->base_pfn);
  g_assert_cmpuint (used_pages (m), ==, used_before + area->count);
  g_assert_cmpuint (va_cma_area_maxchunk (area), ==, 0);
  g_assert_cmpuint (normal->free_cma, ==, 0);
  assert_cma_consistent (m);
}

/* A pinned page makes alloc_contig_range fail with -EBUSY; the range is
 * restored and the search retries at the next aligned offset. */
static void
test_pinned_ebusy_retry (void)
{
  g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", FALSE);
  const VaCmaArea *area = area_of (m);
  guint log_before;
  char name[16];
  const VaAllocation *u, *c;
  guint32 upfn;

  pin_movable_below (m, area->base_pfn + 256, name);
  u = va_test_lookup (m, name);
  upfn = u->pfn;
  g_assert_true (u->pinned);
  g_assert_cmpuint (m->pages[upfn].flags & VA_PAGE_F_PINNED, !=, 0);
  log_before = m->log->len;

  g_assert_true (cma_alloc (m, "c", 256, -1, NULL));   /* align 8: offsets 0, 256, … */
  c = va_test_lookup (m, "c");
  g_assert_cmpuint (c->pfn, ==, area->base_pfn + 256);
  g_assert_cmpuint (va_test_lookup (m, name)->pfn, ==, upfn);      /* not migrated */
  g_assert_true (log_has (m, log_before, "-16") || log_has (m, log_before, "EBUSY"));
  g_assert_cmpuint (va_machine_pageblock_mt (m, area->base_pfn), ==, VA_MT_CMA);
  for (guint32 k = 0; k < 256; k++)
    g_assert_cmpuint (area->bitmap[k], ==, 0);
  for (guint32 k = 256; k < 512; k++)
    g_assert_cmpuint (area->bitmap[k], !=, 0);
  assert_cma_consistent (m);

  /* align=0: retries step one page at a time, so a request covering the
   * pinned page ends up right after it */
  {
    guint32 off = upfn - area->base_pfn;

    /* 255 - off pages cover the pinned page from every start up to it;
     * the first fit is right after it, up to "c" at 256 */
    if (off < 128)
      {
        g_assert_true (cma_alloc (m, "d", 255 - off, 0, NULL));
        g_assert_cmpuint (va_test_lookup (m, "d")->pfn, ==, upfn + 1);
        g_assert_true (simple (m, VA_OP_CMA_RELEASE, "d"));
      }
  }

  /* unpinned, the page can be moved and the range taken */
  g_assert_true (simple (m, VA_OP_UNPIN, name));
  g_assert_false (va_test_lookup (m, name)->pinned);
  g_assert_cmpuint (m->pages[va_test_lookup (m, name)->pfn].flags & VA_PAGE_F_PINNED, ==, 0);
  g_assert_true (cma_alloc (m, "e", 8, 3, NULL));
  assert_cma_consistent (m);
}

/* The micro-steps of cma_alloc as events, in the kernel's order: bitmap,
 * isolate, drain, migrate / busy, unisolate, retry; then bitmap, isolate,
 * drain, take, unisolate. */
static void
test_alloc_events (void)
{
  g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", TRUE);
  const VaCmaArea *area = area_of (m);
  static const VaEventType want[] = {
    VA_EV_CMA_BITMAP, VA_EV_CMA_ISOLATE, VA_EV_CMA_DRAIN, VA_EV_CMA_BUSY, VA_EV_CMA_UNISOLATE,
    VA_EV_CMA_RETRY,
    /* pfn 127232-128255 covers two pageblocks */
    VA_EV_CMA_BITMAP, VA_EV_CMA_ISOLATE, VA_EV_CMA_ISOLATE, VA_EV_CMA_DRAIN, VA_EV_CMA_TAKE,
    VA_EV_CMA_UNISOLATE, VA_EV_CMA_UNISOLATE,
  };
  static const guint block_of_event[G_N_ELEMENTS (want)] = {
    [1] = 0, [4] = 0, [7] = 0, [8] = 1, [10] = 0, [11] = 0, [12] = 1,
  };
  guint n = 0, migrations = 0, from;
  guint32 u2_was;

  va_machine_set_record_events (m, TRUE);
  /* the two pages released last head the per-cpu list: u1 gets base + 1,
   * u2 gets base */
  g_assert_true (cma_alloc (m, "probe", 2, 0, NULL));
  g_assert_true (simple (m, VA_OP_CMA_RELEASE, "probe"));
  g_assert_true (alloc (m, "u1", 0, MOVABLE, TRUE));
  g_assert_true (alloc (m, "u2", 0, MOVABLE, TRUE));
  g_assert_cmpuint (va_test_lookup (m, "u1")->pfn, ==, area->base_pfn + 1);
  g_assert_cmpuint (va_test_lookup (m, "u2")->pfn, ==, area->base_pfn);
  u2_was = va_test_lookup (m, "u2")->pfn;
  g_assert_true (simple (m, VA_OP_PIN, "u1"));
  from = m->events->len;
  g_assert_true (cma_alloc (m, "buf", 1024, -1, NULL));
  g_assert_cmpuint (va_test_lookup (m, "buf")->pfn, ==, area->base_pfn + 256);
  for (guint i = from; i < m->events->len; i++)
    {
      const VaEvent *ev = &g_array_index (m->events, VaEvent, i);

      switch (ev->type)
        {
        case VA_EV_MIGRATE:
          /* the unpinned page of the first range may move (the kernel does) */
          g_assert_cmpuint (ev->pfn, ==, u2_was);
          g_assert_cmpuint (ev->pfn2, ==, va_test_lookup (m, "u2")->pfn);
          migrations++;
          break;
        case VA_EV_CMA_BITMAP:
        case VA_EV_CMA_ISOLATE:
        case VA_EV_CMA_DRAIN:
        case VA_EV_CMA_BUSY:
        case VA_EV_CMA_RETRY:
        case VA_EV_CMA_TAKE:
        case VA_EV_CMA_UNISOLATE:
          if (n >= G_N_ELEMENTS (want) || ev->type != want[n])
            g_error ("event %u of cma_alloc: %s, want %s", n, va_event_type_name (ev->type),
                     n < G_N_ELEMENTS (want) ? va_event_type_name (want[n]) : "none");
          if (ev->type == VA_EV_CMA_BUSY)
            g_assert_cmpuint (ev->pfn, ==, va_test_lookup (m, "u1")->pfn);
          if (ev->type == VA_EV_CMA_ISOLATE || ev->type == VA_EV_CMA_UNISOLATE)
            g_assert_cmpuint (ev->pfn, ==, area->base_pfn + (block_of_event[n] << m->pageblock_order));
          if (ev->type == VA_EV_CMA_TAKE)
            {
              g_assert_cmpuint (ev->pfn, ==, area->base_pfn + 256);
              g_assert_cmpuint (ev->pfn2, ==, area->base_pfn + 256 + 1023);
            }
          n++;
          break;
        default:
          break;
        }
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (want));
  g_assert_cmpuint (migrations, <=, 1);
  if (migrations == 0)
    g_assert_cmpuint (va_test_lookup (m, "u2")->pfn, ==, u2_was);
  assert_cma_consistent (m);
}

/* Every candidate busy: -EBUSY with each busy pfn and its pinner; no
 * aligned free range at all: -ENOMEM.  Both are failures of the call, not
 * refused ops, and change nothing. */
static void
test_alloc_failures (void)
{
  g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "8M", FALSE);
  const VaCmaArea *area = area_of (m);
  VaZone *normal = &m->zones[VA_ZONE_NORMAL];
  char *reason = NULL;
  guint32 free_cma, free_before;
  guint64 used_before;
  const VaAllocation *a;
  char name[16];

  /* bigger than the largest free run */
  g_assert_true (cma_alloc (m, "x", 1000, 0, NULL));
  g_assert_true (cma_alloc (m, "y", 100, 0, NULL));
  g_assert_true (simple (m, VA_OP_CMA_RELEASE, "x"));
  g_assert_cmpuint (va_cma_area_maxchunk (area), ==, 1000);   /* 0-999, then 1100-2047: 948 */
  free_before = va_machine_total_free (m);
  g_assert_false (cma_alloc (m, "z", 1001, 0, &reason));
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "ret: -12"));
  g_clear_pointer (&reason, g_free);
  a = va_test_lookup (m, "z");
  g_assert_cmpint (a->state, ==, VA_ALLOC_FAILED);
  g_assert_nonnull (strstr (a->reason, "ret: -12"));
  g_assert_true (m->last_op_failed);
  g_assert_cmpuint (va_machine_total_free (m), ==, free_before);
  g_assert_cmpuint (va_cma_area_used (area), ==, 100);
  g_assert_true (simple (m, VA_OP_CMA_RELEASE, "y"));

  /* all busy: one pinned page inside the only candidate */
  pin_movable_below (m, area->base_pfn + area->count, name);
  free_cma = normal->free_cma;
  used_before = used_pages (m);
  g_assert_false (cma_alloc (m, "whole", area->count, -1, &reason));
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "ret: -16"));
  {
    g_autofree char *pfn_text = g_strdup_printf ("%u", va_test_lookup (m, name)->pfn);
    g_autofree char *who = g_strdup_printf ("pinned by “%s”", name);

    if (!strstr (reason, pfn_text) || !strstr (reason, who))
      g_error ("reason “%s” does not name pfn %s %s", reason, pfn_text, who);
  }
  g_clear_pointer (&reason, g_free);
  g_assert_cmpint (va_test_lookup (m, "whole")->state, ==, VA_ALLOC_FAILED);
  g_assert_cmpuint (va_cma_area_used (area), ==, 0);
  g_assert_cmpuint (bitmap_set_bits (area), ==, 0);
  /* whatever was migrated before the pinned page was found stays migrated;
   * the pages are all back on CMA free lists or in use, none isolated */
  for (guint32 pfn = area->base_pfn; pfn < area->base_pfn + area->count; pfn += 1u << m->pageblock_order)
    g_assert_cmpuint (va_machine_pageblock_mt (m, pfn), ==, VA_MT_CMA);
  g_assert_cmpuint (normal->free_cma, >=, free_cma);
  g_assert_cmpuint (used_pages (m), ==, used_before);   /* a migration frees what it takes */
  assert_cma_consistent (m);
}

/* cma_release gives the pages back: bitmap clear, free_cma restored, the
 * blocks merge up to pageblocks again. */
static void
test_release (void)
{
  for (guint pae = 0; pae < 2; pae++)
    {
      g_autoptr(VaMachine) m = boot (512 * MiB, pae, "16M", FALSE);
      const VaCmaArea *area = area_of (m);
      VaZone *normal = &m->zones[VA_ZONE_NORMAL];
      guint top = m->profile->max_order - 1;
      guint32 blocks_before = normal->free_area[top].free_list[VA_MT_CMA].count;
      guint32 free_before = va_machine_total_free (m);

      g_assert_true (cma_alloc (m, "a", 300, -1, NULL));
      g_assert_true (cma_alloc (m, "b", 77, 2, NULL));
      g_assert_cmpuint (normal->free_cma, ==, area->count - 377);
      g_assert_true (simple (m, VA_OP_CMA_RELEASE, "a"));
      g_assert_cmpint (va_test_lookup (m, "a")->state, ==, VA_ALLOC_FREED);
      g_assert_cmpuint (va_cma_area_used (area), ==, 77);
      g_assert_cmpuint (normal->free_cma, ==, area->count - 77);
      g_assert_true (simple (m, VA_OP_CMA_RELEASE, "b"));
      g_assert_cmpuint (va_cma_area_used (area), ==, 0);
      g_assert_cmpuint (bitmap_set_bits (area), ==, 0);
      g_assert_cmpuint (va_cma_area_maxchunk (area), ==, area->count);
      g_assert_cmpuint (normal->free_cma, ==, area->count);
      g_assert_cmpuint (va_machine_total_free (m), ==, free_before);
      g_assert_cmpuint (normal->free_area[top].free_list[VA_MT_CMA].count, ==, blocks_before);
      for (guint32 pfn = area->base_pfn; pfn < area->base_pfn + area->count; pfn++)
        g_assert_cmpuint (m->pages[pfn].state == VA_PAGE_FREE || m->pages[pfn].state == VA_PAGE_TAIL,
                          ==, TRUE);
      /* the name can be used again */
      g_assert_true (cma_alloc (m, "a", 10, -1, NULL));
      g_assert_cmpuint (va_test_lookup (m, "a")->pfn, ==, area->base_pfn);
      assert_cma_consistent (m);
    }
}

/*** Errors ***/

static void
test_errors (void)
{
  /* kernels without CMA */
  {
    static const char *const old[] = { "linux-2.4.21", "linux-2.6.9" };

    for (guint i = 0; i < G_N_ELEMENTS (old); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(VaMachine) m = boot_full (old[i], 256 * MiB, FALSE, NULL, TRUE, &error);
        g_autoptr(VaOp) ca = op_cma_alloc ("c", 16, -1);
        g_autofree char *text = NULL;

        g_assert_no_error (error);
        g_assert_true (alloc (m, "p", 0, "GFP_HIGHUSER", TRUE));
        assert_error (refuse_op (m, ca), "3.5");
        assert_error (refuse (m, VA_OP_CMA_RELEASE, "c"), "3.5");
        assert_error (refuse (m, VA_OP_PIN, "p"), "p");     /* no movable pages there */
        assert_error (refuse (m, VA_OP_UNPIN, "p"), "p");
        text = va_procfs_cma (m);
        g_assert_true (g_str_has_prefix (text, "# "));
        g_assert_nonnull (strstr (text, old[i]));
        g_assert_nonnull (strstr (text, "3.5"));
      }
  }
  /* 6.1 without cma= */
  {
    g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, NULL, TRUE);
    g_autoptr(VaOp) ca = op_cma_alloc ("c", 16, -1);
    g_autofree char *text = NULL;

    g_assert_null (m->cma);
    assert_error (refuse_op (m, ca), "this machine has no CMA area; boot it with cma=SIZE");
    text = va_procfs_cma (m);
    g_assert_cmpstr (text, ==, "# no CMA area: boot with cma=SIZE (linux-6.1)\n");
  }
  /* 6.1 with cma= */
  {
    g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", TRUE);
    g_autoptr(VaOp) dup = op_cma_alloc ("c", 4, -1);

    g_assert_true (alloc (m, "k", 0, "GFP_KERNEL", TRUE));
    g_assert_true (alloc (m, "r", 0, "GFP_KERNEL|__GFP_RECLAIMABLE", TRUE));
    g_assert_true (alloc (m, "mv", 0, MOVABLE, TRUE));
    g_assert_true (alloc (m, "gone", 0, MOVABLE, TRUE));
    g_assert_true (simple (m, VA_OP_FREE, "gone"));
    {
      g_autoptr(VaOp) km = va_op_new (VA_OP_KMALLOC);
      g_autoptr(VaOp) vm = va_op_new (VA_OP_VMALLOC);

      km->name = g_strdup ("km");
      km->size = 100;
      vm->name = g_strdup ("vm");
      vm->size = 8192;
      g_assert_true (run_op (m, km, NULL, TRUE));
      g_assert_true (run_op (m, vm, NULL, TRUE));
    }

    /* pin / unpin */
    assert_error (refuse (m, VA_OP_PIN, "k"), "k");            /* not movable */
    assert_error (refuse (m, VA_OP_PIN, "r"), "r");
    assert_error (refuse (m, VA_OP_PIN, "km"), "km");          /* not a page allocation */
    assert_error (refuse (m, VA_OP_PIN, "vm"), "vm");
    assert_error (refuse (m, VA_OP_PIN, "nobody"), "nobody");  /* unknown */
    assert_error (refuse (m, VA_OP_PIN, "gone"), "gone");      /* freed */
    assert_error (refuse (m, VA_OP_UNPIN, "mv"), "mv");        /* not pinned */
    g_assert_true (simple (m, VA_OP_PIN, "mv"));
    assert_error (refuse (m, VA_OP_PIN, "mv"), "mv");          /* already pinned */
    g_assert_true (simple (m, VA_OP_UNPIN, "mv"));
    assert_error (refuse (m, VA_OP_UNPIN, "mv"), "mv");

    /* cma_alloc / cma_release / free */
    g_assert_true (cma_alloc (m, "c", 4, -1, NULL));
    assert_error (refuse_op (m, dup), "c");                    /* name in use */
    assert_error (refuse (m, VA_OP_FREE, "c"), "use cma_release c");
    assert_error (refuse (m, VA_OP_CMA_RELEASE, "mv"), "mv");  /* not a CMA allocation */
    assert_error (refuse (m, VA_OP_CMA_RELEASE, "nobody"), "nobody");
    assert_error (refuse (m, VA_OP_PIN, "c"), "c");            /* CMA pages are not movable pages */
    g_assert_true (simple (m, VA_OP_CMA_RELEASE, "c"));
    assert_error (refuse (m, VA_OP_CMA_RELEASE, "c"), "c");    /* double release */
    assert_cma_consistent (m);
  }
}

/*** Views ***/

static void
test_debugfs_and_json (void)
{
  g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", FALSE);
  g_autofree char *fresh = va_procfs_cma (m);
  g_autofree char *after = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_none = NULL;
  g_autoptr(VaMachine) none = boot (512 * MiB, FALSE, NULL, FALSE);

  g_assert_cmpstr (fresh, ==,
                   "reserved/base_pfn: 126976\n"
                   "reserved/count: 4096\n"
                   "reserved/order_per_bit: 0\n"
                   "reserved/used: 0\n"
                   "reserved/maxchunk: 4096\n"
                   "reserved/bitmap: \n");
  g_assert_true (cma_alloc (m, "a", 64, 0, NULL));
  g_assert_true (cma_alloc (m, "b", 1, 0, NULL));
  g_assert_true (cma_alloc (m, "c", 64, 7, NULL));   /* at 128 */
  after = va_procfs_cma (m);
  g_assert_cmpstr (after, ==,
                   "reserved/base_pfn: 126976\n"
                   "reserved/count: 4096\n"
                   "reserved/order_per_bit: 0\n"
                   "reserved/used: 129\n"
                   "reserved/maxchunk: 3904\n"
                   "reserved/bitmap: 0-64,128-191\n");
  g_assert_true (simple (m, VA_OP_CMA_RELEASE, "a"));
  g_clear_pointer (&after, g_free);
  after = va_procfs_cma (m);
  g_assert_nonnull (strstr (after, "reserved/bitmap: 64,128-191\n"));
  g_assert_nonnull (strstr (after, "reserved/maxchunk: 3904\n"));

  json = va_json_machine (m, FALSE, FALSE);
  g_assert_nonnull (strstr (json, "\"cma_areas\": ["));
  g_assert_nonnull (strstr (json, "\"name\": \"reserved\""));
  g_assert_nonnull (strstr (json, "\"base_pfn\": 126976"));
  g_assert_nonnull (strstr (json, "\"count\": 4096"));
  g_assert_nonnull (strstr (json, "\"order_per_bit\": 0"));
  g_assert_nonnull (strstr (json, "\"used\": 65"));
  g_assert_nonnull (strstr (json, "\"maxchunk\": 3904"));
  g_assert_nonnull (strstr (json, "\"kind\": \"cma\""));
  g_assert_nonnull (strstr (json, "\"pages\": 64"));
  json_none = va_json_machine (none, FALSE, FALSE);
  g_assert_nonnull (strstr (json_none, "\"cma_areas\": []"));
}

/* Through the scenario language, with expects. */
static void
test_scenario (void)
{
  static const char text[] =
    "machine ram=512M profile=linux-6.1 cma=16M pcp=off\n"
    "expect zone.Normal.cma == 4096\n"
    "expect zone.Normal.free_cma == 4096\n"
    "alloc u order=0 gfp=GFP_USER|__GFP_MOVABLE\n"
    "pin u\n"
    "unpin u\n"
    "cma_alloc c 64 align=4\n"
    "expect c.phys == 0x1F000000\n"
    "expect c.virt == 0xDF000000\n"
    "expect c.size == 256K\n"
    "expect c.zone == Normal\n"
    "expect zone.Normal.free_cma == 4096 - 64\n"
    "cma_alloc d 4033 align=0\n"
    "expect fail\n"
    "cma_release c\n"
    "expect zone.Normal.free_cma == 4096\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(VaScenario) sc = va_scenario_parse ("t.vms", text, &error);
  g_autoptr(VaMachine) m = NULL;
  VaMachineConfig c;
  VaRunReport report;

  g_assert_no_error (error);
  va_machine_config_init (&c);
  g_assert_true (va_scenario_apply_machine (sc, &c, NULL));
  va_run_report_init (&report);
  m = va_runner_run (sc, &c, VA_RUN_ALL, TRUE, &report, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  if (report.expects_failed)
    g_error ("%s", (char *) report.failures->pdata[0]);
  g_assert_cmpuint (report.expects_passed, ==, 9);
  assert_valid (m);
  va_run_report_clear (&report);
}

/*** Random mix ***/

typedef struct {
  guint allocs, pins, cma_ok, cma_fail, releases, migrated_logs;
} MixStats;

/* Applies an op that may be refused (pin of a page already pinned...). */
static void
try_op (VaMachine *m,
        VaOp      *op,
        MixStats  *st)
{
  VaOpResult result = { 0 };

  if (va_machine_apply (m, op, &result, NULL) && op->kind == VA_OP_CMA_ALLOC)
    {
      if (result.failed)
        st->cma_fail++;
      else
        st->cma_ok++;
    }
  va_op_result_clear (&result);
  assert_valid (m);
}

static void
random_step (VaMachine *m,
             VaRng     *rng,
             MixStats  *st)
{
  guint r = va_rng_below (rng, 100);
  char name[16];
  const VaAllocation *a;

  if (r < 45)
    {
      /* movable page allocations and frees */
      g_snprintf (name, sizeof name, "p%u", va_rng_below (rng, 150));
      a = va_machine_lookup (m, name);
      if (a && a->state == VA_ALLOC_LIVE)
        {
          g_autoptr(VaOp) op = op_named (a->pinned && va_rng_below (rng, 2) ? VA_OP_UNPIN : VA_OP_FREE,
                                         name);

          try_op (m, op, st);
        }
      else
        {
          static const char *const gfps[] = { MOVABLE, MOVABLE, "GFP_HIGHUSER_MOVABLE", "GFP_KERNEL" };
          g_autoptr(VaOp) op = op_alloc (name, va_rng_below (rng, 4), gfps[va_rng_below (rng, 4)]);

          try_op (m, op, st);
          st->allocs++;
        }
    }
  else if (r < 58)
    {
      /* pin / unpin a random name */
      g_snprintf (name, sizeof name, "p%u", va_rng_below (rng, 150));
      a = va_machine_lookup (m, name);
      if (a && a->state == VA_ALLOC_LIVE)
        {
          g_autoptr(VaOp) op = op_named (a->pinned ? VA_OP_UNPIN : VA_OP_PIN, name);

          try_op (m, op, st);
          st->pins++;
        }
    }
  else if (r < 80)
    {
      /* cma_alloc / cma_release */
      g_snprintf (name, sizeof name, "c%u", va_rng_below (rng, 12));
      a = va_machine_lookup (m, name);
      if (a && a->state == VA_ALLOC_LIVE)
        {
          g_autoptr(VaOp) op = op_named (VA_OP_CMA_RELEASE, name);

          try_op (m, op, st);
          st->releases++;
        }
      else
        {
          guint64 count = 1 + va_rng_below (rng, va_rng_below (rng, 4) ? 200 : 1500);
          gint align = va_rng_below (rng, 3) ? -1 : (gint) va_rng_below (rng, 10);
          g_autoptr(VaOp) op = op_cma_alloc (name, count, align);

          try_op (m, op, st);
        }
    }
  else if (r < 97)
    {
      /* unmovable ballast that pushes movable pages into CMA */
      g_snprintf (name, sizeof name, "k%u", va_rng_below (rng, 40));
      a = va_machine_lookup (m, name);
      if (a && a->state == VA_ALLOC_LIVE)
        {
          g_autoptr(VaOp) op = op_named (VA_OP_FREE, name);

          try_op (m, op, st);
        }
      else
        {
          g_autoptr(VaOp) op = op_alloc (name, 6 + va_rng_below (rng, 5), "GFP_KERNEL");

          try_op (m, op, st);
        }
    }
  else
    {
      g_autoptr(VaOp) op = va_op_new (VA_OP_WORKLOAD_MOVABLE);

      op->seed = va_rng_next (rng) % 1000;
      op->count = 1 + va_rng_below (rng, 400);
      try_op (m, op, st);
    }
}

static void
test_random_mix (void)
{
  static const struct { guint64 ram; gboolean pae; const char *cma; gboolean pcp; } machines[] = {
    { 64 * MiB, FALSE, "16M", TRUE },
    { 64 * MiB, TRUE, "6M", FALSE },
    { 96 * MiB, FALSE, "12M", FALSE },
    { 128 * MiB, TRUE, "32M", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (machines); i++)
    for (guint64 seed = 1; seed <= 3; seed++)
      {
        g_autoptr(VaMachine) m = boot (machines[i].ram, machines[i].pae, machines[i].cma,
                                       machines[i].pcp);
        MixStats st = { 0 };
        VaRng rng;

        va_rng_init (&rng, seed * 104729 + i);
        for (guint op = 0; op < 1200; op++)
          {
            random_step (m, &rng, &st);
            /* every page is counted once: in use, free or on a per-cpu list */
            g_assert_cmpuint (allocated_pages (m), ==, used_pages (m));
            if (op % 50 == 0)
              assert_cma_consistent (m);
          }
        assert_cma_consistent (m);
        st.migrated_logs = log_count (m, 0, "migrated");
        g_test_message ("machine %u seed %" G_GUINT64_FORMAT ": %u allocs, %u pins, cma_alloc "
                        "%u ok %u failed (%u -EBUSY), %u releases, %u with migrations", i, seed,
                        st.allocs, st.pins, st.cma_ok, st.cma_fail, log_count (m, 0, "EBUSY"),
                        st.releases, st.migrated_logs);
        g_assert_cmpuint (st.cma_ok, >, 10);
        g_assert_cmpuint (st.migrated_logs, >, 10);
        g_assert_cmpuint (st.releases, >, 5);
        g_assert_cmpuint (st.pins, >, 5);
      }
}

/*** Points of the CMA spec checked without stopping the run ***/

/* Each failed point is reported as it is found and the test goes on, so
 * one run lists every disagreement between the engine and the spec; the
 * test fails at the end if there was any. */
static guint spec_failures;

#define SPEC(cond, ...) G_STMT_START { \
    if (!(cond)) \
      { \
        g_autofree char *spec_text_ = g_strdup_printf (__VA_ARGS__); \
        g_test_message ("spec: %s", spec_text_); \
        spec_failures++; \
      } \
  } G_STMT_END

static void
test_spec (void)
{
  spec_failures = 0;
  /* pin/unpin on kernels before CMA name Linux 3.5 */
  {
    g_autoptr(VaMachine) m = NULL;
    g_autoptr(GError) error = NULL;
    static const VaOpKind kinds[] = { VA_OP_PIN, VA_OP_UNPIN };

    m = boot_full ("linux-2.6.9", 256 * MiB, FALSE, NULL, TRUE, &error);
    g_assert_no_error (error);
    g_assert_true (alloc (m, "p", 0, "GFP_HIGHUSER", TRUE));
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        g_autoptr(GError) e = refuse (m, kinds[i], "p");

        SPEC (strstr (e->message, "3.5") != NULL,
              "linux-2.6.9 %s: “%s” does not name Linux 3.5", va_op_kind_name (kinds[i]), e->message);
      }
  }

  /* COUNT larger than the area: no free range in the bitmap, so the call
   * fails with -ENOMEM (6.1 cma_alloc: bitmap_count > bitmap_maxno) */
  {
    g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "8M", FALSE);
    g_autoptr(VaOp) op = op_cma_alloc ("big", 2049, -1);
    g_autoptr(GError) error = NULL;
    VaOpResult result = { 0 };
    gboolean valid = va_machine_apply (m, op, &result, &error);

    SPEC (valid && result.failed && result.reason && strstr (result.reason, "ret: -12"),
          "cma_alloc of 2049 pages from a 2048-page area: want a failed call with “ret: -12”, "
          "got %s", valid ? (result.reason ? result.reason : "success") : error->message);
    va_op_result_clear (&result);
    assert_valid (m);
  }

  /* default align = min(get_order(COUNT pages), 8): get_order(1 page) = 0 */
  {
    g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", FALSE);
    const VaCmaArea *area = area_of (m);

    g_assert_true (cma_alloc (m, "x", 1, 0, NULL));
    g_assert_true (cma_alloc (m, "y", 1, -1, NULL));
    SPEC (va_test_lookup (m, "y")->pfn == area->base_pfn + 1,
          "cma_alloc y 1 (default align 0) after one page: want pfn %u, got %u",
          area->base_pfn + 1, va_test_lookup (m, "y")->pfn);
  }

  /* `expect NAME.pages` of a CMA allocation is its COUNT */
  {
    g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", FALSE);
    g_autoptr(GError) error = NULL;
    gint64 pages = -1;

    g_assert_true (cma_alloc (m, "c", 100, -1, NULL));
    g_assert_true (va_machine_query (m, "c.pages", &pages, &error));
    SPEC (pages == 100, "cma_alloc c 100: c.pages reads %" G_GINT64_FORMAT ", want 100", pages);
  }

  /* one log line per migration and per -EBUSY retry */
  {
    g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, "16M", TRUE);
    const VaCmaArea *area = area_of (m);
    guint before;

    /* the two pages released last sit at the head of the per-cpu list */
    g_assert_true (cma_alloc (m, "probe", 2, 0, NULL));
    g_assert_true (simple (m, VA_OP_CMA_RELEASE, "probe"));
    g_assert_true (alloc (m, "u1", 0, MOVABLE, TRUE));
    g_assert_true (alloc (m, "u2", 0, MOVABLE, TRUE));
    g_assert_true (in_area (area, va_test_lookup (m, "u1")->pfn) &&
                   va_test_lookup (m, "u1")->pfn < area->base_pfn + 2);
    g_assert_true (in_area (area, va_test_lookup (m, "u2")->pfn) &&
                   va_test_lookup (m, "u2")->pfn < area->base_pfn + 2);
    g_assert_true (simple (m, VA_OP_PIN, "u1"));
    g_assert_true (simple (m, VA_OP_PIN, "u2"));
    before = m->log->len;
    g_assert_true (cma_alloc (m, "r", 1, 0, NULL));
    g_assert_cmpuint (va_test_lookup (m, "r")->pfn, ==, area->base_pfn + 2);
    SPEC (log_count (m, before, "EBUSY") >= 2,
          "two -EBUSY retries logged on %u line(s), want one line each",
          log_count (m, before, "EBUSY"));
    g_assert_true (simple (m, VA_OP_CMA_RELEASE, "r"));
    g_assert_true (simple (m, VA_OP_UNPIN, "u1"));
    g_assert_true (simple (m, VA_OP_UNPIN, "u2"));
    before = m->log->len;
    g_assert_true (cma_alloc (m, "buf", 4, 0, NULL));
    g_assert_true (log_has (m, before, "“u1”") && log_has (m, before, "“u2”"));
    SPEC (log_count (m, before, "migrated") >= 2,
          "two migrations logged on %u line(s), want one line each",
          log_count (m, before, "migrated"));
  }

  /* a fixed @BASE away from the top: memblock (top-down) still puts mem_map
   * at the top of lowmem, and never on the kernel image */
  {
    static const char *const opts[] = { "4M@0x2000000", "8M@0x1E00000", "16M@0x10000000" };

    for (guint i = 0; i < G_N_ELEMENTS (opts); i++)
      {
        g_autoptr(VaMachine) m = boot (512 * MiB, FALSE, opts[i], TRUE);
        g_autoptr(VaMachine) plain = boot (512 * MiB, FALSE, NULL, TRUE);
        const VaCmaArea *area = area_of (m);
        gboolean on_kernel = m->mem_map_start_pfn < m->kernel_end_pfn &&
                             m->mem_map_end_pfn > m->kernel_start_pfn;

        SPEC (!on_kernel, "cma=%s: mem_map %u-%u overlaps the kernel image %u-%u", opts[i],
              m->mem_map_start_pfn, m->mem_map_end_pfn - 1, m->kernel_start_pfn,
              m->kernel_end_pfn - 1);
        /* the spec says "below it", which top-down memblock gives only when
         * the area is at the top: a note, not a failure */
        if (m->mem_map_end_pfn != m->layout.max_low_pfn)
          g_test_message ("note: cma=%s (area %u-%u): mem_map at %u-%u; memblock top-down would "
                          "put it at the top of lowmem (end %u)", opts[i], area->base_pfn,
                          area->base_pfn + area->count - 1, m->mem_map_start_pfn,
                          m->mem_map_end_pfn - 1, m->layout.max_low_pfn);
        SPEC (m->reserved_pages == plain->reserved_pages,
              "cma=%s: %u reserved pages, %u without the area", opts[i], m->reserved_pages,
              plain->reserved_pages);
      }
  }
  if (spec_failures)
    g_test_fail_printf ("%u point(s) of the CMA spec do not hold (see the messages above)",
                        spec_failures);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cma/reserve/placement", test_reserve_placement);
  g_test_add_func ("/cma/reserve/errors", test_reserve_errors);
  g_test_add_func ("/cma/movable/cma-first", test_cma_first_rule);
  g_test_add_func ("/cma/movable/cma-before-steal", test_cma_before_steal);
  g_test_add_func ("/cma/unmovable-never-in-cma", test_unmovable_never_in_cma);
  g_test_add_func ("/cma/alloc/fresh", test_alloc_fresh);
  g_test_add_func ("/cma/alloc/migrates", test_alloc_migrates);
  g_test_add_func ("/cma/alloc/workload-movable", test_workload_movable);
  g_test_add_func ("/cma/alloc/pinned-ebusy-retry", test_pinned_ebusy_retry);
  g_test_add_func ("/cma/alloc/events", test_alloc_events);
  g_test_add_func ("/cma/alloc/failures", test_alloc_failures);
  g_test_add_func ("/cma/release", test_release);
  g_test_add_func ("/cma/errors", test_errors);
  g_test_add_func ("/cma/debugfs-and-json", test_debugfs_and_json);
  g_test_add_func ("/cma/scenario", test_scenario);
  g_test_add_func ("/cma/random-mix", test_random_mix);
  g_test_add_func ("/cma/spec/engine-vs-spec", test_spec);
  return g_test_run ();
}
