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

void
va_workload_step (VaMachine       *m,
                  VaRng           *rng,
                  VaWorkloadStats *stats)
{
  GArray *live = m->workload_live;

  if (live->len == 0 || va_rng_below (rng, 100) < 55)
    {
      guint order = pick_order (rng);
      guint32 gfp = pick_gfp (m->profile, rng);
      VaZoneType zone;
      guint32 pfn = va_alloc_pages (m, gfp, order, &zone, NULL);

      if (pfn == VA_PFN_NONE)
        {
          stats->failures++;
          return;
        }
      va_page (m, pfn)->owner = VA_OWNER_WORKLOAD;
      if (m->profile->has_migratetypes && va_gfp_migratetype (m->profile, gfp) == VA_MT_MOVABLE)
        va_page (m, pfn)->flags |= VA_PAGE_F_MOVABLE;
      g_array_append_val (live, pfn);
      stats->allocs++;
    }
  else
    {
      guint i = va_rng_below (rng, live->len);
      guint32 pfn = g_array_index (live, guint32, i);

      g_array_index (live, guint32, i) = g_array_index (live, guint32, live->len - 1);
      g_array_set_size (live, live->len - 1);
      va_free_pages (m, pfn, va_page (m, pfn)->order);
      stats->frees++;
    }
}

gboolean
va_workload_fragment (VaMachine *m,
                      guint64    seed,
                      guint64    ops,
                      GError   **error)
{
  VaRng rng;
  VaWorkloadStats stats = { 0 };

  va_rng_init (&rng, seed);
  for (guint64 i = 0; i < ops; i++)
    va_workload_step (m, &rng, &stats);
  va_machine_log (m, "op %u: workload fragment seed=%" G_GUINT64_FORMAT ": %u allocations "
                  "(%u failed), %u frees; %u workload blocks stay allocated",
                  m->op_count + 1, seed, stats.allocs, stats.failures, stats.frees,
                  m->workload_live->len);
  return TRUE;
}
