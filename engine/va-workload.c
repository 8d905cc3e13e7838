/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Random allocate/free mixes that fragment memory the way long-running
 * kernels do: many small blocks with different lifetimes. */
#define G_LOG_DOMAIN "va-workload"

#include "va-workload.h"
#include "va-gfp.h"
#include "va-page-alloc.h"

/* Order distribution: mostly single pages, a tail of larger blocks. */
static guint
pick_order (VaRng *rng)
{
  guint r = va_rng_below (rng, 100);

  if (r < 50) return 0;
  if (r < 70) return 1;
  if (r < 85) return 2;
  if (r < 95) return 3;
  return 4 + va_rng_below (rng, 3);
}

/* GFP mix: kernel allocations, user pages (HighMem-capable; movable in 6.1)
 * and a few atomic ones. */
static guint32
pick_gfp (const VaProfile *p,
          VaRng           *rng)
{
  static const char *const names[] = { "GFP_KERNEL", "GFP_HIGHUSER", "GFP_ATOMIC" };
  guint r = va_rng_below (rng, 100);
  guint32 gfp = 0;
  const char *name = names[r < 50 ? 0 : r < 95 ? 1 : 2];

  if (name == names[1] && p->gfp_movable)
    name = "GFP_HIGHUSER_MOVABLE";
  va_gfp_parse (p, name, &gfp, NULL);
  return gfp;
}

static gboolean workload_alloc (VaMachine *m, guint32 gfp, guint order);
static void workload_free_random (VaMachine *m, VaRng *rng);

void
va_workload_step (VaMachine       *m,
                  VaRng           *rng,
                  VaWorkloadStats *stats)
{
  GArray *live = m->workload_live;

  if (live->len == 0 || va_rng_below (rng, 100) < 55)
    {
      guint order = pick_order (rng);

      if (workload_alloc (m, pick_gfp (m->profile, rng), order))
        stats->allocs++;
      else
        stats->failures++;
    }
  else
    {
      workload_free_random (m, rng);
      stats->frees++;
    }
}

/* Allocates one workload block; FALSE when the allocator refused. */
static gboolean
workload_alloc (VaMachine *m,
                guint32    gfp,
                guint      order)
{
  VaZoneType zone;
  guint32 pfn = va_alloc_pages (m, gfp, order, &zone, NULL);

  if (pfn == VA_PFN_NONE)
    return FALSE;
  va_page (m, pfn)->owner = VA_OWNER_WORKLOAD;
  if (m->profile->has_migratetypes && va_gfp_migratetype (m->profile, gfp) == VA_MT_MOVABLE)
    va_page (m, pfn)->flags |= VA_PAGE_F_MOVABLE;
  g_array_append_val (m->workload_live, pfn);
  return TRUE;
}

/* Frees a random live workload block. */
static void
workload_free_random (VaMachine *m,
                      VaRng     *rng)
{
  GArray *live = m->workload_live;
  guint i = va_rng_below (rng, live->len);
  guint32 pfn = g_array_index (live, guint32, i);

  g_array_index (live, guint32, i) = g_array_index (live, guint32, live->len - 1);
  g_array_set_size (live, live->len - 1);
  va_free_pages (m, pfn, va_page (m, pfn)->order);
}

/* `workload fragment seed=S ops=N`: the first two thirds of the ops allocate
 * small blocks (mostly single pages, kernel and user), the last third frees
 * random ones, at most half of those alive.  The survivors pin down every large block: plenty of free
 * pages, almost none of them in order-4 or larger blocks. */
gboolean
va_workload_fragment (VaMachine *m,
                      guint64    seed,
                      guint64    ops,
                      GError   **error)
{
  VaRng rng;
  guint64 alloc_ops = ops * 2 / 3;
  guint64 free_ops;
  guint32 allocs = 0, failures = 0, frees = 0;

  va_rng_init (&rng, seed);
  for (guint64 i = 0; i < alloc_ops; i++)
    {
      guint r = va_rng_below (&rng, 100);
      guint order = r < 85 ? 0 : r < 95 ? 1 : 2;

      if (workload_alloc (m, pick_gfp (m->profile, &rng), order))
        allocs++;
      else
        failures++;
    }
  /* free at most half of the live blocks, so the survivors stay scattered */
  free_ops = MIN (ops - alloc_ops, m->workload_live->len / 2);
  for (; frees < free_ops; frees++)
    workload_free_random (m, &rng);
  va_machine_log (m, "op %u: workload fragment seed=%" G_GUINT64_FORMAT ": %u allocations "
                  "(%u failed), %u frees; %u workload blocks stay allocated",
                  m->op_count + 1, seed, allocs, failures, frees, m->workload_live->len);
  return TRUE;
}
