/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmalloc size classes and slabs per profile; kmap slots, the lazy
 * flush_all_zero_pkmaps() and slot exhaustion. */
#include "va-check.h"
#include "va-kmalloc.h"
#include "va-kmap.h"
#include "va-scenario.h"

#include <string.h>

#define MiB (G_GUINT64_CONSTANT (1) << 20)

static VaMachine *
boot (const char *profile,
      guint64     ram,
      gboolean    pae,
      guint       cpus)
{
  VaMachineConfig c;
  g_autoptr(GError) error = NULL;
  VaMachine *m;

  va_machine_config_init (&c);
  c.profile = va_profile_lookup (profile);
  c.ram_bytes = ram;
  c.pae = pae;
  c.cpus = cpus;
  m = va_machine_new (&c, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m->slab);
  g_assert_nonnull (m->pkmap);
  return m;
}

static void
assert_valid (VaMachine *m)
{
  g_autoptr(GError) error = NULL;

  if (!va_machine_check (m, &error) || !va_kmalloc_check (m, &error) ||
      !va_kmap_check (m, &error))
    g_error ("invariant after op %u: %s", m->op_count, error->message);
}

/* Applies one statement written as in a .vms file.  Returns FALSE with
 * @error for a refused op; @failed says whether a valid op failed. */
static gboolean
try_apply (VaMachine  *m,
           const char *line,
           gboolean   *failed,
           GError    **error)
{
  g_autoptr(VaScenario) sc = va_scenario_parse ("t.vms", line, error);
  VaOpResult result = { 0 };
  gboolean ok;

  g_assert_nonnull (sc);
  g_assert_cmpuint (va_scenario_get_n_statements (sc), ==, 1);
  ok = va_machine_apply (m, va_scenario_get_statement (sc, 0)->op, &result, error);
  if (failed)
    *failed = result.failed;
  va_op_result_clear (&result);
  return ok;
}

static const VaAllocation *
apply (VaMachine  *m,
       const char *format,
       ...) G_GNUC_PRINTF (2, 3);

/* Applies a statement that must succeed; returns its named record. */
static const VaAllocation *
apply (VaMachine  *m,
       const char *format,
       ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;
  gboolean failed = FALSE;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  if (!try_apply (m, line, &failed, &error))
    g_error ("%s: %s", line, error->message);
  if (failed)
    g_error ("%s: failed: %s", line, (char *) m->log->pdata[m->log->len - 1]);
  assert_valid (m);
  words = g_strsplit (line, " ", 3);
  return va_machine_lookup (m, words[1]);
}

/* A refused statement: the error names @needle and nothing changes. */
static void
refuse (VaMachine  *m,
        const char *line,
        const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree VaPage *pages = g_memdup2 (m->pages, sizeof (VaPage) * m->nr_pfns);
  guint allocs = m->allocs->len, ops = m->op_count;

  g_assert_false (try_apply (m, line, NULL, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("%s: “%s” lacks “%s”", line, error->message, needle);
  g_assert_cmpint (memcmp (pages, m->pages, sizeof (VaPage) * m->nr_pfns), ==, 0);
  g_assert_cmpuint (m->allocs->len, ==, allocs);
  g_assert_cmpuint (m->op_count, ==, ops);
  assert_valid (m);
}

static guint32
linear (const VaMachine *m,
        guint32          pfn)
{
  return m->config.page_offset + (pfn << VA_PAGE_SHIFT);
}

/*** kmalloc ***/

typedef struct {
  const char *profile;
  const char *line;
  const char *class_name;
  guint32     size_class;
} ClassCase;

static void
test_size_classes (void)
{
  static const ClassCase cases[] = {
    { "linux-2.6.9", "kmalloc k 3000", "size-4096", 4096 },
    { "linux-2.6.9", "kmalloc k 100", "size-128", 128 },
    { "linux-2.6.9", "kmalloc k 1", "size-32", 32 },
    { "linux-2.6.9", "kmalloc k 90", "size-128", 128 },
    { "linux-2.6.9", "kmalloc k 128K", "size-131072", 131072 },
    { "linux-2.6.9", "kmalloc k 100 gfp=GFP_DMA", "size-128(DMA)", 128 },
    { "linux-2.4.21", "kmalloc k 3000", "size-4096", 4096 },
    { "linux-2.4.21", "kmalloc k 100", "size-128", 128 },
    { "linux-2.4.21", "kmalloc k 65537", "size-131072", 131072 },
    { "linux-6.1", "kmalloc k 3000", "kmalloc-4k", 4096 },
    { "linux-6.1", "kmalloc k 100", "kmalloc-128", 128 },
    { "linux-6.1", "kmalloc k 90", "kmalloc-96", 96 },
    { "linux-6.1", "kmalloc k 1", "kmalloc-8", 8 },
    { "linux-6.1", "kmalloc k 150", "kmalloc-192", 192 },
    { "linux-6.1", "kmalloc k 8K", "kmalloc-8k", 8192 },
    { "linux-6.1", "kmalloc k 100 gfp=GFP_DMA", "dma-kmalloc-128", 128 },
    { "linux-6.1", "kmalloc k 100 gfp=GFP_KERNEL_ACCOUNT", "kmalloc-cg-128", 128 },
    { "linux-6.1", "kmalloc k 100 gfp=GFP_KERNEL|__GFP_RECLAIMABLE", "kmalloc-rcl-128", 128 },
    { "linux-6.1", "kmalloc k 8193", "page allocator (order 2)", 0 },
    { "linux-6.1", "kmalloc k 4M", "page allocator (order 10)", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VaMachine) m = boot (cases[i].profile, 1024 * MiB, FALSE, 1);
      const VaAllocation *k = apply (m, "%s", cases[i].line);

      g_assert_cmpint (k->kind, ==, VA_ALLOC_KMALLOC);
      g_assert_cmpint (k->state, ==, VA_ALLOC_LIVE);
      g_assert_cmpstr (va_kmalloc_class_name (m, k), ==, cases[i].class_name);
      g_assert_cmpuint (k->size_class, ==, cases[i].size_class);
      /* a linear-map address in lowmem, in DMA when asked */
      g_assert_cmpuint (k->pfn, <, m->layout.max_low_pfn);
      g_assert_cmpuint (k->virt, ==, linear (m, k->pfn) + (k->virt & (VA_PAGE_SIZE - 1)));
      g_assert_cmpint (k->zone, ==, strstr (cases[i].line, "GFP_DMA") ? VA_ZONE_DMA : VA_ZONE_NORMAL);
    }
}

typedef struct {
  const char *profile;
  guint       cpus;
  guint32     size;
  guint       order;
  guint       objects;
} OrderCase;

/* 2.x: order 0 up to a page, then the order of one object.  6.1: SLUB's
 * calculate_order() with min_objects = 4 * (fls(nr_cpus) + 1). */
static void
test_slab_orders (void)
{
  static const OrderCase cases[] = {
    { "linux-2.6.9", 1, 32, 0, 128 },
    { "linux-2.6.9", 1, 4096, 0, 1 },
    { "linux-2.6.9", 1, 8192, 1, 1 },
    { "linux-2.6.9", 1, 16384, 2, 1 },
    { "linux-2.6.9", 1, 131072, 5, 1 },
    { "linux-2.4.21", 1, 131072, 5, 1 },
    { "linux-6.1", 1, 8, 0, 512 },
    { "linux-6.1", 1, 96, 0, 42 },
    { "linux-6.1", 1, 192, 0, 21 },
    { "linux-6.1", 1, 512, 0, 8 },
    { "linux-6.1", 1, 1024, 1, 8 },
    { "linux-6.1", 1, 2048, 2, 8 },
    { "linux-6.1", 1, 4096, 3, 8 },
    { "linux-6.1", 1, 8192, 3, 4 },
    { "linux-6.1", 2, 512, 1, 16 },   /* min_objects 12 */
    { "linux-6.1", 2, 1024, 2, 16 },
    { "linux-6.1", 8, 1024, 3, 32 },  /* min_objects 20 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VaMachine) m = boot (cases[i].profile, 256 * MiB, FALSE, cases[i].cpus);
      guint32 size_class = 0;
      guint order = 99, objects = 0;

      g_assert_true (va_kmalloc_cache_geometry (m, cases[i].size, &size_class, &order, &objects));
      g_assert_cmpuint (size_class, ==, cases[i].size);
      if (order != cases[i].order || objects != cases[i].objects)
        g_error ("%s cpus=%u size %u: order %u objects %u, expected %u / %u", cases[i].profile,
                 cases[i].cpus, cases[i].size, order, objects, cases[i].order, cases[i].objects);
    }
}

/* Objects of one class share a slab, size_class apart, lowest index first;
 * when the slab is full the next object opens a new slab. */
static void
test_shared_slab_then_new_slab (gconstpointer data)
{
  const char *profile = data;
  g_autoptr(VaMachine) m = boot (profile, 1024 * MiB, FALSE, 1);
  guint32 size_class = 0;
  guint order = 0, objects = 0;
  const VaAllocation *first, *a, *extra;

  g_assert_true (va_kmalloc_cache_geometry (m, 2000, &size_class, &order, &objects));
  g_assert_cmpuint (size_class, ==, 2048);
  first = apply (m, "kmalloc o0 2000");
  g_assert_cmpuint (first->virt, ==, linear (m, first->slab_pfn));
  g_assert_cmpuint (first->order, ==, order);
  for (guint i = 1; i < objects; i++)
    {
      a = apply (m, "kmalloc o%u 2000", i);
      g_assert_cmpuint (a->slab_pfn, ==, first->slab_pfn);
      g_assert_cmpuint (a->virt, ==, first->virt + i * size_class);
      g_assert_cmpuint (a->pfn, ==, a->slab_pfn + (i * size_class) / VA_PAGE_SIZE);
      g_assert_cmpuint (a->virt, ==, linear (m, a->pfn) + (i * size_class) % VA_PAGE_SIZE);
    }
  extra = apply (m, "kmalloc extra 2000");
  g_assert_cmpuint (extra->slab_pfn, !=, first->slab_pfn);
  g_assert_cmpuint (extra->virt, ==, linear (m, extra->slab_pfn));

  /* a freed object's index is the first one taken again */
  apply (m, "free o1");
  a = apply (m, "kmalloc again 2000");
  g_assert_cmpuint (a->slab_pfn, ==, first->slab_pfn);
  g_assert_cmpuint (a->virt, ==, first->virt + size_class);
}

/* When the last object of a slab is freed, its block goes back. */
static void
test_empty_slab_freed (gconstpointer data)
{
  const char *profile = data;
  g_autoptr(VaMachine) m = boot (profile, 1024 * MiB, FALSE, 1);
  const VaAllocation *a, *b, *owner;
  guint32 slab;

  a = apply (m, "kmalloc a 100");
  b = apply (m, "kmalloc b 100");
  slab = a->slab_pfn;
  g_assert_cmpuint (b->slab_pfn, ==, slab);
  g_assert_cmpint (m->pages[slab].state, ==, VA_PAGE_ALLOCATED);
  owner = m->allocs->pdata[m->pages[slab].owner];
  g_assert_null (owner->name);
  g_assert_cmpint (owner->kind, ==, VA_ALLOC_KMALLOC);
  g_assert_cmpuint (owner->pfn, ==, slab);

  apply (m, "free a");
  g_assert_cmpint (a->state, ==, VA_ALLOC_FREED);
  g_assert_cmpint (m->pages[slab].state, ==, VA_PAGE_ALLOCATED);
  g_assert_cmpint (owner->state, ==, VA_ALLOC_LIVE);
  apply (m, "free b");
  g_assert_cmpint (m->pages[slab].state, !=, VA_PAGE_ALLOCATED);
  g_assert_cmpint (owner->state, ==, VA_ALLOC_FREED);
  refuse (m, "free b", "already freed");
}

/* 6.1: above kmalloc-8k the object is its own block from the page allocator. */
static void
test_large_kmalloc (void)
{
  g_autoptr(VaMachine) m = boot ("linux-6.1", 1024 * MiB, FALSE, 1);
  const VaAllocation *k = apply (m, "kmalloc big 20000");
  guint32 pfn = k->pfn;

  g_assert_cmpuint (k->size_class, ==, 0);
  g_assert_cmpuint (k->order, ==, 3);
  g_assert_cmpuint (k->slab_pfn, ==, k->pfn);
  g_assert_cmpuint (k->virt, ==, linear (m, k->pfn));
  g_assert_cmpuint (m->pages[pfn].owner, ==, k->id);
  g_assert_cmpuint (m->pages[pfn].order, ==, 3);
  g_assert_cmpstr (va_kmalloc_class_name (m, k), ==, "page allocator (order 3)");
  apply (m, "free big");
  g_assert_cmpint (m->pages[pfn].state, !=, VA_PAGE_ALLOCATED);
}

static void
test_kmalloc_errors (void)
{
  g_autoptr(VaMachine) old = boot ("linux-2.6.9", 1024 * MiB, FALSE, 1);
  g_autoptr(VaMachine) m = boot ("linux-6.1", 1024 * MiB, FALSE, 1);

  refuse (old, "kmalloc k 0", "size 0");
  refuse (old, "kmalloc k 131073", "size-131072");
  refuse (old, "kmalloc k 100 gfp=GFP_HIGHUSER",
          "kmalloc memory must be in the linear map: __GFP_HIGHMEM is not allowed");
  refuse (old, "kmalloc k 100 gfp=GFP_BOGUS", "GFP_BOGUS");
  refuse (m, "kmalloc k 0", "ZERO_SIZE_PTR");
}

static void
test_kmalloc_errors_6_1 (void)
{
  g_autoptr(VaMachine) m = boot ("linux-6.1", 1024 * MiB, FALSE, 1);

  refuse (m, "kmalloc k 4194305", "KMALLOC_MAX_SIZE");
  refuse (m, "kmalloc k 100 gfp=GFP_HIGHUSER_MOVABLE", "__GFP_HIGHMEM is not allowed");
  refuse (m, "kmalloc k 100 gfp=GFP_DMA32", "__GFP_DMA32");
  apply (m, "kmalloc k 100");
  refuse (m, "kmalloc k 200", "still allocated");
  refuse (m, "kunmap k", "not a kmap");
}

/* A slab the page allocator cannot give is an op that failed, with the
 * allocator's reason, not bad input. */
static void
test_kmalloc_failure (void)
{
  g_autoptr(VaMachine) m = boot ("linux-6.1", 1024 * MiB, FALSE, 1);
  g_autoptr(GError) error = NULL;
  const VaAllocation *a = NULL;
  gboolean failed = FALSE;
  guint i;

  for (i = 0; i < 16 && !failed; i++)
    {
      g_autofree char *line = g_strdup_printf ("kmalloc d%u 4M gfp=GFP_DMA", i);

      g_assert_true (try_apply (m, line, &failed, &error));
      g_assert_no_error (error);
      assert_valid (m);
    }
  g_assert_true (failed);
  g_assert_true (m->last_op_failed);
  a = m->allocs->pdata[m->allocs->len - 1];
  g_assert_cmpint (a->state, ==, VA_ALLOC_FAILED);
  g_assert_nonnull (a->reason);
  g_assert_nonnull (strstr (m->log->pdata[m->log->len - 1], "kmalloc"));

  /* a failed slab (2.x) likewise */
  {
    g_autoptr(VaMachine) old = boot ("linux-2.6.9", 1024 * MiB, FALSE, 1);

    failed = FALSE;
    for (i = 0; i < 200 && !failed; i++)
      {
        g_autofree char *line = g_strdup_printf ("kmalloc d%u 128K gfp=GFP_DMA", i);

        g_assert_true (try_apply (old, line, &failed, NULL));
      }
    g_assert_true (failed);
    a = old->allocs->pdata[old->allocs->len - 1];
    g_assert_cmpint (a->state, ==, VA_ALLOC_FAILED);
    g_assert_cmpstr (va_kmalloc_class_name (old, a), ==, "size-131072(DMA)");
    assert_valid (old);
  }
}

/*** kmap ***/

static guint32
pkmap_addr (const VaMachine *m,
            guint            slot)
{
  return m->layout.pkmap_base + slot * VA_PAGE_SIZE;
}

/* A HighMem page gets a pkmap slot; the same page again gets the same
 * address; kunmap leaves the slot at count 1. */
static void
test_kmap_highmem (gconstpointer data)
{
  const char *profile = data;
  g_autoptr(VaMachine) m = boot (profile, 1024 * MiB, FALSE, 1);
  const VaAllocation *h, *k, *k2, *k3;

  h = apply (m, "alloc h order=1 gfp=GFP_HIGHUSER");
  g_assert_cmpint (h->zone, ==, VA_ZONE_HIGHMEM);
  k = apply (m, "kmap k h");
  /* last_pkmap_nr starts at 0 and the search begins after it */
  g_assert_cmpint (k->pkmap_slot, ==, 1);
  g_assert_cmpuint (k->virt, ==, pkmap_addr (m, 1));
  g_assert_cmpuint (k->pfn, ==, h->pfn);
  g_assert_cmpuint (k->target_id, ==, h->id);
  g_assert_cmpint (k->zone, ==, VA_ZONE_HIGHMEM);
  g_assert_cmpint (va_pkmap_slot_count (m->pkmap, 1), ==, 2);
  g_assert_cmpuint (va_pkmap_slot_pfn (m->pkmap, 1), ==, h->pfn);

  k2 = apply (m, "kmap k2 h[0]");
  g_assert_cmpuint (k2->virt, ==, k->virt);
  g_assert_cmpint (va_pkmap_slot_count (m->pkmap, 1), ==, 3);
  k3 = apply (m, "kmap k3 h[1]");
  g_assert_cmpint (k3->pkmap_slot, ==, 2);
  g_assert_cmpuint (k3->pfn, ==, h->pfn + 1);

  apply (m, "kunmap k");
  apply (m, "kunmap k2");
  g_assert_cmpint (va_pkmap_slot_count (m->pkmap, 1), ==, 1);
  g_assert_cmpuint (va_pkmap_slot_pfn (m->pkmap, 1), ==, h->pfn);
  /* still mapped: page_address() finds it, no new slot */
  k = apply (m, "kmap k h");
  g_assert_cmpint (k->pkmap_slot, ==, 1);
  g_assert_cmpint (va_pkmap_slot_count (m->pkmap, 1), ==, 2);
  refuse (m, "free h", "still kmapped by “k3”");
}

/* A slot at count 1 becomes free only when the search wraps to slot 0 and
 * flush_all_zero_pkmaps() runs. */
static void
test_kmap_lazy_flush (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 1024 * MiB, FALSE, 1);
  guint last = m->layout.last_pkmap;
  const VaAllocation *k;

  g_assert_cmpuint (last, ==, 1024);
  apply (m, "alloc h order=10 gfp=GFP_HIGHUSER");
  apply (m, "kmap a h[0]");
  apply (m, "kunmap a");
  g_assert_cmpint (va_pkmap_slot_count (m->pkmap, 1), ==, 1);
  for (guint i = 1; i < last - 1; i++)   /* slots 2 … 1023 */
    {
      k = apply (m, "kmap k%u h[%u]", i, i);
      g_assert_cmpint (k->pkmap_slot, ==, (gint) i + 1);
      g_assert_cmpint (va_pkmap_slot_count (m->pkmap, 1), ==, 1);
    }
  /* the next search wraps: slot 1 is flushed, slot 0 is taken */
  k = apply (m, "kmap w h[%u]", last - 1);
  g_assert_cmpint (k->pkmap_slot, ==, 0);
  g_assert_cmpuint (k->virt, ==, pkmap_addr (m, 0));
  g_assert_cmpint (va_pkmap_slot_count (m->pkmap, 1), ==, 0);
  g_assert_cmpuint (va_pkmap_slot_pfn (m->pkmap, 1), ==, VA_PFN_NONE);
  /* h[0] lost its address with the flush and gets slot 1 anew */
  k = apply (m, "kmap a h[0]");
  g_assert_cmpint (k->pkmap_slot, ==, 1);
}

/* Every slot in use: the next kmap of a new page would sleep, so it fails;
 * after a kunmap the search wraps, flushes and finds the slot. */
static void
test_kmap_exhaustion (gconstpointer data)
{
  gboolean pae = GPOINTER_TO_INT (data);
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 1024 * MiB, pae, 1);
  g_autoptr(GError) error = NULL;
  guint last = m->layout.last_pkmap;
  g_autofree char *reason = g_strdup_printf ("all %u are in use", last);
  const VaAllocation *k;
  gboolean failed = FALSE;

  g_assert_cmpuint (last, ==, pae ? 512 : 1024);
  apply (m, "alloc h order=10 gfp=GFP_HIGHUSER");
  apply (m, "alloc x order=0 gfp=GFP_HIGHUSER");
  for (guint i = 0; i < last; i++)
    apply (m, "kmap k%u h[%u]", i, i);
  for (guint i = 0; i < last; i++)
    g_assert_cmpint (va_pkmap_slot_count (m->pkmap, i), ==, 2);
  /* the same page again still works: it has an address */
  apply (m, "kmap again h[5]");
  g_assert_true (try_apply (m, "kmap over x", &failed, &error));
  g_assert_no_error (error);
  g_assert_true (failed);
  k = va_machine_lookup (m, "over");
  g_assert_cmpint (k->state, ==, VA_ALLOC_FAILED);
  g_assert_nonnull (strstr (k->reason, reason));
  g_assert_nonnull (strstr (k->reason, "would sleep until a kunmap()"));
  assert_valid (m);

  apply (m, "kunmap k7");
  k = apply (m, "kmap over x");
  g_assert_cmpint (k->pkmap_slot, ==, (gint) ((7 + 1) % last));
  g_assert_cmpuint (va_pkmap_slot_pfn (m->pkmap, k->pkmap_slot), ==, k->pfn);
}

/* A lowmem page has a permanent address: kmap returns it, no slot. */
static void
test_kmap_lowmem (gconstpointer data)
{
  const char *profile = data;
  g_autoptr(VaMachine) m = boot (profile, 1024 * MiB, FALSE, 1);
  const VaAllocation *p, *k, *o;

  p = apply (m, "alloc p order=2 gfp=GFP_KERNEL");
  k = apply (m, "kmap k p[3]");
  g_assert_cmpint (k->pkmap_slot, ==, -1);
  g_assert_cmpuint (k->pfn, ==, p->pfn + 3);
  g_assert_cmpuint (k->virt, ==, linear (m, p->pfn + 3));
  for (guint i = 0; i < m->layout.last_pkmap; i++)
    g_assert_cmpint (va_pkmap_slot_count (m->pkmap, i), ==, 0);

  o = apply (m, "kmalloc o 5000");   /* two frames in any profile */
  k = apply (m, "kmap ko o[1]");
  g_assert_cmpuint (k->pfn, ==, o->pfn + 1);
  g_assert_cmpuint (k->virt, ==, linear (m, o->pfn + 1));
  refuse (m, "kmap bad o[2]", "out of range");
  refuse (m, "free o", "still kmapped by “ko”");
  apply (m, "kunmap ko");
  apply (m, "kunmap k");
  apply (m, "free o");
  apply (m, "free p");
}

/* kmap of a vmalloc page maps the frame behind that virtual page. */
static void
test_kmap_vmalloc (void)
{
  g_autoptr(VaMachine) m = boot ("linux-2.6.9", 1024 * MiB, FALSE, 1);
  const VaAllocation *v, *k;

  v = apply (m, "vmalloc v 12K");
  g_assert_cmpuint (v->nr_pages, ==, 3);
  k = apply (m, "kmap k v[2]");
  g_assert_cmpuint (k->pfn, ==, v->pfns[2]);
  g_assert_cmpint (k->zone, ==, VA_ZONE_HIGHMEM);
  g_assert_cmpint (k->pkmap_slot, ==, 1);
  g_assert_cmpuint (k->virt, ==, pkmap_addr (m, 1));
  refuse (m, "kmap bad v[3]", "v[3] is out of range: “v” has 3 pages");
  refuse (m, "vfree v", "still kmapped by “k”");
  apply (m, "kunmap k");
  apply (m, "vfree v");
}

static void
test_kmap_errors (void)
{
  g_autoptr(VaMachine) m = boot ("linux-6.1", 1024 * MiB, FALSE, 1);

  apply (m, "alloc h order=1 gfp=GFP_HIGHUSER");
  apply (m, "alloc gone order=0 gfp=GFP_HIGHUSER");
  apply (m, "free gone");
  refuse (m, "kmap k nothing", "no allocation named “nothing”");
  refuse (m, "kmap k gone", "was freed");
  refuse (m, "kmap k h[2]", "h[2] is out of range: “h” has 2 pages");
  apply (m, "kmap k h");
  refuse (m, "kmap k h[1]", "still allocated");
  refuse (m, "kmap kk k", "is a kmap allocation");
  refuse (m, "free k", "kunmap");
  refuse (m, "kunmap nothing", "no kmap named");
  apply (m, "kunmap k");
  refuse (m, "kunmap k", "already kunmapped");
  refuse (m, "kunmap h", "not a kmap");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kmalloc/size-classes", test_size_classes);
  g_test_add_func ("/kmalloc/slab-orders", test_slab_orders);
  g_test_add_data_func ("/kmalloc/shared-slab/2.4.21", "linux-2.4.21", test_shared_slab_then_new_slab);
  g_test_add_data_func ("/kmalloc/shared-slab/2.6.9", "linux-2.6.9", test_shared_slab_then_new_slab);
  g_test_add_data_func ("/kmalloc/shared-slab/6.1", "linux-6.1", test_shared_slab_then_new_slab);
  g_test_add_data_func ("/kmalloc/empty-slab-freed/2.6.9", "linux-2.6.9", test_empty_slab_freed);
  g_test_add_data_func ("/kmalloc/empty-slab-freed/6.1", "linux-6.1", test_empty_slab_freed);
  g_test_add_func ("/kmalloc/large", test_large_kmalloc);
  g_test_add_func ("/kmalloc/errors", test_kmalloc_errors);
  g_test_add_func ("/kmalloc/errors-6.1", test_kmalloc_errors_6_1);
  g_test_add_func ("/kmalloc/failure", test_kmalloc_failure);
  g_test_add_data_func ("/kmap/highmem/2.4.21", "linux-2.4.21", test_kmap_highmem);
  g_test_add_data_func ("/kmap/highmem/2.6.9", "linux-2.6.9", test_kmap_highmem);
  g_test_add_data_func ("/kmap/highmem/6.1", "linux-6.1", test_kmap_highmem);
  g_test_add_func ("/kmap/lazy-flush", test_kmap_lazy_flush);
  g_test_add_data_func ("/kmap/exhaustion", GINT_TO_POINTER (FALSE), test_kmap_exhaustion);
  g_test_add_data_func ("/kmap/exhaustion-pae", GINT_TO_POINTER (TRUE), test_kmap_exhaustion);
  g_test_add_data_func ("/kmap/lowmem/2.4.21", "linux-2.4.21", test_kmap_lowmem);
  g_test_add_data_func ("/kmap/lowmem/6.1", "linux-6.1", test_kmap_lowmem);
  g_test_add_func ("/kmap/vmalloc", test_kmap_vmalloc);
  g_test_add_func ("/kmap/errors", test_kmap_errors);

  return g_test_run ();
}
