/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VaSession (the explorer's model) on the engine's history: every seek,
 * step and step back lands on the state a fresh run of the text reaches,
 * with the current op's events; ops made after a step back drop the
 * future, an identical op keeps it.  No display needed. */
#include <glib/gstdio.h>

#include "va-session.h"
#include "va-application.h"
#include "va-machine-copy.h"
#include "va-runner.h"

static const char *scenarios[] = {
  "tour.vms", "buddy-split-merge.vms", "cma-borrow-and-reclaim.vms", "fragmentation.vms",
  "vmalloc-guard-pages.vms",
};

/* The machine a fresh run of the session's text reaches after @position ops. */
static VaMachine *
fresh_run (VaSession *session,
           guint      position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VaScenario) sc = va_scenario_parse ("fresh.vms", va_session_get_text (session), &error);
  VaMachineConfig config;
  VaRunReport report;
  VaMachine *m;

  g_assert_no_error (error);
  va_machine_config_init (&config);
  g_assert_true (va_scenario_apply_machine (sc, &config, &error));
  va_run_report_init (&report);
  m = va_runner_run (sc, &config, position, TRUE, &report, &error);
  g_assert_no_error (error);
  va_run_report_clear (&report);
  return m;
}

static void
assert_fresh (VaSession *session)
{
  g_autoptr(VaMachine) fresh = fresh_run (session, va_session_get_position (session));
  g_autoptr(GString) diff = g_string_new (NULL);
  VaMachine *m = va_session_get_machine (session);

  if (!va_machine_equal (m, fresh, diff))
    g_error ("position %u: %s", va_session_get_position (session), diff->str);
  /* the current op's events: those a fresh run records last (none for a
   * big workload, which is restored, not run again) */
  if (va_session_get_position (session) > 0 &&
      !va_session_op_narrated (session, va_session_get_position (session) - 1))
    {
      g_autoptr(GPtrArray) none = va_session_dup_op_events (session);

      g_assert_true (none == NULL || none->len == 0);
    }
  else if (va_session_get_position (session) > 0)
    {
      g_autoptr(GPtrArray) mine = va_session_dup_op_events (session);
      GArray *all = fresh->events;
      guint start = 0, k = 0;

      for (guint i = all->len; i > 0; i--)
        if (g_array_index (all, VaEvent, i - 1).type == VA_EV_OP_BEGIN)
          {
            start = i - 1;
            break;
          }
      g_assert_nonnull (mine);
      g_assert_cmpuint (mine->len, >, 0);
      for (guint i = start; i < all->len; i++)
        {
          const VaEvent *ev = &g_array_index (all, VaEvent, i);
          g_autofree char *line = va_event_describe (ev, m->profile->has_migratetypes);

          if (line == NULL)
            continue;
          g_assert_cmpuint (k, <, mine->len);
          g_assert_cmpmem (mine->pdata[k], sizeof *ev, ev, sizeof *ev);
          k++;
        }
      g_assert_cmpuint (k, ==, mine->len);
    }
}

static VaSession *
load (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("VMATLAS_SRCDIR"), "data", "scenarios",
                                            name, NULL);
  g_autoptr(GError) error = NULL;
  VaSession *session = va_session_new ();

  g_assert_true (va_session_load_file (session, path, &error));
  g_assert_no_error (error);
  return session;
}

static void
test_seeks (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (5);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autoptr(VaSession) session = load (scenarios[i]);
      guint n = va_session_get_n_ops (session);
      g_autoptr(GError) error = NULL;

      assert_fresh (session);
      for (guint k = 0; k < n; k++)
        {
          g_assert_true (va_session_step_forward (session, &error));
          assert_fresh (session);
        }
      for (guint k = 0; k < n; k++)
        {
          g_assert_true (va_session_step_back (session, &error));
          assert_fresh (session);
        }
      for (guint k = 0; k < 12; k++)
        {
          g_assert_true (va_session_seek (session, g_rand_int_range (r, 0, n + 1), &error));
          g_assert_no_error (error);
          assert_fresh (session);
        }
    }
}

static void
test_branch (void)
{
  g_autoptr(VaSession) session = load ("buddy-split-merge.vms");
  g_autoptr(GError) error = NULL;
  g_autoptr(VaOp) op = va_op_new (VA_OP_ALLOC);
  guint n = va_session_get_n_ops (session);
  g_autofree char *next = NULL;
  g_autoptr(VaScenario) sc = NULL;

  g_assert_cmpuint (n, >=, 3);
  g_assert_true (va_session_seek (session, 1, &error));
  /* the same op as the next one: a redo, the rest of the text stays */
  next = va_session_op_text (session, 1);
  sc = va_scenario_parse ("next.vms", next, &error);
  g_assert_no_error (error);
  g_assert_true (va_session_apply_op (session, va_scenario_get_statement (sc, 0)->op, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (va_session_get_n_ops (session), ==, n);
  g_assert_cmpuint (va_session_get_position (session), ==, 2);
  assert_fresh (session);
  /* another op: the future goes */
  op->name = g_strdup ("fresh_block");
  op->order = 2;
  op->gfp = g_strdup ("GFP_KERNEL");
  g_assert_true (va_session_apply_op (session, op, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (va_session_get_n_ops (session), ==, 3);
  g_assert_cmpuint (va_session_get_position (session), ==, 3);
  assert_fresh (session);
  g_assert_true (va_session_step_back (session, &error));
  assert_fresh (session);
  g_assert_true (va_session_step_forward (session, &error));
  assert_fresh (session);
  /* a refused op changes nothing */
  g_assert_false (va_session_apply_op (session, op, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (va_session_get_n_ops (session), ==, 3);
  assert_fresh (session);
}

/* The default tour follows the language: zh_CN and zh_TW have their own. */
static void
test_localized_tour (void)
{
  const char *datadir = va_application_get_datadir ();
  const char *zh_tw[] = { "zh_TW.UTF-8", "zh_TW", "zh", "C", NULL };
  const char *zh_cn[] = { "zh_CN", "C", NULL };
  const char *fr[] = { "fr_FR", "fr", "C", NULL };
  g_autofree char *tw = NULL, *cn = NULL, *other = NULL;
  g_autoptr(VaSession) session = va_session_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (datadir);
  tw = va_application_find_tour (datadir, zh_tw);
  cn = va_application_find_tour (datadir, zh_cn);
  other = va_application_find_tour (datadir, fr);
  g_assert_true (g_str_has_suffix (tw, "/zh_TW/tour.vms"));
  g_assert_true (g_str_has_suffix (cn, "/zh_CN/tour.vms"));
  g_assert_true (g_str_has_suffix (other, "/scenarios/tour.vms"));
  g_assert_true (va_session_load_file (session, cn, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (va_session_get_title (session), ==, "i386 内核内存布局导览");
}

/* A scenario prepared on a thread installs the same session as a load on
 * this one; a bad file, read there, changes nothing. */
static void
test_thread_load (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("VMATLAS_SRCDIR"), "data", "scenarios",
                                            "buddy-split-merge.vms", NULL);
  g_autoptr(VaSession) direct = load ("buddy-split-merge.vms");
  g_autoptr(VaSession) session = va_session_new ();
  g_autoptr(VaSessionLoad) loaded = va_session_load_new_in_thread (path, NULL);
  g_autoptr(VaSessionLoad) missing = va_session_load_new_in_thread ("/nonexistent/x.vms", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) diff = g_string_new (NULL);

  g_assert_true (va_session_install_load (session, loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (va_session_get_text (session), ==, va_session_get_text (direct));
  g_assert_cmpuint (va_session_get_n_ops (session), ==, va_session_get_n_ops (direct));
  g_assert_cmpuint (va_session_get_position (session), ==, 0);
  if (!va_machine_equal (va_session_get_machine (session), va_session_get_machine (direct), diff))
    g_error ("thread load: %s", diff->str);
  assert_fresh (session);

  g_assert_false (va_session_install_load (session, missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpstr (va_session_get_path (session), ==, path);
  g_assert_true (va_session_step_forward (session, NULL));
  assert_fresh (session);
}

/* A scenario prepared on a thread for another machine (the explorer's
 * last one) runs its ops there; where they do not apply (no CMA area for
 * cma_alloc), it is prepared as written. */
static void
test_thread_load_machine (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("VMATLAS_SRCDIR"), "data", "scenarios",
                                            "cma-borrow-and-reclaim.vms", NULL);
  const char *bigger = "machine ram=1G profile=linux-6.1 cma=32M";
  g_autoptr(VaSessionLoad) moved = va_session_load_new_in_thread (path, bigger);
  g_autoptr(VaSessionLoad) refused = va_session_load_new_in_thread (path, "machine ram=512M profile=linux-6.1");
  g_autoptr(VaSession) direct = load ("cma-borrow-and-reclaim.vms");
  g_autoptr(VaSession) session = va_session_new ();
  g_autoptr(GError) error = NULL;
  VaMachine *m;

  g_assert_true (va_session_install_load (session, moved, &error));
  g_assert_no_error (error);
  m = va_session_get_machine (session);
  g_assert_cmpuint (m->config.ram_bytes, ==, G_GUINT64_CONSTANT (1) << 30);
  g_assert_cmpuint (m->config.cma_bytes, ==, 32u << 20);
  g_assert_nonnull (strstr (va_session_get_text (session), bigger));
  g_assert_null (strstr (va_session_get_text (session), "ram=512M"));
  g_assert_cmpuint (va_session_get_n_ops (session), ==, va_session_get_n_ops (direct));
  g_assert_cmpstr (va_session_get_path (session), ==, path);
  g_assert_true (va_session_seek (session, va_session_get_n_ops (session), &error));
  assert_fresh (session);

  g_assert_true (va_session_install_load (session, refused, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (va_session_get_text (session), ==, va_session_get_text (direct));
  g_assert_cmpuint (va_session_get_machine (session)->config.cma_bytes, ==, 16u << 20);
}

/* A saved session reopens at the op it was saved at, from a file or a
 * thread (there also on another machine); a position past the ops is a
 * FILE:LINE:COL error that changes nothing. */
static void
test_save_reopens_at_position (void)
{
  g_autoptr(VaSession) saved = load ("tour.vms");
  g_autoptr(VaSession) reopened = va_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmatlas-session-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "saved.vms", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.vms", NULL);
  g_autofree char *text = NULL;
  g_autofree char *bad_text = NULL;
  g_autoptr(VaSessionLoad) threaded = NULL;
  guint n = va_session_get_n_ops (saved);

  g_assert_no_error (error);
  g_assert_true (va_session_seek (saved, 3, &error));
  g_assert_true (va_session_save (saved, path, &error));
  g_assert_no_error (error);

  g_assert_true (va_session_load_file (reopened, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (va_session_get_position (reopened), ==, 3);
  g_assert_cmpuint (va_session_get_n_ops (reopened), ==, n);
  assert_fresh (reopened);

  threaded = va_session_load_new_in_thread (path, "machine ram=2G profile=linux-2.6.9");
  g_assert_true (va_session_install_load (reopened, threaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (va_session_get_position (reopened), ==, 3);
  g_assert_cmpuint (va_session_get_machine (reopened)->config.ram_bytes, ==, G_GUINT64_CONSTANT (2) << 30);
  assert_fresh (reopened);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  bad_text = g_strdup_printf ("%s# position %u\n", text, n + 1);
  g_assert_true (g_file_set_contents (bad, bad_text, -1, &error));
  g_assert_false (va_session_load_file (reopened, bad, &error));
  g_test_message ("%s", error->message);
  g_assert_true (strstr (error->message, "bad.vms:") != NULL);
  g_assert_nonnull (strstr (error->message, "beyond"));
  g_assert_cmpuint (va_session_get_position (reopened), ==, 3);
  g_assert_cmpstr (va_session_get_path (reopened), ==, path);
  g_unlink (bad);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/seeks", test_seeks);
  g_test_add_func ("/session/branch", test_branch);
  g_test_add_func ("/session/localized-tour", test_localized_tour);
  g_test_add_func ("/session/thread-load", test_thread_load);
  g_test_add_func ("/session/thread-load-machine", test_thread_load_machine);
  g_test_add_func ("/session/save-reopens-at-position", test_save_reopens_at_position);
  return g_test_run ();
}
