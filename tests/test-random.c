/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Randomized alloc/free runs per profile with the full invariant checker:
 * after every op on small machines, every few thousand ops on big ones.
 * Fixed seeds, so a failure names a reproducible run. */
#include "va-check.h"
#include "va-workload.h"
#include "va-page-alloc.h"
#include "va-gfp.h"

#define MiB (G_GUINT64_CONSTANT (1) << 20)

typedef struct {
  const char *profile;
  guint64     ram;
  gboolean    pae;
  gboolean    pcp;
  guint64     seed;
  guint       ops;
  guint       check_every;
} Run;

static guint64 total_ops;

/* Extra steps the workload does not make: DMA and atomic requests (6.1's
 * high-order atomic ones reserve a HighAtomic pageblock) and high orders. */
static void
extra_step (VaMachine *m,
            VaRng     *rng)
{
  static const char *const flags[] = { "GFP_DMA", "GFP_KERNEL", "GFP_ATOMIC" };
  guint32 gfp = 0;
  guint order = va_rng_below (rng, m->profile->max_order);
  guint32 pfn;

  va_gfp_parse (m->profile, flags[va_rng_below (rng, G_N_ELEMENTS (flags))], &gfp, NULL);
  pfn = va_alloc_pages (m, gfp, order, NULL, NULL);
  if (pfn != VA_PFN_NONE)
    va_free_pages (m, pfn, order);
}

static void
run_one (const Run *r)
{
  VaMachineConfig c;
  g_autoptr(GError) error = NULL;
  g_autoptr(VaMachine) m = NULL;
  VaWorkloadStats stats = { 0 };
  VaRng rng;

  va_machine_config_init (&c);
  c.profile = va_profile_lookup (r->profile);
  c.ram_bytes = r->ram;
  c.pae = r->pae;
  c.pcp_enabled = r->pcp;
  m = va_machine_new (&c, &error);
  g_assert_no_error (error);
  va_rng_init (&rng, r->seed);
  for (guint i = 1; i <= r->ops; i++)
    {
      if (va_rng_below (&rng, 50) == 0)
        extra_step (m, &rng);
      else
        va_workload_step (m, &rng, &stats);
      if (i % r->check_every == 0 && !va_machine_check (m, &error))
        g_error ("%s ram=%" G_GUINT64_FORMAT "M pae=%d pcp=%d seed=%" G_GUINT64_FORMAT
                 " op %u: %s", r->profile, r->ram >> 20, r->pae, r->pcp, r->seed, i,
                 error->message);
    }
  /* free everything: the zones must merge back to full blocks */
  while (m->workload_live->len)
    {
      guint32 pfn = g_array_index (m->workload_live, guint32, m->workload_live->len - 1);

      g_array_set_size (m->workload_live, m->workload_live->len - 1);
      va_free_pages (m, pfn, m->pages[pfn].order);
    }
  if (!va_machine_check (m, &error))
    g_error ("%s seed %" G_GUINT64_FORMAT " after freeing all: %s", r->profile, r->seed,
             error->message);
  g_assert_cmpuint (stats.allocs, >, 0);
  g_assert_cmpuint (stats.frees, >, 0);
  total_ops += r->ops;
}

/* High-order GFP_ATOMIC requests among GFP_KERNEL ones on 6.1 without
 * per-cpu lists: each may turn its pageblock HighAtomic while its block is
 * being handed out (reserve_highatomic_pageblock()).  The block was once
 * moved as if still free and the lists broke (seed 1 at op 8230). */
static void
test_highatomic (void)
{
  for (guint64 seed = 1; seed <= 3; seed++)
    {
      VaMachineConfig c;
      g_autoptr(GError) error = NULL;
      g_autoptr(VaMachine) m = NULL;
      g_autoptr(GArray) live = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_autoptr(GArray) orders = g_array_new (FALSE, FALSE, sizeof (guint));
      guint32 atomic = 0, kernel = 0;
      VaRng rng;

      va_machine_config_init (&c);
      c.profile = va_profile_lookup ("linux-6.1");
      c.ram_bytes = 64 * MiB;
      c.pcp_enabled = FALSE;
      m = va_machine_new (&c, &error);
      g_assert_no_error (error);
      va_gfp_parse (m->profile, "GFP_ATOMIC", &atomic, NULL);
      va_gfp_parse (m->profile, "GFP_KERNEL", &kernel, NULL);
      va_rng_init (&rng, seed);
      for (guint i = 0; i < 9000; i++)
        {
          if (live->len && (va_rng_below (&rng, 2) || live->len == 4000))
            {
              guint k = va_rng_below (&rng, live->len);

              va_free_pages (m, g_array_index (live, guint32, k), g_array_index (orders, guint, k));
              g_array_remove_index_fast (live, k);
              g_array_remove_index_fast (orders, k);
            }
          else
            {
              guint order = va_rng_below (&rng, 11);
              guint32 pfn = va_alloc_pages (m, va_rng_below (&rng, 3) ? kernel : atomic, order,
                                            NULL, NULL);

              if (pfn != VA_PFN_NONE)
                {
                  g_array_append_val (live, pfn);
                  g_array_append_val (orders, order);
                }
            }
          if (!va_machine_check (m, &error))
            g_error ("seed %" G_GUINT64_FORMAT " op %u: %s", seed, i, error->message);
        }
      total_ops += 9000;
    }
}

static const char *const profiles[] = { "linux-2.4.21", "linux-2.6.9", "linux-6.1" };

/* 16-64 MiB machines (48-64 for 6.1), invariants after every op. */
static void
test_small (gconstpointer data)
{
  const char *profile = data;
  gboolean modern = g_str_equal (profile, "linux-6.1");

  for (guint64 seed = 1; seed <= 10; seed++)
    {
      Run r = { profile, (modern ? 48 : 16) * MiB + (seed % 3) * 8 * MiB, seed == 7 && modern,
                seed % 2 == 0, seed, 6000, 1 };
      run_one (&r);
    }
}

/* 1-4 GiB machines, invariants every 5000 ops. */
static void
test_large (gconstpointer data)
{
  const char *profile = data;
  Run runs[] = {
    { profile, 1024 * MiB, FALSE, TRUE, 101, 150000, 5000 },
    { profile, 4096 * MiB, g_str_equal (profile, "linux-6.1"), TRUE, 202, 150000, 5000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    run_one (&runs[i]);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autofree char *small = g_strdup_printf ("/random/small/%s", profiles[i]);
      g_autofree char *large = g_strdup_printf ("/random/large/%s", profiles[i]);

      g_test_add_data_func (small, profiles[i], test_small);
      g_test_add_data_func (large, profiles[i], test_large);
    }
  g_test_add_func ("/random/highatomic/linux-6.1", test_highatomic);
  status = g_test_run ();
  g_test_message ("%" G_GUINT64_FORMAT " random ops checked", total_ops);
  return status;
}
