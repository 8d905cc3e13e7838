/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real application under Xvfb: opens the tour, steps with real key
 * presses (xdotool), selects the vmalloc area with a real click, checks
 * engine state, narration, inspector and a screenshot (import), makes an
 * op through the form, and exports through the window's action. */
#define G_LOG_DOMAIN "test-ui"

#include <gdk/gdkx.h>
#include <glib/gstdio.h>

#include "va-application.h"
#include "va-window.h"

static VaApplication *app;
static VaWindow      *win;
static char          *tmpdir;

/* ------------------------------------------------------------------ */

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

typedef gboolean (*Predicate) (gconstpointer data);

static gboolean
wait_until (Predicate     pred,
            gconstpointer data,
            guint         timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      if (pred (data))
        return TRUE;
      g_usleep (2000);
    }
  return pred (data);
}

static void
child_exited_cb (GPid     pid,
                 int      status,
                 gpointer data)
{
  int *out = data;

  *out = status;
  g_spawn_close_pid (pid);
}

/* Runs a tool (xdotool, import) while our main loop keeps going, so the
 * window can answer the X server meanwhile. */
static void
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status = -1;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  g_child_watch_add (pid, child_exited_cb, &status);
  while (status == -1 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (status, ==, 0);
}

static void
key (const char *name)
{
  const char *argv[] = { "xdotool", "key", name, NULL };

  run_tool (argv);
}

static gboolean
position_is (gconstpointer data)
{
  return va_session_get_position (va_window_get_session (win)) == GPOINTER_TO_UINT (data);
}

static VaMachine *
machine (void)
{
  return va_session_get_machine (va_window_get_session (win));
}

/* Root-window coordinates of a point of the canvas. */
static void
canvas_to_root (double x,
                double y,
                int   *rx,
                int   *ry)
{
  int ox, oy;

  gdk_window_get_origin (gtk_widget_get_window (GTK_WIDGET (va_window_get_canvas (win))), &ox, &oy);
  *rx = ox + (int) x;
  *ry = oy + (int) y;
}

/* Pixels on row @ry between @x0 and @x1 within a small distance of @rgb. */
static guint
count_colour (const char *png,
              int         x0,
              int         x1,
              int         ry,
              guint32     rgb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pb = gdk_pixbuf_new_from_file (png, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (int dy = -1; dy <= 1; dy++)
    for (int x = MAX (x0, 0); x < MIN (x1, gdk_pixbuf_get_width (pb)); x++)
      {
        const guchar *p = gdk_pixbuf_get_pixels (pb) + (ry + dy) * gdk_pixbuf_get_rowstride (pb) +
                          x * gdk_pixbuf_get_n_channels (pb);

        if (ABS (p[0] - (int) (rgb >> 16 & 0xff)) < 24 && ABS (p[1] - (int) (rgb >> 8 & 0xff)) < 24 &&
            ABS (p[2] - (int) (rgb & 0xff)) < 24)
          n++;
      }
  return n;
}

static void
screenshot (const char *path)
{
  const char *argv[] = { "import", "-window", "root", path, NULL };

  iterate_for (150);
  run_tool (argv);
}

/* ------------------------------------------------------------------ */

static void
test_opens_tour (void)
{
  g_assert_nonnull (win);
  g_assert_cmpuint (va_session_get_position (va_window_get_session (win)), ==, 0);
  g_assert_cmpuint (va_session_get_n_ops (va_window_get_session (win)), ==, 14);
  g_assert_cmpstr (va_window_get_say_text (win), ==,
                   "The kernel owns the top 1 GiB of every address space: PAGE_OFFSET is 0xC0000000.\n"
                   "Only 896 MiB of RAM fit in the linear map; the other 128 MiB of this machine are HighMem.\n"
                   "vmalloc space begins after an 8 MiB hole above high_memory (VMALLOC_OFFSET).");
}

static void
test_step_keys (void)
{
  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (1), 3000));
  g_assert_cmpuint (machine ()->op_count, ==, 1);
  g_assert_cmpstr (va_window_get_say_text (win), ==,
                   "A GFP_KERNEL page comes from ZONE_NORMAL and lives in the linear map at phys + PAGE_OFFSET.");
  g_assert_nonnull (strstr (va_window_get_events_text (win), "alloc"));

  key ("BackSpace");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (0), 3000));
  g_assert_cmpuint (machine ()->op_count, ==, 0);

  for (int i = 0; i < 6; i++)
    key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (6), 3000));
  g_assert_cmpuint (machine ()->op_count, ==, 6);
  g_assert_nonnull (va_machine_lookup (machine (), "buf"));
  g_assert_cmpstr (va_window_get_say_text (win), ==,
                   "vmalloc builds a virtually contiguous area from pages taken one by one, HighMem first,\n"
                   "and leaves an unmapped guard page after it.");
  g_assert_nonnull (strstr (va_window_get_events_text (win), "vmalloc"));
}

static gboolean
events_has (gconstpointer data)
{
  return strstr (va_window_get_events_text (win), data) != NULL;
}

/* Shift+→ walks through the op's micro-events one at a time, with the
 * current one in words and its block outlined; Shift+← goes back; another
 * op starts from its end again. */
static void
test_micro_steps (void)
{
  const VaRenderOptions *options = va_map_canvas_get_options (va_window_get_canvas (win));
  g_autofree char *first = NULL;
  gboolean saw_expand = FALSE;

  key ("Home");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (0), 3000));
  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (1), 3000));
  g_assert_null (strstr (va_window_get_events_text (win), "micro-step"));
  g_assert_false (options->has_mark);

  key ("shift+Right");
  g_assert_true (wait_until (events_has, "micro-step 1 of ", 3000));
  first = g_strdup (va_window_get_events_text (win));
  g_test_message ("micro 1: %s", first);
  for (int i = 2; i < 12 && !saw_expand; i++)
    {
      g_autofree char *want = g_strdup_printf ("micro-step %d of ", i);

      key ("shift+Right");
      if (!wait_until (events_has, want, 3000))
        break;      /* past the last one */
      if (g_str_has_prefix (va_window_get_events_text (win), "expand(): "))
        {
          saw_expand = TRUE;
          g_test_message ("micro %d: %s", i, va_window_get_events_text (win));
          g_assert_true (options->has_mark);
          g_assert_cmpuint (options->mark_pfn, <, machine ()->nr_pfns);
          g_free (want);
          want = g_strdup_printf ("micro-step %d of ", i - 1);
          key ("shift+Left");
          g_assert_true (wait_until (events_has, want, 3000));
        }
    }
  g_assert_true (saw_expand);
  /* The engine is at the op's end all along: only the view walks. */
  g_assert_cmpuint (machine ()->op_count, ==, 1);

  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (2), 3000));
  iterate_for (50);
  g_assert_null (strstr (va_window_get_events_text (win), "micro-step"));
  g_assert_false (options->has_mark);
}

/* Space goes to the next `pause` (running the ops before it), → still one
 * op; in presentation mode →/← go from pause to pause. */
static void
test_pauses (void)
{
  g_assert_cmpuint (va_session_get_position (va_window_get_session (win)), ==, 2);
  key ("space");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (3), 3000));
  g_assert_cmpuint (machine ()->op_count, ==, 3);
  g_assert_cmpstr (va_window_get_say_text (win), ==, "A GFP_DMA request can only use the first 16 MiB.");
  key ("space");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (5), 3000));
  g_assert_cmpuint (machine ()->op_count, ==, 5);
  key ("space");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (8), 3000));
  g_assert_cmpuint (machine ()->op_count, ==, 8);
  key ("Left");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (7), 3000));
  key ("shift+space");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (5), 3000));

  key ("F5");
  iterate_for (300);
  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (8), 3000));
  g_assert_cmpuint (machine ()->op_count, ==, 8);
  key ("Left");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (5), 3000));
  key ("Left");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (3), 3000));
  key ("Escape");
  iterate_for (300);

  /* Back where the next tests expect the tour: after op 6. */
  for (int i = 0; i < 3; i++)
    key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (6), 3000));
  g_assert_cmpuint (machine ()->op_count, ==, 6);
}

static gboolean
selected_buf (gconstpointer data)
{
  return g_strcmp0 (va_map_canvas_get_selection (va_window_get_canvas (win)), "buf") == 0;
}

static void
test_click_selects (void)
{
  VaMapCanvas *canvas = va_window_get_canvas (win);
  g_autofree char *before = g_build_filename (tmpdir, "before.png", NULL);
  g_autofree char *after = g_build_filename (tmpdir, "after.png", NULL);
  g_autofree char *xs = NULL, *ys = NULL;
  const char *inspector;
  double x, y;
  int rx, ry, left;
  const char *move[] = { "xdotool", "mousemove", NULL, NULL, "click", "1", NULL };

  g_assert_true (va_map_canvas_locate (canvas, "buf", &x, &y));
  canvas_to_root (x, y, &rx, &ry);
  canvas_to_root (0, 0, &left, &(int) { 0 });
  screenshot (before);
  /* The selection colour (palette.ini selection=#EE3377) is not on the
   * left half of the bar before the click ... */
  g_assert_cmpuint (count_colour (before, left, rx, ry, 0xEE3377), ==, 0);

  xs = g_strdup_printf ("%d", rx);
  ys = g_strdup_printf ("%d", ry);
  move[2] = xs;
  move[3] = ys;
  run_tool (move);
  g_assert_true (wait_until (selected_buf, NULL, 3000));

  inspector = va_window_get_inspector_text (win);
  g_test_message ("inspector: %s", inspector);
  g_assert_nonnull (strstr (inspector, "vmalloc"));
  g_assert_nonnull (strstr (inspector, "Allocation “buf”"));
  g_assert_nonnull (strstr (inspector, "of “buf”"));

  /* ... and is there after it: the outline of the selected area. */
  screenshot (after);
  g_assert_cmpuint (count_colour (after, left, rx, ry, 0xEE3377), >, 0);
}

static gboolean
has_focus (gconstpointer data)
{
  return gtk_widget_has_focus (GTK_WIDGET (data));
}

static gboolean
nothing_selected (gconstpointer data)
{
  return va_map_canvas_get_selection (va_window_get_canvas (win)) == NULL;
}

static gboolean
cursor_changed (gconstpointer data)
{
  return g_strcmp0 (va_window_get_inspector_text (win), data) != 0;
}

/* The focused canvas walks the regions of the virtual map with Down (the
 * inspector and the accessible name follow the cursor), and Return
 * selects the allocation under it, like a click. */
static void
test_keyboard_regions (void)
{
  VaMapCanvas *canvas = va_window_get_canvas (win);
  AtkObject *a11y = gtk_widget_get_accessible (GTK_WIDGET (canvas));
  g_autofree char *xs = NULL, *ys = NULL;
  const char *click[] = { "xdotool", "mousemove", NULL, NULL, "click", "1", NULL };
  const char *inspector;
  int rx, ry;
  gboolean found = FALSE;

  g_assert_cmpuint (va_session_get_position (va_window_get_session (win)), ==, 6);
  /* An empty spot: the margin above the maps.  Focus, no selection. */
  canvas_to_root (4, 4, &rx, &ry);
  xs = g_strdup_printf ("%d", rx);
  ys = g_strdup_printf ("%d", ry);
  click[2] = xs;
  click[3] = ys;
  run_tool (click);
  g_assert_true (wait_until (has_focus, canvas, 3000));
  g_assert_true (wait_until (nothing_selected, NULL, 3000));

  for (int i = 0; i < 80 && !found; i++)
    {
      g_autofree char *before = g_strdup (va_window_get_inspector_text (win));

      key ("Down");
      g_assert_true (wait_until (cursor_changed, before, 3000));
      inspector = va_window_get_inspector_text (win);
      g_assert_nonnull (va_map_canvas_get_cursor_text (canvas));
      g_assert_cmpstr (inspector, ==, va_map_canvas_get_cursor_text (canvas));
      found = strstr (inspector, ": vmalloc area [") && strstr (inspector, ") of “buf”");
    }
  g_assert_true (found);
  g_test_message ("cursor: %s", inspector);
  g_assert_cmpstr (atk_object_get_name (a11y), ==, "vmalloc “buf”");
  g_assert_cmpuint (va_session_get_position (va_window_get_session (win)), ==, 6);
  g_assert_null (va_map_canvas_get_selection (canvas));

  key ("Return");
  g_assert_true (wait_until (selected_buf, NULL, 3000));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (canvas)));
  /* Return is the canvas's: no op ran. */
  g_assert_cmpuint (va_session_get_position (va_window_get_session (win)), ==, 6);
  inspector = va_window_get_inspector_text (win);
  g_test_message ("inspector: %s", inspector);
  g_assert_nonnull (strstr (inspector, "Allocation “buf”"));
  g_assert_nonnull (strstr (inspector, "of “buf”"));

  /* Up goes back a region; → is still the window's step. */
  {
    g_autofree char *before = g_strdup (va_window_get_inspector_text (win));

    key ("Up");
    g_assert_true (wait_until (cursor_changed, before, 3000));
    g_assert_cmpstr (atk_object_get_name (a11y), !=, "vmalloc “buf”");
  }
  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (7), 3000));
  key ("Left");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (6), 3000));
}

static void
test_op_form (void)
{
  VaOpPanel *panel = va_window_get_op_panel (win);
  VaSession *session = va_window_get_session (win);
  g_autoptr(GError) error = NULL;
  guint pos = va_session_get_position (session);

  /* Refused before anything runs: the reason is shown under the form. */
  va_op_panel_set_fields (panel, "vfree", "ghost", NULL);
  g_assert_false (va_op_panel_apply (panel, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (va_op_panel_get_error (panel), "nonexistent vm area"));
  g_assert_cmpuint (va_session_get_position (session), ==, pos);
  g_clear_error (&error);

  va_op_panel_set_fields (panel, "vmalloc", "v2", "lots");
  g_assert_false (va_op_panel_apply (panel, &error));
  g_assert_cmpuint (va_session_get_position (session), ==, pos);
  g_clear_error (&error);

  /* Accepted: the op runs, the future is dropped, the text records it. */
  va_op_panel_set_fields (panel, "vmalloc", "v2", "32K");
  g_assert_true (va_op_panel_apply (panel, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (va_session_get_position (session), ==, pos + 1);
  g_assert_cmpuint (va_session_get_n_ops (session), ==, pos + 1);
  g_assert_nonnull (strstr (va_session_get_text (session), "\nvmalloc v2 "));
  g_assert_nonnull (va_machine_lookup (machine (), "v2"));
  iterate_for (100);

  /* Step back, forward again: the session replays its own text. */
  key ("Left");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (pos), 3000));
  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (pos + 1), 3000));
  g_assert_nonnull (va_machine_lookup (machine (), "v2"));
}

static gboolean
played_to_end (gconstpointer data)
{
  VaSession *session = va_window_get_session (win);

  return !va_window_is_playing (win) &&
         va_session_get_position (session) == va_session_get_n_ops (session);
}

static void
count_cb (VaSession *session,
          guint     *count)
{
  (*count)++;
}

/* P plays from the start (at the end it rewinds), one op after the other
 * on the frame clock, and stops at the end. */
static void
test_play (void)
{
  VaSession *session = va_window_get_session (win);
  guint changes = 0;
  gulong id = g_signal_connect (session, "changed", G_CALLBACK (count_cb), &changes);

  g_assert_cmpuint (va_session_get_position (session), ==, va_session_get_n_ops (session));
  g_action_group_activate_action (G_ACTION_GROUP (win), "speed", g_variant_new_string ("16"));
  key ("p");
  g_assert_true (wait_until (played_to_end, NULL, 5000));
  /* The rewind, then every op as its own step. */
  g_assert_cmpuint (changes, ==, 1 + va_session_get_n_ops (session));
  g_assert_cmpuint (machine ()->op_count, ==, va_session_get_n_ops (session));
  g_signal_handler_disconnect (session, id);
}

static void
test_export (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "export.png", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pb = NULL;
  gsize len = 0;

  g_action_group_activate_action (G_ACTION_GROUP (win), "export-to", g_variant_new_string (out));
  g_assert_true (g_file_get_contents (out, &data, &len, &error));
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  pb = gdk_pixbuf_new_from_file (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pb), >=, 800);
}

static GtkWidget *
template_child (const char *name)
{
  GObject *o = gtk_widget_get_template_child (GTK_WIDGET (win), VA_TYPE_WINDOW, name);

  g_assert_nonnull (o);
  return GTK_WIDGET (o);
}

static GtkWidget *
find_message_dialog (void)
{
  g_autoptr(GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l; l = l->next)
    if (GTK_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* The machine popover refuses a bad value with the engine's reason and
 * changes nothing; a good one asks first (there is a history), then starts
 * the new machine with the same ops. */
static void
test_machine_popover (void)
{
  VaSession *session = va_window_get_session (win);
  guint n = va_session_get_n_ops (session);
  GtkWidget *popover = template_child ("machine_popover");
  GtkWidget *error_label = template_child ("machine_error");
  GtkWidget *dialog;

  gtk_widget_show (popover);
  iterate_for (100);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (template_child ("ram_entry"))), ==, "1G");
  gtk_entry_set_text (GTK_ENTRY (template_child ("ram_entry")), "lots");
  g_action_group_activate_action (G_ACTION_GROUP (win), "apply-machine", NULL);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_test_message ("refused: %s", gtk_label_get_text (GTK_LABEL (error_label)));
  g_assert_cmpuint (machine ()->config.ram_bytes, ==, 1 * G_GUINT64_CONSTANT (1) << 30);
  g_assert_null (find_message_dialog ());

  gtk_entry_set_text (GTK_ENTRY (template_child ("ram_entry")), "2G");
  g_action_group_activate_action (G_ACTION_GROUP (win), "apply-machine", NULL);
  g_assert_false (gtk_widget_get_visible (error_label));
  iterate_for (100);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (machine ()->config.ram_bytes, ==, G_GUINT64_CONSTANT (1) << 30);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  iterate_for (100);
  g_assert_cmpuint (machine ()->config.ram_bytes, ==, G_GUINT64_CONSTANT (2) << 30);
  g_assert_cmpuint (va_session_get_n_ops (session), ==, n);
  g_assert_cmpuint (va_session_get_position (session), ==, 0);
  g_assert_nonnull (strstr (va_session_get_text (session), "machine ram=2G"));
}

/* At 1× playing shows each op's micro-steps on the frame clock before the
 * next op; P pauses in the middle of them. */
static void
test_play_micro (void)
{
  VaSession *session = va_window_get_session (win);

  g_assert_cmpuint (va_session_get_position (session), ==, 0);
  g_action_group_activate_action (G_ACTION_GROUP (win), "speed", g_variant_new_string ("1"));
  key ("p");
  g_assert_true (wait_until (events_has, "micro-step 3 of ", 3000));
  g_assert_true (va_window_is_playing (win));
  g_assert_cmpuint (va_session_get_position (session), ==, 1);
  key ("p");
  iterate_for (100);
  g_assert_false (va_window_is_playing (win));
  g_assert_cmpuint (va_session_get_position (session), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  const char *srcdir = g_getenv ("VMATLAS_SRCDIR");
  g_autofree char *tour = NULL;
  g_autoptr(GFile) file = NULL;
  const char *focus[] = { "xdotool", "windowfocus", "--sync", NULL, NULL };
  g_autofree char *xid = NULL;
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (srcdir);
  g_assert_true (GDK_IS_X11_DISPLAY (gdk_display_get_default ()));
  tmpdir = g_dir_make_tmp ("vmatlas-ui-XXXXXX", NULL);
  tour = g_build_filename (srcdir, "data", "scenarios", "tour.vms", NULL);
  file = g_file_new_for_path (tour);

  app = va_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_open (G_APPLICATION (app), &file, 1, "");
  win = VA_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  iterate_for (600);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_window_get_xid (gtk_widget_get_window (GTK_WIDGET (win))));
  focus[3] = xid;
  run_tool (focus);
  iterate_for (100);

  g_test_add_func ("/ui/opens-tour", test_opens_tour);
  g_test_add_func ("/ui/step-keys", test_step_keys);
  g_test_add_func ("/ui/micro-steps", test_micro_steps);
  g_test_add_func ("/ui/pauses", test_pauses);
  g_test_add_func ("/ui/click-selects-vmalloc", test_click_selects);
  g_test_add_func ("/ui/keyboard-regions", test_keyboard_regions);
  g_test_add_func ("/ui/op-form", test_op_form);
  g_test_add_func ("/ui/play", test_play);
  g_test_add_func ("/ui/export", test_export);
  g_test_add_func ("/ui/machine-popover", test_machine_popover);
  g_test_add_func ("/ui/play-micro", test_play_micro);
  rc = g_test_run ();

  if (g_getenv ("VMATLAS_UI_SHOT"))
    {
      const char *argv_shot[] = { "import", "-window", "root", g_getenv ("VMATLAS_UI_SHOT"), NULL };

      iterate_for (200);
      run_tool (argv_shot);
    }
  gtk_widget_destroy (GTK_WIDGET (win));
  iterate_for (50);
  g_object_unref (app);
  return rc;
}
