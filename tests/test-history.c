/* SPDX-License-Identifier: GPL-2.0-or-later */
/* History: seek, undo/redo and seek into micro-steps land on exactly the
 * state a fresh replay reaches (random scenarios on all three profiles,
 * fixed seeds); the redo branch; the op log's size; saved sessions (round
 * trip, damaged and foreign files, a save failing at every byte). */
#include "va-history.h"
#include "va-machine-copy.h"
#include "va-scenario.h"
#include "va-session-file.h"

#include <glib/gstdio.h>
#include <string.h>

#define MiB (G_GUINT64_CONSTANT (1) << 20)

/*** Random scenarios ***/

static const char *const profiles[] = { "linux-2.4.21", "linux-2.6.9", "linux-6.1" };

static VaMachineConfig
random_config (GRand *r,
               guint  profile)
{
  static const guint64 rams[] = { 64 * MiB, 128 * MiB, 256 * MiB, 512 * MiB, 1024 * MiB };
  VaMachineConfig c;

  va_machine_config_init (&c);
  c.profile = va_profile_lookup (profiles[profile]);
  g_assert_nonnull (c.profile);
  c.ram_bytes = rams[g_rand_int_range (r, 0, G_N_ELEMENTS (rams))];
  c.seed = g_rand_int (r);
  if (profile == 2)
    g_assert_true (va_machine_config_set (&c, "cma", "16M", NULL));
  g_assert_true (va_machine_config_validate (&c, NULL));
  return c;
}

static char *
pick_name (GRand *r)
{
  return g_strdup_printf ("n%d", g_rand_int_range (r, 0, 24));
}

/* Any op, valid or not: the history must cope with refusals too. */
static VaOp *
random_op (GRand   *r,
           gboolean cma)
{
  static const char *const gfps[] = {
    NULL, "GFP_KERNEL", "GFP_HIGHUSER", "GFP_ATOMIC", "GFP_DMA", "GFP_USER|__GFP_MOVABLE",
    "GFP_HIGHUSER_MOVABLE", "GFP_NOIO",
  };
  guint roll = g_rand_int_range (r, 0, cma ? 100 : 88);
  VaOp *op;

  if (roll < 30)
    {
      op = va_op_new (VA_OP_ALLOC);
      op->name = pick_name (r);
      op->order = g_rand_int_range (r, 0, 100) < 70 ? g_rand_int_range (r, 0, 3)
                                                    : g_rand_int_range (r, 0, 11);
      op->gfp = g_strdup (gfps[g_rand_int_range (r, 0, G_N_ELEMENTS (gfps))]);
    }
  else if (roll < 52)
    {
      op = va_op_new (VA_OP_FREE);
      op->name = pick_name (r);
    }
  else if (roll < 60)
    {
      op = va_op_new (g_rand_boolean (r) ? VA_OP_VMALLOC : VA_OP_VMALLOC_32);
      op->name = pick_name (r);
      op->size = g_rand_int_range (r, 1, 64 * 4096);
    }
  else if (roll < 65)
    {
      op = va_op_new (VA_OP_VFREE);
      op->name = pick_name (r);
    }
  else if (roll < 74)
    {
      op = va_op_new (VA_OP_KMALLOC);
      op->name = pick_name (r);
      op->size = g_rand_int_range (r, 1, 9000);
      op->gfp = g_strdup (gfps[g_rand_int_range (r, 0, 3)]);
    }
  else if (roll < 79)
    {
      op = va_op_new (VA_OP_KMAP);
      op->name = g_strdup_printf ("k%d", g_rand_int_range (r, 0, 6));
      op->target = pick_name (r);
      op->target_index = g_rand_boolean (r) ? -1 : g_rand_int_range (r, 0, 4);
    }
  else if (roll < 84)
    {
      op = va_op_new (VA_OP_KUNMAP);
      op->name = g_strdup_printf ("k%d", g_rand_int_range (r, 0, 6));
    }
  else if (roll < 88)
    {
      op = va_op_new (VA_OP_WORKLOAD_FRAGMENT);
      op->seed = g_rand_int_range (r, 0, 1000);
      op->count = g_rand_int_range (r, 1, 40);
    }
  else if (roll < 91)
    {
      op = va_op_new (VA_OP_WORKLOAD_MOVABLE);
      op->seed = g_rand_int_range (r, 0, 1000);
      op->count = g_rand_int_range (r, 1, 600);
    }
  else if (roll < 94)
    {
      op = va_op_new (g_rand_boolean (r) ? VA_OP_PIN : VA_OP_UNPIN);
      op->name = pick_name (r);
    }
  else if (roll < 97)
    {
      op = va_op_new (VA_OP_CMA_ALLOC);
      op->name = pick_name (r);
      op->size = g_rand_int_range (r, 1, 1200);
      if (g_rand_boolean (r))
        {
          op->has_align = TRUE;
          op->order = g_rand_int_range (r, 0, 6);
        }
    }
  else
    {
      op = va_op_new (VA_OP_CMA_RELEASE);
      op->name = pick_name (r);
    }
  return op;
}

/* A fresh machine with the ops 0..@n-1 applied directly. */
static VaMachine *
fresh_replay (const VaMachineConfig *config,
              VaHistory             *h,
              guint                  n)
{
  g_autoptr(GError) error = NULL;
  VaMachine *m = va_machine_new (config, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VaOp) op = va_history_get_op (h, i);
      VaOpResult result = { 0 };

      g_assert_true (va_machine_apply (m, op, &result, &error));
      g_assert_no_error (error);
      va_op_result_clear (&result);
    }
  return m;
}

static void
assert_same (const VaMachine *a,
             const VaMachine *b,
             const char      *what)
{
  g_autoptr(GString) diff = g_string_new (NULL);

  if (!va_machine_equal (a, b, diff))
    g_error ("%s: states differ: %s", what, diff->str);
}

static void
assert_at (VaHistory             *h,
           const VaMachineConfig *config,
           guint                  position,
           const char            *what)
{
  g_autoptr(VaMachine) fresh = fresh_replay (config, h, position);
  g_autofree char *label = g_strdup_printf ("%s (position %u of %u, interval %u)", what,
                                            position, va_history_length (h), va_history_interval (h));

  g_assert_cmpuint (va_history_position (h), ==, position);
  assert_same (va_history_machine (h), fresh, label);
}

/* Builds a history of about @n ops; returns how many were refused. */
static guint
build_history (VaHistory *h,
               GRand     *r,
               guint      n,
               gboolean   cma)
{
  guint refused = 0;

  while (va_history_length (h) < n)
    {
      g_autoptr(VaOp) op = random_op (r, cma);
      VaOpResult result = { 0 };
      g_autoptr(GError) error = NULL;
      guint before = va_history_length (h);

      if (va_history_apply (h, op, &result, &error))
        g_assert_cmpuint (va_history_length (h), ==, before + 1);
      else
        {
          g_assert_nonnull (error);
          g_assert_cmpuint (va_history_length (h), ==, before);
          refused++;
        }
      va_op_result_clear (&result);
    }
  return refused;
}

static GArray *
pick_targets (GRand *r,
              guint  length,
              guint  interval,
              guint  count)
{
  GArray *t = g_array_new (FALSE, FALSE, sizeof (guint));
  guint fixed[] = { 0, length, length ? length - 1 : 0, 1, interval, interval + 1,
                    interval ? interval - 1 : 0, 2 * interval, 3 * interval - 1 };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    if (fixed[i] <= length)
      g_array_append_val (t, fixed[i]);
  while (t->len < count)
    {
      guint v;

      if (g_rand_boolean (r))
        v = g_rand_int_range (r, 0, length + 1);
      else
        {
          /* around a checkpoint boundary */
          guint k = g_rand_int_range (r, 0, length / MAX (interval, 1) + 1);
          gint d = g_rand_int_range (r, -1, 2);

          v = CLAMP ((gint64) k * interval + d, 0, (gint64) length);
        }
      g_array_append_val (t, v);
    }
  return t;
}

/*** Tests ***/

static void
run_seek_property (guint profile,
                   guint run)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (1000 * profile + run);
  VaMachineConfig config = random_config (r, profile);
  guint interval = run % 2 == 0 ? 7 : 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(VaHistory) h = va_history_new (&config, interval, &error);
  g_autoptr(GArray) targets = NULL;
  guint refused;

  g_assert_no_error (error);
  /* run 2 has a checkpoint budget of a few machines: the interval doubles */
  if (run == 2)
    va_history_set_checkpoint_budget (h, 3 * va_history_checkpoint_bytes (h));
  refused = build_history (h, r, run == 2 ? 420 : 120 + g_rand_int_range (r, 0, 120), profile == 2);
  g_test_message ("%s %" G_GUINT64_FORMAT " MiB, interval %u: %u ops (%u refused), %u checkpoints",
                  profiles[profile], config.ram_bytes / MiB, va_history_interval (h),
                  va_history_length (h), refused, va_history_checkpoints (h));
  assert_at (h, &config, va_history_length (h), "after applying");
  if (run == 2)
    g_assert_cmpuint (va_history_interval (h), >, 7);
  targets = pick_targets (r, va_history_length (h), va_history_interval (h), 24);
  for (guint i = 0; i < targets->len; i++)
    {
      guint target = g_array_index (targets, guint, i);

      g_assert_true (va_history_seek (h, target, &error));
      g_assert_no_error (error);
      assert_at (h, &config, target, "seek");
    }
  /* past the end is an error and changes nothing */
  {
    guint pos = va_history_position (h);

    g_assert_false (va_history_seek (h, va_history_length (h) + 1, &error));
    g_assert_error (error, VA_ERROR, VA_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpuint (va_history_position (h), ==, pos);
  }
}

static void
test_seek_property (gconstpointer data)
{
  guint profile = GPOINTER_TO_UINT (data);

  for (guint run = 0; run < 4; run++)
    run_seek_property (profile, run);
}

static void
test_undo_redo (gconstpointer data)
{
  guint profile = GPOINTER_TO_UINT (data);

  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(GRand) r = g_rand_new_with_seed (2000 + 10 * profile + run);
      VaMachineConfig config = random_config (r, profile);
      g_autoptr(GError) error = NULL;
      g_autoptr(VaHistory) h = va_history_new (&config, run == 1 ? 0 : 7, &error);

      g_assert_no_error (error);
      build_history (h, r, 150, profile == 2);
      for (guint round = 0; round < 8; round++)
        {
          guint p = g_rand_int_range (r, 0, va_history_length (h) + 1);
          guint k = g_rand_int_range (r, 0, MIN (p, 25) + 1);
          g_autoptr(VaMachine) before = NULL;

          g_assert_true (va_history_seek (h, p, &error));
          before = va_machine_copy (va_history_machine (h));
          for (guint i = 0; i < k; i++)
            g_assert_true (va_history_undo (h));
          assert_at (h, &config, p - k, "undo");
          for (guint i = 0; i < k; i++)
            g_assert_true (va_history_redo (h));
          g_assert_cmpuint (va_history_position (h), ==, p);
          assert_same (va_history_machine (h), before, "undo then redo");
        }
      /* the ends */
      g_assert_true (va_history_seek (h, 0, &error));
      g_assert_false (va_history_undo (h));
      g_assert_true (va_history_seek (h, va_history_length (h), &error));
      g_assert_false (va_history_redo (h));
    }
}

static void
test_branch (void)
{
  for (guint profile = 0; profile < G_N_ELEMENTS (profiles); profile++)
    {
      g_autoptr(GRand) r = g_rand_new_with_seed (3000 + profile);
      VaMachineConfig config = random_config (r, profile);
      g_autoptr(GError) error = NULL;
      g_autoptr(VaHistory) h = va_history_new (&config, 7, &error);
      guint len, p;
      VaOpResult result = { 0 };

      build_history (h, r, 80, profile == 2);
      len = va_history_length (h);
      p = len / 2;

      /* the identical op is a redo: the branch stays */
      {
        g_autoptr(VaOp) next = NULL;

        g_assert_true (va_history_seek (h, p, &error));
        next = va_history_get_op (h, p);
        g_assert_true (va_history_apply (h, next, &result, &error));
        va_op_result_clear (&result);
        g_assert_cmpuint (va_history_length (h), ==, len);
        assert_at (h, &config, p + 1, "same op after undo");
        g_assert_true (va_history_seek (h, len, &error));
        assert_at (h, &config, len, "end of the kept branch");
      }
      /* a refused op changes nothing, not even the redo branch */
      {
        g_autoptr(VaOp) bad = va_op_new (VA_OP_FREE);

        bad->name = g_strdup ("nobody-has-this-name");
        g_assert_true (va_history_seek (h, p, &error));
        g_assert_false (va_history_apply (h, bad, &result, &error));
        g_clear_error (&error);
        g_assert_cmpuint (va_history_length (h), ==, len);
        assert_at (h, &config, p, "refused op");
      }
      /* a different op drops the branch */
      {
        g_autoptr(VaOp) other = va_op_new (VA_OP_ALLOC);
        g_autoptr(VaOp) back = NULL;

        other->name = g_strdup ("branch");
        g_assert_true (va_history_seek (h, p, &error));
        g_assert_true (va_history_apply (h, other, &result, &error));
        va_op_result_clear (&result);
        g_assert_cmpuint (va_history_length (h), ==, p + 1);
        g_assert_cmpuint (va_history_position (h), ==, p + 1);
        back = va_history_get_op (h, p);
        g_assert_true (va_op_equal (back, other));
        g_assert_false (va_history_redo (h));
        assert_at (h, &config, p + 1, "new branch");
        /* and the new branch grows and seeks like any other */
        build_history (h, r, p + 30, profile == 2);
        for (guint t = 0; t <= va_history_length (h); t += 5)
          {
            g_assert_true (va_history_seek (h, t, &error));
            assert_at (h, &config, t, "seek in the new branch");
          }
      }
    }
}

static void
test_seek_micro (gconstpointer data)
{
  guint profile = GPOINTER_TO_UINT (data);
  g_autoptr(GRand) r = g_rand_new_with_seed (4000 + profile);
  VaMachineConfig config = random_config (r, profile);
  g_autoptr(GError) error = NULL;
  g_autoptr(VaHistory) h = va_history_new (&config, 7, &error);
  guint checked = 0;

  build_history (h, r, 100, profile == 2);
  for (guint round = 0; round < 25; round++)
    {
      guint op = g_rand_int_range (r, 1, va_history_length (h) + 1);
      g_autoptr(GArray) events = va_history_op_events (h, op, &error);
      g_autoptr(VaMachine) direct = fresh_replay (&config, h, op - 1);
      g_autoptr(VaOp) o = va_history_get_op (h, op - 1);
      VaOpResult result = { 0 };
      guint micros[] = { 0, 1, events ? events->len / 2 : 0, events ? events->len : 0 };

      g_assert_no_error (error);
      g_assert_cmpuint (events->len, >, 0);   /* at least the op's begin */
      /* the events are the op's own, as a machine recording them makes */
      va_machine_set_record_events (direct, TRUE);
      g_assert_true (va_machine_apply (direct, o, &result, NULL));
      va_op_result_clear (&result);
      g_assert_cmpuint (direct->events->len, ==, events->len);
      g_assert_cmpmem (direct->events->data, direct->events->len * sizeof (VaEvent),
                       events->data, events->len * sizeof (VaEvent));

      for (guint i = 0; i < G_N_ELEMENTS (micros); i++)
        {
          guint m = MIN (micros[i], events->len);
          VaMachine *cur;

          g_assert_true (va_history_seek_micro (h, op, m, &error));
          g_assert_no_error (error);
          assert_at (h, &config, op - 1, "seek_micro");
          cur = va_history_machine (h);
          g_assert_cmpuint (cur->events->len, ==, m);
          g_assert_cmpmem (cur->events->data, m * sizeof (VaEvent), events->data,
                           m * sizeof (VaEvent));
          checked++;
        }
      /* a micro-step beyond the op's events is an error and changes nothing */
      {
        guint pos = va_history_position (h);

        g_assert_false (va_history_seek_micro (h, op, events->len + 1, &error));
        g_assert_error (error, VA_ERROR, VA_ERROR_INVALID);
        g_clear_error (&error);
        g_assert_cmpuint (va_history_position (h), ==, pos);
      }
    }
  g_assert_false (va_history_seek_micro (h, va_history_length (h) + 1, 0, &error));
  g_clear_error (&error);
  g_test_message ("%u micro-step positions checked", checked);
}

static void
test_log_bytes (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (5000);
  VaMachineConfig config;
  g_autoptr(GError) error = NULL;
  g_autoptr(VaHistory) h = NULL;
  g_autoptr(GPtrArray) live = g_ptr_array_new_with_free_func (g_free);
  const guint n = 100000;
  double per_op;

  va_machine_config_init (&config);
  config.profile = va_profile_lookup ("linux-2.6.9");
  config.ram_bytes = 1024 * MiB;
  h = va_history_new (&config, 0, &error);
  g_assert_no_error (error);
  while (va_history_length (h) < n)
    {
      g_autoptr(VaOp) op = NULL;
      VaOpResult result = { 0 };

      if (live->len > 0 && (live->len > 4000 || g_rand_boolean (r)))
        {
          guint i = g_rand_int_range (r, 0, live->len);

          op = va_op_new (VA_OP_FREE);
          op->name = g_ptr_array_steal_index_fast (live, i);
        }
      else
        {
          op = va_op_new (VA_OP_ALLOC);
          op->name = g_strdup_printf ("p%u", va_history_length (h) % 10000);
          op->order = g_rand_int_range (r, 0, 4);
          if (g_rand_boolean (r))
            op->gfp = g_strdup ("GFP_HIGHUSER");
        }
      if (va_history_apply (h, op, &result, NULL) && op->kind == VA_OP_ALLOC && !result.failed)
        g_ptr_array_add (live, g_strdup (op->name));
      va_op_result_clear (&result);
    }
  per_op = (double) va_history_log_bytes (h) / va_history_length (h);
  g_test_message ("log: %u ops, %" G_GUINT64_FORMAT " bytes, %.2f bytes/op; %u checkpoints "
                  "(interval %u), %.1f MB", va_history_length (h), va_history_log_bytes (h),
                  per_op, va_history_checkpoints (h), va_history_interval (h),
                  va_history_checkpoint_bytes (h) / 1e6);
  g_assert_cmpfloat (per_op, <=, 16.0);
  /* and a seek there still lands right */
  g_assert_true (va_history_seek (h, n / 3 + 1, &error));
  assert_at (h, &config, n / 3 + 1, "long history");
}

/*** Sessions ***/

static char *
read_all (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
write_text (const char *path,
            const char *text)
{
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d))
    n++;
  return n;
}

static void
test_session_round_trip (gconstpointer data)
{
  guint profile = GPOINTER_TO_UINT (data);
  g_autoptr(GRand) r = g_rand_new_with_seed (6000 + profile);
  VaMachineConfig config = random_config (r, profile);
  VaMachineConfig loaded_config;
  g_autoptr(GError) error = NULL;
  g_autoptr(VaHistory) h = va_history_new (&config, 0, &error);
  g_autoptr(VaHistory) back = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmatlas-session-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "s.vms", NULL);
  g_autofree char *view = NULL;
  g_autofree char *text = NULL;
  guint pos;

  g_assert_no_error (error);
  build_history (h, r, 90, profile == 2);
  pos = g_rand_int_range (r, 0, va_history_length (h) + 1);
  g_assert_true (va_history_seek (h, pos, &error));
  g_assert_true (va_session_file_save (path, &config, "A \"quoted\" \\ title", h,
                                       "zoom=vmalloc\nselect=n3 theme=dark", &error));
  g_assert_no_error (error);
  text = read_all (path);
  g_assert_true (g_str_has_prefix (text, VA_SESSION_FILE_HEADER "\nmachine "));
  back = va_session_file_load (path, &loaded_config, &view, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpstr (view, ==, "zoom=vmalloc\nselect=n3 theme=dark");
  g_assert_true (memcmp (&loaded_config, &config, sizeof config) == 0);
  g_assert_cmpuint (va_history_length (back), ==, va_history_length (h));
  for (guint i = 0; i < va_history_length (h); i++)
    {
      g_autoptr(VaOp) a = va_history_get_op (h, i);
      g_autoptr(VaOp) b = va_history_get_op (back, i);

      g_assert_true (va_op_equal (a, b));
    }
  g_assert_cmpuint (va_history_position (back), ==, pos);
  assert_same (va_history_machine (back), va_history_machine (h), "loaded session");
  /* the whole history came back: the redo branch too */
  g_assert_true (va_history_seek (back, va_history_length (back), &error));
  g_assert_true (va_history_seek (h, va_history_length (h), &error));
  assert_same (va_history_machine (back), va_history_machine (h), "loaded session, end");
  /* a session is a plain scenario */
  {
    g_autoptr(VaScenario) s = va_scenario_load (path, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (va_scenario_count_ops (s), ==, va_history_length (h));
    g_assert_cmpstr (va_scenario_get_title (s), ==, "A \"quoted\" \\ title");
  }
  g_unlink (path);
  g_rmdir (dir);
}

static void
assert_load_fails (const char *path,
                   const char *text,
                   const char *message)
{
  VaMachineConfig config;
  g_autofree char *view = g_strdup ("untouched");
  g_autoptr(GError) error = NULL;
  VaHistory *h;

  va_machine_config_init (&config);
  config.ram_bytes = 12345;
  write_text (path, text);
  h = va_session_file_load (path, &config, &view, &error);
  g_assert_null (h);
  g_assert_nonnull (error);
  if (strstr (error->message, message) == NULL)
    g_error ("wanted “%s” in “%s”", message, error->message);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (config.ram_bytes, ==, 12345);
  g_assert_cmpstr (view, ==, "untouched");
}

static void
test_session_bad (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmatlas-session-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bad.vms", NULL);
  g_autofree char *p1 = g_strconcat (path, ":1:1:", NULL);
  g_autofree char *p3 = g_strconcat (path, ":3:1: free b", NULL);
  g_autofree char *p4 = g_strconcat (path, ":4:12: position 3 is beyond the 2 ops", NULL);
  g_autofree char *p2 = g_strconcat (path, ":3:", NULL);

  assert_load_fails (path, "machine ram=64M\nalloc a order=0\n", p1);
  assert_load_fails (path, "PNG\x89 garbage\n", "not a VM Atlas session");
  assert_load_fails (path, "", "not a VM Atlas session");
  assert_load_fails (path, VA_SESSION_FILE_HEADER "\nmachine ram=64M\nfree b\n", p3);
  assert_load_fails (path, VA_SESSION_FILE_HEADER "\nmachine ram=64M\nallok a order=0\n", p2);
  assert_load_fails (path, VA_SESSION_FILE_HEADER "\nalloc a order=0\nfree a\n# position 3\n", p4);
  assert_load_fails (path, VA_SESSION_FILE_HEADER "\nalloc a order=0\n# position x\n",
                     "is not a position");
  /* truncated in the middle of a statement */
  assert_load_fails (path, VA_SESSION_FILE_HEADER "\nmachine ram=64M\nalloc a ord", p2);
  {
    VaMachineConfig config;
    g_autofree char *missing = g_build_filename (dir, "missing.vms", NULL);

    g_assert_null (va_session_file_load (missing, &config, NULL, &error));
    g_assert_error (error, VA_ERROR, VA_ERROR_IO);
    g_clear_error (&error);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* Checkpoints follow the work of replaying, not the op count: a workload
 * bigger than the interval gets a checkpoint right after it, so seeking
 * past it restores instead of running it again; small ops wait for an
 * interval's worth. */
static void
test_heavy_op_checkpoint (void)
{
  VaMachineConfig config;
  g_autoptr(GError) error = NULL;
  g_autoptr(VaHistory) h = NULL;
  g_autoptr(VaOp) work = va_op_new (VA_OP_WORKLOAD_FRAGMENT);
  guint before;

  va_machine_config_init (&config);
  config.ram_bytes = 64 * MiB;
  h = va_history_new (&config, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(VaOp) op = va_op_new (VA_OP_ALLOC);
      VaOpResult result = { 0 };

      op->name = g_strdup_printf ("a%u", i);
      g_assert_true (va_history_apply (h, op, &result, &error));
      va_op_result_clear (&result);
    }
  g_assert_cmpuint (va_history_checkpoints (h), ==, 1);   /* only boot: 10 < 100 */
  before = va_history_checkpoints (h);
  work->seed = 3;
  work->count = 500;
  {
    VaOpResult result = { 0 };

    g_assert_true (va_history_apply (h, work, &result, &error));
    va_op_result_clear (&result);
  }
  g_assert_cmpuint (va_history_checkpoints (h), ==, before + 1);
  /* and seeks across it land where a fresh replay does */
  for (guint target = 0; target <= va_history_length (h); target += 3)
    {
      g_assert_true (va_history_seek (h, target, &error));
      assert_at (h, &config, target, "heavy op");
    }
}

static void
test_session_write_fault (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmatlas-session-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "s.vms", NULL);
  g_autofree char *new_text = NULL;
  g_autofree char *check = NULL;
  const char *old_text = "# the old file\nalloc old order=0\n";
  VaMachineConfig config;
  g_autoptr(VaHistory) h = NULL;
  gsize size;
  const char *names[] = { "a", "b", "c" };

  va_machine_config_init (&config);
  config.ram_bytes = 64 * MiB;
  h = va_history_new (&config, 0, &error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(VaOp) op = va_op_new (VA_OP_ALLOC);
      VaOpResult result = { 0 };

      op->name = g_strdup (names[i]);
      op->order = i;
      g_assert_true (va_history_apply (h, op, &result, &error));
      va_op_result_clear (&result);
    }
  /* the size of the new file */
  g_assert_true (va_session_file_save (path, &config, "fault", h, "zoom=all", &error));
  new_text = read_all (path);
  size = strlen (new_text);
  for (gsize n = 0; n < size; n++)
    {
      g_autofree char *now = NULL;

      write_text (path, old_text);
      va_session_file_set_write_fault (n);
      g_assert_false (va_session_file_save (path, &config, "fault", h, "zoom=all", &error));
      g_assert_error (error, VA_ERROR, VA_ERROR_IO);
      g_clear_error (&error);
      va_session_file_set_write_fault (-1);
      now = read_all (path);
      g_assert_cmpstr (now, ==, old_text);
      g_assert_cmpuint (count_entries (dir), ==, 1);   /* no temporary file left */
    }
  va_session_file_set_write_fault (size);   /* exactly enough */
  g_assert_true (va_session_file_save (path, &config, "fault", h, "zoom=all", &error));
  va_session_file_set_write_fault (-1);
  check = read_all (path);
  g_assert_cmpstr (check, ==, new_text);
  g_test_message ("a save failing after each of %" G_GSIZE_FORMAT " bytes left the old file intact",
                  size);
  /* a folder that does not exist: an error, nothing created */
  {
    g_autofree char *nowhere = g_build_filename (dir, "no", "such", "s.vms", NULL);

    g_assert_false (va_session_file_save (nowhere, &config, NULL, h, NULL, &error));
    g_assert_error (error, VA_ERROR, VA_ERROR_IO);
    g_clear_error (&error);
  }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint p = 0; p < G_N_ELEMENTS (profiles); p++)
    {
      g_autofree char *seek = g_strdup_printf ("/history/seek/%s", profiles[p]);
      g_autofree char *undo = g_strdup_printf ("/history/undo-redo/%s", profiles[p]);
      g_autofree char *micro = g_strdup_printf ("/history/seek-micro/%s", profiles[p]);
      g_autofree char *session = g_strdup_printf ("/session/round-trip/%s", profiles[p]);

      g_test_add_data_func (seek, GUINT_TO_POINTER (p), test_seek_property);
      g_test_add_data_func (undo, GUINT_TO_POINTER (p), test_undo_redo);
      g_test_add_data_func (micro, GUINT_TO_POINTER (p), test_seek_micro);
      g_test_add_data_func (session, GUINT_TO_POINTER (p), test_session_round_trip);
    }
  g_test_add_func ("/history/branch", test_branch);
  g_test_add_func ("/history/log-bytes", test_log_bytes);
  g_test_add_func ("/history/heavy-op-checkpoint", test_heavy_op_checkpoint);
  g_test_add_func ("/session/bad", test_session_bad);
  g_test_add_func ("/session/write-fault", test_session_write_fault);
  return g_test_run ();
}
