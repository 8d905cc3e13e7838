/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmalloc per profile: placement, guard pages, reuse and lazy purge, zone
 * fallback, lookups at every region boundary, errors, and random mixes
 * with the invariant checker after every op. */
#include "va-check.h"
#include "va-lookup.h"
#include "va-vmalloc.h"
#include "va-test-util.h"

#include <string.h>

#define MiB (G_GUINT64_CONSTANT (1) << 20)

static VaMachine *
boot (const char *profile,
      guint64     ram,
      const char *vmalloc_option)
{
  g_autofree char *size = va_format_size (ram);
  g_autofree char *options = g_strdup_printf ("profile=%s ram=%s%s%s", profile, size,
                                              vmalloc_option ? " vmalloc=" : "",
                                              vmalloc_option ? vmalloc_option : "");

  return va_test_machine (options);
}

static void
assert_valid (VaMachine *m)
{
  va_test_assert_valid (m);
}

/* Applies one op; returns whether the kernel call succeeded. */
static gboolean
apply (VaMachine  *m,
       VaOpKind    kind,
       const char *name,
       guint64     size)
{
  g_autoptr(VaOp) op = va_op_new (kind);
  g_autoptr(GError) error = NULL;
  VaOpResult result = { 0 };
  gboolean ok;

  op->name = g_strdup (name);
  op->size = size;
  g_assert_true (va_machine_apply (m, op, &result, &error));
  g_assert_no_error (error);
  ok = !result.failed;
  va_op_result_clear (&result);
  assert_valid (m);
  return ok;
}

static GError *
apply_error (VaMachine  *m,
             VaOpKind    kind,
             const char *name,
             guint64     size)
{
  g_autoptr(VaOp) op = va_op_new (kind);
  GError *error = NULL;
  VaOpResult result = { 0 };

  op->name = g_strdup (name);
  op->size = size;
  g_assert_false (va_machine_apply (m, op, &result, &error));
  return error;
}

static const char *const profiles[] = { "linux-2.4.21", "linux-2.6.9", "linux-6.1" };

/* Two vmalloc(100) land 8 KiB apart from VMALLOC_START; the guard page
 * after each maps nothing; the size counts it. */
static void
test_placement_and_guard (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autoptr(VaMachine) m = boot (profiles[i], 1024 * MiB, NULL);
      VaLookup l;

      g_assert_true (apply (m, VA_OP_VMALLOC, "a", 100));
      g_assert_true (apply (m, VA_OP_VMALLOC, "b", 100));
      g_assert_cmphex (va_test_lookup (m, "a")->virt, ==, m->layout.vmalloc_start);
      g_assert_cmphex (va_test_lookup (m, "b")->virt, ==, va_test_lookup (m, "a")->virt + 8192);
      g_assert_cmpuint (va_vmalloc_area_at (m, va_test_lookup (m, "a")->virt)->size, ==, 8192);
      va_lookup_address (m, va_test_lookup (m, "a")->virt + 4096, &l);
      g_assert_cmpint (l.region, ==, VA_REGION_VMALLOC_GUARD);
      g_assert_cmpuint (l.pfn, ==, VA_PFN_NONE);
      va_lookup_address (m, va_test_lookup (m, "a")->virt + 100, &l);
      g_assert_cmpint (l.region, ==, VA_REGION_VMALLOC_AREA);
      g_assert_cmpuint (l.pfn, ==, va_test_lookup (m, "a")->pfns[0]);
    }
}

/* Pages come from HighMem when it exists, else Normal; vmalloc_32 never
 * from HighMem; pages of one area are scattered, not contiguous. */
static void
test_zones (void)
{
  g_autoptr(VaMachine) big = boot ("linux-2.6.9", 1024 * MiB, NULL);
  g_autoptr(VaMachine) small = boot ("linux-2.6.9", 512 * MiB, NULL);

  g_assert_true (apply (big, VA_OP_VMALLOC, "h", 64 * 1024));
  for (guint i = 0; i < 16; i++)
    g_assert_cmpuint (va_machine_pfn_zone (big, va_test_lookup (big, "h")->pfns[i]), ==,
                      VA_ZONE_HIGHMEM);
  g_assert_true (apply (big, VA_OP_VMALLOC_32, "l", 64 * 1024));
  for (guint i = 0; i < 16; i++)
    g_assert_cmpuint (va_machine_pfn_zone (big, va_test_lookup (big, "l")->pfns[i]), ==,
                      VA_ZONE_NORMAL);
  g_assert_true (apply (small, VA_OP_VMALLOC, "n", 64 * 1024));
  g_assert_cmpuint (va_test_lookup (small, "n")->zone, ==, VA_ZONE_NORMAL);
}

/* 2.4/2.6.9 reuse a freed range at once; 6.1 keeps it lazily freed, so
 * vmalloc, vfree, vmalloc gives a new address — until the purge. */
static void
test_reuse_and_lazy (void)
{
  g_autoptr(VaMachine) old = boot ("linux-2.6.9", 1024 * MiB, NULL);
  g_autoptr(VaMachine) modern = boot ("linux-6.1", 1024 * MiB, NULL);
  guint32 first;
  VaLookup l;

  g_assert_true (apply (old, VA_OP_VMALLOC, "a", 4096));
  first = va_test_lookup (old, "a")->virt;
  g_assert_true (apply (old, VA_OP_VFREE, "a", 0));
  g_assert_true (apply (old, VA_OP_VMALLOC, "b", 4096));
  g_assert_cmphex (va_test_lookup (old, "b")->virt, ==, first);

  g_assert_true (apply (modern, VA_OP_VMALLOC, "a", 4096));
  first = va_test_lookup (modern, "a")->virt;
  g_assert_true (apply (modern, VA_OP_VFREE, "a", 0));
  va_lookup_address (modern, first, &l);
  g_assert_cmpint (l.region, ==, VA_REGION_VMALLOC_LAZY);
  g_assert_cmpuint (modern->vmalloc->lazy_pages, ==, 2);
  g_assert_true (apply (modern, VA_OP_VMALLOC, "b", 4096));
  g_assert_cmphex (va_test_lookup (modern, "b")->virt, ==, first + 8192);
  /* more than lazy_max_pages (8192 with one CPU) of lazy areas: purged */
  g_assert_true (apply (modern, VA_OP_VMALLOC, "big", 40 * MiB));
  g_assert_true (apply (modern, VA_OP_VFREE, "big", 0));
  g_assert_cmpuint (modern->vmalloc->lazy_pages, ==, 0);
  g_assert_true (apply (modern, VA_OP_VMALLOC, "c", 4096));
  g_assert_cmphex (va_test_lookup (modern, "c")->virt, ==, first);
}

/* Running out of space fails with the kernel's advice; vmalloc= fixes it. */
static void
test_out_of_space (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 1024 * MiB, NULL);
  g_autoptr(VaMachine) roomy = boot ("linux-2.6.9", 1024 * MiB, "256M");
  g_autoptr(VaMachine) modern = boot ("linux-6.1", 1024 * MiB, NULL);
  const VaAllocation *a;

  g_assert_false (apply (m, VA_OP_VMALLOC, "big", 120 * MiB));
  a = va_test_lookup (m, "big");
  g_assert_cmpint (a->state, ==, VA_ALLOC_FAILED);
  g_assert_nonnull (strstr (a->reason, "use vmalloc=<size> to increase size"));
  g_assert_true (apply (roomy, VA_OP_VMALLOC, "big", 120 * MiB));
  /* 6.1: lazily freed areas are purged once before giving up */
  g_assert_true (apply (modern, VA_OP_VMALLOC, "a", 30 * MiB));   /* 7681 lazy pages <= 8192 */
  g_assert_true (apply (modern, VA_OP_VFREE, "a", 0));
  g_assert_cmpuint (modern->vmalloc->lazy_pages, >, 0);
  g_assert_true (apply (modern, VA_OP_VMALLOC, "b", 100 * MiB));
}

/* A failure part-way frees the pages it took and says why. */
static void
test_partial_failure (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 64 * MiB, "512M");
  guint32 before = va_machine_total_free (m);
  const VaAllocation *a;

  g_assert_false (apply (m, VA_OP_VMALLOC, "huge", 60 * MiB));
  a = va_test_lookup (m, "huge");
  g_assert_nonnull (strstr (a->reason, "already taken were freed"));
  g_assert_cmpuint (m->vmalloc->busy_bytes, ==, 0);
  g_assert_cmpuint (va_machine_total_free (m) + 64, >=, before);   /* pcp may hold a few */
}

static void
test_errors (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 1024 * MiB, NULL);
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;

  e1 = apply_error (m, VA_OP_VFREE, "ghost", 0);
  g_assert_nonnull (strstr (e1->message, "Trying to vfree() nonexistent vm area"));
  g_assert_true (apply (m, VA_OP_VMALLOC, "a", 100));
  g_assert_true (apply (m, VA_OP_VFREE, "a", 0));
  e2 = apply_error (m, VA_OP_VFREE, "a", 0);
  g_assert_nonnull (strstr (e2->message, "double vfree"));
  e3 = apply_error (m, VA_OP_VMALLOC, "z", 0);
  g_assert_nonnull (strstr (e3->message, "at least one byte"));
  g_assert_true (apply (m, VA_OP_VMALLOC, "b", 100));
  e4 = apply_error (m, VA_OP_FREE, "b", 0);
  g_assert_nonnull (strstr (e4->message, "use vfree b"));
}

/* First and last byte of every region resolve to that region. */
static void
test_lookup_boundaries (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autoptr(VaMachine) m = boot (profiles[i], 1024 * MiB, NULL);
      const VaLayout *lay = &m->layout;
      const struct { guint32 first; guint64 end; VaRegion region; } rows[] = {
        { 0, lay->page_offset, VA_REGION_USER },
        { lay->page_offset, lay->high_memory, VA_REGION_LINEAR },
        { lay->high_memory, lay->vmalloc_start, VA_REGION_VMALLOC_GAP },
        { lay->vmalloc_start, lay->vmalloc_end, VA_REGION_VMALLOC_FREE },
        { lay->vmalloc_end, lay->pkmap_base, VA_REGION_VMALLOC_END_GAP },
        { lay->pkmap_base, lay->pkmap_base + lay->last_pkmap * 4096u, VA_REGION_PKMAP },
        { lay->fixaddr_start, lay->fixaddr_top, VA_REGION_FIXMAP },
        { lay->fixaddr_top, G_GUINT64_CONSTANT (1) << 32, VA_REGION_TOP },
      };

      for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
        {
          VaLookup first, last;

          va_lookup_address (m, rows[r].first, &first);
          va_lookup_address (m, rows[r].end - 1, &last);
          if (first.region != rows[r].region || last.region != rows[r].region)
            g_error ("%s row %u: 0x%08x -> %d, 0x%08" G_GINT64_MODIFIER "x -> %d, want %d",
                     profiles[i], r, rows[r].first, first.region, rows[r].end - 1, last.region,
                     rows[r].region);
        }
      if (lay->cea_base)
        {
          VaLookup l;

          va_lookup_address (m, lay->ldt_base, &l);
          g_assert_cmpint (l.region, ==, VA_REGION_LDT);
          va_lookup_address (m, lay->cea_base, &l);
          g_assert_cmpint (l.region, ==, VA_REGION_CPU_ENTRY);
        }
    }
}

/* Applies an op that may be refused (e.g. kunmap of a name never mapped). */
static void
try_apply (VaMachine *m,
           VaOp      *op)
{
  VaOpResult result = { 0 };

  va_machine_apply (m, op, &result, NULL);
  va_op_result_clear (&result);
  assert_valid (m);
}

/* kmalloc, kfree, kmap of a random live allocation, kunmap. */
static void
random_kernel_op (VaMachine *m,
                  VaRng     *rng)
{
  char name[16], target[16];
  guint r = va_rng_below (rng, 4);
  const VaAllocation *a;

  g_snprintf (name, sizeof name, "%c%u", r < 2 ? 'k' : 'm', va_rng_below (rng, 30));
  a = va_machine_lookup (m, name);
  if (r < 2)
    {
      g_autoptr(VaOp) op = va_op_new (a && a->state == VA_ALLOC_LIVE ? VA_OP_FREE : VA_OP_KMALLOC);

      op->name = g_strdup (name);
      op->size = 1 + va_rng_below (rng, r ? 9000 : 700);
      try_apply (m, op);
    }
  else if (a && a->state == VA_ALLOC_LIVE)
    {
      g_autoptr(VaOp) op = va_op_new (VA_OP_KUNMAP);

      op->name = g_strdup (name);
      try_apply (m, op);
    }
  else
    {
      g_autoptr(VaOp) op = va_op_new (VA_OP_KMAP);

      g_snprintf (target, sizeof target, "%c%u", "pvk"[va_rng_below (rng, 3)], va_rng_below (rng, 40));
      op->name = g_strdup (name);
      op->target = g_strdup (target);
      op->target_index = va_rng_below (rng, 2) ? 0 : -1;
      try_apply (m, op);
    }
}

/* Random vmalloc/vmalloc_32/vfree, alloc/free, kmalloc/kfree and
 * kmap/kunmap, with the checker after each op. */
static void
test_random_mix (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    for (guint64 seed = 1; seed <= 4; seed++)
      {
        g_autoptr(VaMachine) m = boot (profiles[i], (seed % 2 ? 64 : 1024) * MiB,
                                       i == 0 ? NULL : "32M");
        VaRng rng;
        char name[16];

        va_rng_init (&rng, seed * 7919);
        for (guint op = 0; op < 1500; op++)
          {
            guint r = va_rng_below (&rng, 100);
            const VaAllocation *a;

            if (r >= 70)
              {
                random_kernel_op (m, &rng);
                continue;
              }
            g_snprintf (name, sizeof name, "%c%u", r < 35 ? 'v' : 'p', va_rng_below (&rng, 40));
            a = va_machine_lookup (m, name);
            if (a && a->state == VA_ALLOC_LIVE)
              {
                g_autoptr(VaOp) op_free = va_op_new (a->kind == VA_ALLOC_VMALLOC ? VA_OP_VFREE : VA_OP_FREE);

                op_free->name = g_strdup (name);
                try_apply (m, op_free);   /* refused while kmapped */
              }
            else if (r < 35)
              apply (m, r < 8 ? VA_OP_VMALLOC_32 : VA_OP_VMALLOC, name, 1 + va_rng_below (&rng, 600 * 1024));
            else
              {
                g_autoptr(VaOp) alloc = va_op_new (VA_OP_ALLOC);

                alloc->name = g_strdup (name);
                alloc->order = va_rng_below (&rng, 4);
                alloc->gfp = g_strdup (va_rng_below (&rng, 2) ? "GFP_HIGHUSER" : "GFP_KERNEL");
                try_apply (m, alloc);
              }
          }
        /* the mix must have exercised every kind, not just been refused */
        {
          guint kinds[VA_ALLOC_WORKLOAD + 1] = { 0 };

          for (guint k = 2; k < m->allocs->len; k++)
            {
              const VaAllocation *rec = m->allocs->pdata[k];

              if (rec->name && rec->state != VA_ALLOC_FAILED)
                kinds[rec->kind]++;
            }
          g_assert_cmpuint (kinds[VA_ALLOC_PAGES], >, 10);
          g_assert_cmpuint (kinds[VA_ALLOC_VMALLOC], >, 10);
          g_assert_cmpuint (kinds[VA_ALLOC_KMALLOC], >, 10);
          g_assert_cmpuint (kinds[VA_ALLOC_KMAP], >, 10);
        }
      }
}

/* The inspector's account of a frame: a vmalloc page in HighMem has no
 * linear address but its vmalloc one (and its pkmap slot once kmapped);
 * 2.6.9 has no pageblocks; an order-0 block's buddy, allocated, cannot
 * merge; a free block names its free list. */
static void
test_describe_pfn (void)
{
  g_autoptr(VaMachine) m = va_test_run ("machine ram=1G profile=linux-2.6.9\n"
                                        "vmalloc v 12K\n"
                                        "alloc p order=0 gfp=GFP_KERNEL\n"
                                        "alloc q order=0 gfp=GFP_KERNEL\n");
  g_autoptr(VaMachine) modern = va_test_run ("machine ram=512M profile=linux-6.1 cma=16M\n");
  const VaAllocation *v = va_test_lookup (m, "v");
  const VaAllocation *p = va_test_lookup (m, "p");
  const VaAllocation *q = va_test_lookup (m, "q");
  g_autofree char *page1 = va_lookup_describe_pfn (m, v->pfns[1]);
  g_autofree char *virt1 = g_strdup_printf ("0x%08x (vmalloc “v”, page 1)", v->virt + 4096);
  g_autofree char *low = va_lookup_describe_pfn (m, p->pfn);
  g_autofree char *lin = g_strdup_printf ("0x%08x (linear map)", p->virt);
  g_autofree char *cma = NULL;
  g_autofree char *buddy = NULL;
  guint32 free_pfn = VA_PFN_NONE;

  g_test_message ("%s\n%s", page1, low);
  g_assert_cmpuint (v->pfns[1], >=, m->layout.max_low_pfn);
  g_assert_nonnull (strstr (page1, virt1));
  g_assert_null (strstr (page1, "linear map"));
  g_assert_nonnull (strstr (page1, "zone       HighMem"));
  g_assert_nonnull (strstr (page1, "pageblock  none in linux-2.6.9"));
  g_assert_nonnull (strstr (page1, "owner      “v” (vmalloc)"));
  g_assert_nonnull (strstr (low, lin));
  g_assert_nonnull (strstr (low, "state      allocated\n  block      order 0"));
  /* p's buddy (pfn ^ 1) is q, a per-cpu page or a free order-0 block */
  buddy = g_strdup_printf ("  buddy      pfn %u, ", p->pfn ^ 1);
  g_assert_nonnull (strstr (low, buddy));
  if (q->pfn == (p->pfn ^ 1))
    g_assert_nonnull (strstr (low, "an allocated order-0 block: not free at order 0, no merge"));
  else
    g_assert_true (strstr (low, ": not free at order 0, no merge") || strstr (low, "they merge when"));

  for (guint32 pfn = 0; pfn < modern->nr_pfns && free_pfn == VA_PFN_NONE; pfn++)
    if (modern->pages[pfn].state == VA_PAGE_FREE && va_machine_pageblock_mt (modern, pfn) == VA_MT_CMA)
      free_pfn = pfn;
  g_assert_cmpuint (free_pfn, !=, VA_PFN_NONE);
  cma = va_lookup_describe_pfn (modern, free_pfn);
  g_test_message ("%s", cma);
  g_assert_nonnull (strstr (cma, "MIGRATE_CMA"));
  g_assert_nonnull (strstr (cma, "state      free, on free_area["));
  g_assert_nonnull (strstr (cma, "  buddy      "));
  g_assert_null (strchr (cma + strlen (cma) - 1, '\n'));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vmalloc/placement-and-guard", test_placement_and_guard);
  g_test_add_func ("/vmalloc/zones", test_zones);
  g_test_add_func ("/vmalloc/reuse-and-lazy", test_reuse_and_lazy);
  g_test_add_func ("/vmalloc/out-of-space", test_out_of_space);
  g_test_add_func ("/vmalloc/partial-failure", test_partial_failure);
  g_test_add_func ("/vmalloc/errors", test_errors);
  g_test_add_func ("/vmalloc/lookup-boundaries", test_lookup_boundaries);
  g_test_add_func ("/vmalloc/random-mix", test_random_mix);
  g_test_add_func ("/vmalloc/describe-pfn", test_describe_pfn);
  return g_test_run ();
}
