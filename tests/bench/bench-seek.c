/* SPDX-License-Identifier: GPL-2.0-or-later */
/* History seek cost: a long alloc/free history on a big machine, then
 * random seeks and step-backs (undo from random positions), fixed seeds.
 * Issue 5's targets: p99 seek <= 5 ms, step back within the same budget,
 * the op log <= 16 bytes per op.  BENCH_SEEK_BUDGET_MB=N sets the
 * checkpoint budget, to see the trade between memory and seek time. */
#include "va-history.h"

#include "va-test-util.h"

#include <stdio.h>
#include <stdlib.h>


static double
percentile (GArray *ms,
            double  p)
{
  return va_test_percentile ((double *) (void *) ms->data, ms->len, p);
}

static void
run (const char *profile,
     guint64     ram,
     gboolean    pae,
     guint       n_ops,
     guint       n_seeks,
     guint       pool)
{
  VaMachineConfig config;
  g_autoptr(GError) error = NULL;
  g_autoptr(VaHistory) h = NULL;
  g_autoptr(GRand) r = g_rand_new_with_seed (9);
  g_autoptr(GArray) seek_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) back_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) restore_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) replay_us = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint8 *live = g_new0 (guint8, pool);
  char name[16];
  gint64 t0;
  double build_s;
  guint failed = 0;

  va_machine_config_init (&config);
  config.profile = va_profile_lookup (profile);
  config.ram_bytes = ram;
  config.pae = pae;
  h = va_history_new (&config, 0, &error);
  g_assert_no_error (error);
  if (g_getenv ("BENCH_SEEK_BUDGET_MB"))
    va_history_set_checkpoint_budget (h, g_ascii_strtoull (g_getenv ("BENCH_SEEK_BUDGET_MB"), NULL, 10) << 20);

  t0 = g_get_monotonic_time ();
  while (va_history_length (h) < n_ops)
    {
      guint i = g_rand_int_range (r, 0, pool);
      VaOp op = { .target_index = -1, .name = name };
      VaOpResult result = { 0 };

      g_snprintf (name, sizeof name, "p%u", i);
      if (live[i])
        op.kind = VA_OP_FREE;
      else
        {
          op.kind = VA_OP_ALLOC;
          op.order = g_rand_int_range (r, 0, 100) < 70 ? 0 : g_rand_int_range (r, 1, 4);
          op.gfp = g_rand_boolean (r) ? "GFP_KERNEL" : "GFP_HIGHUSER";
        }
      if (!va_history_apply (h, &op, &result, NULL))
        continue;
      if (op.kind == VA_OP_FREE)
        live[i] = 0;
      else if (!result.failed)
        live[i] = 1;
      else
        failed++;
      va_op_result_clear (&result);
    }
  build_s = (g_get_monotonic_time () - t0) / 1e6;

  for (guint s = 0; s < n_seeks; s++)
    {
      guint target = g_rand_int_range (r, 0, n_ops + 1);
      double ms;

      t0 = g_get_monotonic_time ();
      g_assert_true (va_history_seek (h, target, &error));
      ms = (g_get_monotonic_time () - t0) / 1e3;
      g_array_append_val (seek_ms, ms);
    }
  /* the two parts of a seek: a restore alone (targets on checkpoints),
   * and a replay alone (forward from a checkpoint, no restore) */
  for (guint s = 0; s < n_seeks / 4; s++)
    {
      guint interval = va_history_interval (h);
      guint target = g_rand_int_range (r, 0, n_ops / interval) * interval;
      guint replay = interval - 1;
      double ms;

      t0 = g_get_monotonic_time ();
      g_assert_true (va_history_seek (h, target, &error));
      ms = (g_get_monotonic_time () - t0) / 1e3;
      g_array_append_val (restore_ms, ms);
      t0 = g_get_monotonic_time ();
      g_assert_true (va_history_seek (h, target + replay, &error));
      ms = (double) (g_get_monotonic_time () - t0) / replay;
      g_array_append_val (replay_us, ms);
    }
  for (guint s = 0; s < n_seeks / 4; s++)
    {
      guint from = g_rand_int_range (r, 1, n_ops + 1);
      double ms;

      g_assert_true (va_history_seek (h, from, &error));
      t0 = g_get_monotonic_time ();
      g_assert_true (va_history_undo (h));
      ms = (g_get_monotonic_time () - t0) / 1e3;
      g_array_append_val (back_ms, ms);
    }

  printf ("%s %" G_GUINT64_FORMAT " MiB%s: %u ops (%u failed allocations) recorded in %.1f s "
          "(%.2f us/op), pool of %u names\n",
          profile, ram >> 20, pae ? " PAE" : "", n_ops, failed, build_s, build_s * 1e6 / n_ops, pool);
  printf ("  seek (%u random):      p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms\n",
          seek_ms->len, percentile (seek_ms, 0.5), percentile (seek_ms, 0.99),
          percentile (seek_ms, 1.0));
  printf ("  step back (%u undo):   p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms\n",
          back_ms->len, percentile (back_ms, 0.5), percentile (back_ms, 0.99),
          percentile (back_ms, 1.0));
  printf ("  of which restore:       p50 %8.2f ms   p99 %8.2f ms;  replay p50 %.2f us/op\n",
          percentile (restore_ms, 0.5), percentile (restore_ms, 0.99), percentile (replay_us, 0.5));
  printf ("  op log: %" G_GUINT64_FORMAT " bytes, %.2f bytes/op\n", va_history_log_bytes (h),
          (double) va_history_log_bytes (h) / n_ops);
  printf ("  checkpoints: %u, interval %u ops, %.1f MB in all (%.1f MB each)\n",
          va_history_checkpoints (h), va_history_interval (h),
          va_history_checkpoint_bytes (h) / 1e6,
          va_history_checkpoint_bytes (h) / 1e6 / va_history_checkpoints (h));
  printf ("  target p99 <= 5 ms: seek %s, step back %s\n",
          percentile (seek_ms, 0.99) <= 5 ? "met" : "MISSED",
          percentile (back_ms, 0.99) <= 5 ? "met" : "MISSED");
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  guint scale = argc > 1 ? atoi (argv[1]) : 1;   /* bench-seek 10: a tenth of the ops */

  if (scale == 0)
    scale = 1;
  run ("linux-2.6.9", G_GUINT64_CONSTANT (4) << 30, FALSE, 1000000 / scale, 2000 / scale, 50000);
  run ("linux-6.1", G_GUINT64_CONSTANT (64) << 30, TRUE, 200000 / scale, 200 / scale, 50000);
  return 0;
}
