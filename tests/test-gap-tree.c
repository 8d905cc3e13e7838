/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The free-space tree against a plain array of slots, on random ranges. */
#include "va-gap-tree.h"
#include "va-rng.h"

static gint64
brute_first (const gboolean *used, guint32 n, guint32 count)
{
  guint32 run = 0;

  for (guint32 i = 0; i < n; i++)
    {
      run = used[i] ? 0 : run + 1;
      if (run == count)
        return i + 1 - count;
    }
  return -1;
}

static guint32
brute_largest (const gboolean *used, guint32 n)
{
  guint32 run = 0, best = 0;

  for (guint32 i = 0; i < n; i++)
    {
      run = used[i] ? 0 : run + 1;
      best = MAX (best, run);
    }
  return best;
}

static void
test_against_array (void)
{
  static const guint32 sizes[] = { 1, 63, 64, 65, 200, 1000, 4097 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      guint32 n = sizes[s];
      VaGapTree *t = va_gap_tree_new (n);
      g_autofree gboolean *used = g_new0 (gboolean, n);
      VaRng rng;

      va_rng_init (&rng, n);
      for (guint op = 0; op < 3000; op++)
        {
          guint32 count = 1 + va_rng_below (&rng, MIN (n, 150));
          guint32 first = va_rng_below (&rng, n - count + 1);
          gboolean set = va_rng_below (&rng, 2);
          guint32 want = 1 + va_rng_below (&rng, MIN (n, 130));
          guint32 free = 0;

          va_gap_tree_set (t, first, count, set);
          for (guint32 i = 0; i < count; i++)
            used[first + i] = set;
          for (guint32 i = 0; i < n; i++)
            free += !used[i];
          g_assert_cmpint (va_gap_tree_find_first (t, want), ==, brute_first (used, n, want));
          g_assert_cmpuint (va_gap_tree_largest (t), ==, brute_largest (used, n));
          g_assert_cmpuint (va_gap_tree_free_slots (t), ==, free);
        }
      va_gap_tree_free (t);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gap-tree/against-array", test_against_array);
  return g_test_run ();
}
