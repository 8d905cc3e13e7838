/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Chunk arrays: snapshots share clean chunks, restores copy the chunks that
 * differ, and a restore always yields exactly the snapshot's contents,
 * checked against plain copies after random writes, growth and shrinking. */
#include "va-chunk-array.h"

#include <string.h>

typedef struct {
  guint32 *data;
  guint    len;
} Plain;

static void
check_equal (const VaChunkArray *a,
             const Plain        *p)
{
  g_assert_cmpuint (a->len, ==, p->len);
  for (guint i = 0; i < p->len; i++)
    g_assert_cmpuint (*(guint32 *) va_chunk_array_get (a, i), ==, p->data[i]);
}

static void
write_one (VaChunkArray *a,
           Plain        *p,
           guint         i,
           guint32       v)
{
  *(guint32 *) va_chunk_array_mut (a, i) = v;
  p->data[i] = v;
}

static void
resize (VaChunkArray *a,
        Plain        *p,
        guint         len)
{
  va_chunk_array_set_size (a, len);
  p->data = g_renew (guint32, p->data, MAX (len, 1));
  if (len > p->len)
    memset (p->data + p->len, 0, (len - p->len) * sizeof (guint32));
  p->len = len;
}

/* Random writes, snapshots and restores; after each restore the array must
 * equal the plain copy kept with the snapshot. */
static void
run_random (gboolean flat,
            guint    seed)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (seed);
  VaChunkArray *a = flat ? va_chunk_array_new_flat (sizeof (guint32), 4, 1000)
                         : va_chunk_array_new (sizeof (guint32), 4);
  Plain p = { g_new0 (guint32, 1000), flat ? 1000 : 0 };
  GPtrArray *snaps = g_ptr_array_new ();
  GPtrArray *copies = g_ptr_array_new_with_free_func (g_free);
  GArray *lens = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint step = 0; step < 4000; step++)
    {
      guint what = g_rand_int_range (r, 0, 100);

      if (what < 80 && p.len > 0)
        write_one (a, &p, g_rand_int_range (r, 0, p.len), g_rand_int (r));
      else if (what < 88 && !flat)
        resize (a, &p, g_rand_int_range (r, 0, 1200));
      else if (what < 95)
        {
          g_ptr_array_add (snaps, va_chunk_array_snapshot (a));
          g_ptr_array_add (copies, g_memdup2 (p.data, MAX (p.len, 1) * sizeof (guint32)));
          g_array_append_val (lens, p.len);
        }
      else if (snaps->len > 0)
        {
          guint k = g_rand_int_range (r, 0, snaps->len);

          va_chunk_array_restore (a, snaps->pdata[k]);
          resize (a, &p, g_array_index (lens, guint, k));   /* plain side only */
          memcpy (p.data, copies->pdata[k], p.len * sizeof (guint32));
        }
      check_equal (a, &p);
    }
  for (guint i = 0; i < snaps->len; i++)
    va_chunk_snap_free (snaps->pdata[i]);
  g_ptr_array_unref (snaps);
  g_ptr_array_unref (copies);
  g_array_unref (lens);
  g_free (p.data);
  va_chunk_array_free (a);
}

static void
test_random_growable (void)
{
  for (guint seed = 1; seed <= 8; seed++)
    run_random (FALSE, seed);
}

static void
test_random_flat (void)
{
  for (guint seed = 1; seed <= 8; seed++)
    run_random (TRUE, seed);
}

/* A snapshot after one write copies one chunk; the others are shared and
 * counted once across snapshots. */
static void
test_sharing (void)
{
  VaChunkArray *a = va_chunk_array_new_flat (sizeof (guint32), 8, 4096);   /* 16 chunks */
  VaChunkSnap *s1, *s2;
  guint64 both;

  s1 = va_chunk_array_snapshot (a);
  g_assert_cmpuint (va_chunk_snap_new_bytes (s1), ==, 16 * 256 * sizeof (guint32));
  *(guint32 *) va_chunk_array_mut (a, 300) = 7;
  s2 = va_chunk_array_snapshot (a);
  g_assert_cmpuint (va_chunk_snap_new_bytes (s2), ==, 256 * sizeof (guint32));
  both = va_chunk_snap_bytes (s1, 1) + va_chunk_snap_bytes (s2, 1);
  g_assert_cmpuint (both, <, 18 * (256 * sizeof (guint32) + 16) + 4096);
  g_assert_cmpuint (both, >, 17 * 256 * sizeof (guint32));
  /* restoring s1 copies back only chunk 1 */
  va_chunk_array_restore (a, s1);
  g_assert_cmpuint (*(guint32 *) va_chunk_array_get (a, 300), ==, 0);
  va_chunk_array_restore (a, s2);
  g_assert_cmpuint (*(guint32 *) va_chunk_array_get (a, 300), ==, 7);
  va_chunk_snap_free (s1);
  va_chunk_snap_free (s2);
  va_chunk_array_free (a);
}

/* Element addresses stay put when the array grows. */
static void
test_stable_addresses (void)
{
  VaChunkArray *a = va_chunk_array_new (sizeof (guint64), 2);
  guint64 *first;

  va_chunk_array_set_size (a, 1);
  first = va_chunk_array_mut (a, 0);
  *first = 42;
  va_chunk_array_set_size (a, 10000);
  g_assert_true (va_chunk_array_get (a, 0) == (gpointer) first);
  g_assert_cmpuint (*first, ==, 42);
  va_chunk_array_free (a);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chunk-array/random-growable", test_random_growable);
  g_test_add_func ("/chunk-array/random-flat", test_random_flat);
  g_test_add_func ("/chunk-array/sharing", test_sharing);
  g_test_add_func ("/chunk-array/stable-addresses", test_stable_addresses);
  return g_test_run ();
}
