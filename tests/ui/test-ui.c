/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real application under Xvfb: opens the tour, steps with real key
 * presses (xdotool), selects the vmalloc area with a real click, checks
 * engine state, narration, inspector and a screenshot (import), makes an
 * op through the form, and exports through the window's action; seeks on
 * the timeline, reads the tooltips, opens scenarios from their dialog and
 * saves and reopens a session through the file chooser. */
#define G_LOG_DOMAIN "test-ui"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <gdk/gdkx.h>
#include <glib/gstdio.h>
#include <time.h>

#include "va-application.h"
#include "va-freelist-panel.h"
#include "va-machine-popover.h"
#include "va-timeline.h"
#include "va-window.h"

static GtkWidget *template_child (const char *name);
static char      *scenario_path  (const char *name);

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

/* Root-window coordinates of point (x, y) of @widget. */
static void
widget_point_to_root (GtkWidget *widget,
                      double     x,
                      double     y,
                      int       *rx,
                      int       *ry)
{
  GtkWidget *top = gtk_widget_get_toplevel (widget);
  int wx, wy, ox, oy;

  g_assert_true (gtk_widget_translate_coordinates (widget, top, (int) x, (int) y, &wx, &wy));
  gdk_window_get_origin (gtk_widget_get_window (top), &ox, &oy);
  *rx = ox + wx;
  *ry = oy + wy;
}

/* The op's events: the text view in the events box's scrolled window. */
static GtkWidget *
events_view (void)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (template_child ("events_box")));

  g_assert_nonnull (children);
  g_assert_true (GTK_IS_SCROLLED_WINDOW (children->data));
  return gtk_bin_get_child (GTK_BIN (children->data));
}

static gboolean
has_focus (gconstpointer data)
{
  return gtk_widget_has_focus (GTK_WIDGET (data));
}

/* Root-window coordinates of a point of the canvas. */
static void
canvas_to_root (double x,
                double y,
                int   *rx,
                int   *ry)
{
  widget_point_to_root (GTK_WIDGET (va_window_get_canvas (win)), x, y, rx, ry);
}

/* A real click of the primary button at root coordinates (rx, ry). */
static void
click_root (int rx,
            int ry)
{
  g_autofree char *xs = g_strdup_printf ("%d", rx);
  g_autofree char *ys = g_strdup_printf ("%d", ry);
  const char *argv[] = { "xdotool", "mousemove", xs, ys, "click", "1", NULL };

  run_tool (argv);
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

/* Gives the window the keyboard focus: there is no window manager to
 * give it back when a dialog goes. */
static void
focus_window (void)
{
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_window_get_xid (
                                            gtk_widget_get_window (GTK_WIDGET (win))));
  const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, NULL };

  run_tool (argv);
  iterate_for (100);
}

static void
collect_descendants (GtkWidget *widget,
                     GType      type,
                     GPtrArray *out)
{
  g_autoptr(GList) children = NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  if (!GTK_IS_CONTAINER (widget))
    return;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l; l = l->next)
    collect_descendants (l->data, type, out);
}

/* @widget and the widgets under it that are of @type, depth first. */
static GPtrArray *
descendants (GtkWidget *widget,
             GType      type)
{
  GPtrArray *out = g_ptr_array_new ();

  collect_descendants (widget, type, out);
  return out;
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
  /* The events and the inspector scroll once the first frame is out (they
   * wait in boxes of the same height until then). */
  g_assert_true (GTK_IS_TEXT_VIEW (events_view ()));
  g_assert_cmpint (gtk_widget_get_allocated_height (gtk_widget_get_parent (events_view ())), ==, 84);
  g_assert_nonnull (gtk_widget_get_ancestor (template_child ("inspector_label"), GTK_TYPE_SCROLLED_WINDOW));
}

static void
test_step_keys (void)
{
  int maps_height = gtk_widget_get_allocated_height (template_child ("canvas"));

  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (1), 3000));
  /* One line of narration after three: the narration keeps its height,
   * the maps do not grow back and move. */
  iterate_for (100);
  g_assert_cmpint (gtk_widget_get_allocated_height (template_child ("canvas")), ==, maps_height);
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

  /* Clicked into (to select and copy a line), the events' read-only text
   * view leaves →, ← and Backspace to the window. */
  {
    GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (win));
    GtkWidget *view = events_view ();
    int rx, ry;

    widget_point_to_root (view, 20, 10, &rx, &ry);
    click_root (rx, ry);
    g_assert_true (wait_until (has_focus, view, 3000));
    key ("Right");
    g_assert_true (wait_until (position_is, GUINT_TO_POINTER (3), 3000));
    key ("BackSpace");
    g_assert_true (wait_until (position_is, GUINT_TO_POINTER (2), 3000));
    if (focus)
      gtk_widget_grab_focus (focus);
  }
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
  const char *inspector;
  double x, y;
  int rx, ry, left;

  g_assert_true (va_map_canvas_locate (canvas, "buf", &x, &y));
  canvas_to_root (x, y, &rx, &ry);
  canvas_to_root (0, 0, &left, &(int) { 0 });
  screenshot (before);
  /* The selection colour (palette.ini selection=#EE3377) is not on the
   * left half of the bar before the click ... */
  g_assert_cmpuint (count_colour (before, left, rx, ry, 0xEE3377), ==, 0);

  click_root (rx, ry);
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
  const char *inspector;
  int rx, ry;
  gboolean found = FALSE;

  g_assert_cmpuint (va_session_get_position (va_window_get_session (win)), ==, 6);
  /* An empty spot: the margin above the maps.  Focus, no selection. */
  canvas_to_root (4, 4, &rx, &ry);
  click_root (rx, ry);
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

/* ------------------------------------------------------------------ */
/* Zoom and pan                                                         */

static const VaRenderOptions *
canvas_options (void)
{
  return va_map_canvas_get_options (va_window_get_canvas (win));
}

static gboolean
virt_zoomed (gconstpointer data)
{
  return canvas_options ()->zoom_end != 0;
}

static gboolean
virt_len_is (gconstpointer data)
{
  const VaRenderOptions *o = canvas_options ();

  return o->zoom_end && o->zoom_end - o->zoom_start == *(const guint64 *) data;
}

static gboolean
phys_count_is (gconstpointer data)
{
  return canvas_options ()->phys_count == GPOINTER_TO_UINT (data);
}

static gboolean
nothing_zoomed (gconstpointer data)
{
  const VaRenderOptions *o = canvas_options ();

  return o->zoom_start == 0 && o->zoom_end == 0 && o->phys_first == 0 && o->phys_count == 0;
}

static gboolean
phys_first_changed (gconstpointer data)
{
  return canvas_options ()->phys_first != GPOINTER_TO_UINT (data);
}

static gboolean
virt_start_changed (gconstpointer data)
{
  return canvas_options ()->zoom_start != GPOINTER_TO_UINT (data);
}

/* xdotool with the pointer first moved to root point (rx, ry): @rest is
 * the rest of the command line (chained xdotool commands, maybe none). */
static void
xdotool_root (int         rx,
              int         ry,
              const char *rest)
{
  g_autofree char *line = g_strdup_printf ("xdotool mousemove %d %d %s", rx, ry, rest ? rest : "");
  g_auto(GStrv) argv = g_strsplit (g_strstrip (line), " ", -1);

  run_tool ((const char *const *) argv);
}

/* The same from canvas point (x, y). */
static void
xdotool_at (double      x,
            double      y,
            const char *rest)
{
  int rx, ry;

  canvas_to_root (x, y, &rx, &ry);
  xdotool_root (rx, ry, rest);
}

static gboolean
virt_holds (guint64 start,
            guint64 end)
{
  const VaRenderOptions *o = canvas_options ();
  guint64 hi = o->zoom_end ? o->zoom_end : G_GUINT64_CONSTANT (1) << 32;

  return o->zoom_start <= start && end <= hi;
}

static gboolean
phys_holds (guint32 pfn)
{
  const VaRenderOptions *o = canvas_options ();

  return o->phys_first <= pfn && (o->phys_count == 0 || pfn - o->phys_first < o->phys_count);
}

/* Ctrl+scroll zooms the map under the pointer around the pointer (each
 * map on its own); a middle drag pans the physical map by whole rows, a
 * primary drag pans the virtual map and selects nothing. */
static void
test_zoom_scroll_pan (void)
{
  VaMapCanvas *canvas = va_window_get_canvas (win);
  const VaAllocation *buf = va_machine_lookup (machine (), "buf");
  guint64 half = G_GUINT64_CONSTANT (1) << 31, eighth = G_GUINT64_CONSTANT (1) << 29;
  guint32 nr = machine ()->nr_pfns, first, start;
  double x, y, px, py;

  g_assert_nonnull (buf);
  key ("ctrl+0");
  g_assert_true (wait_until (nothing_zoomed, NULL, 3000));

  /* The virtual map, on buf's area: twice, then twice more. */
  g_assert_true (va_map_canvas_locate (canvas, "buf", &x, &y));
  xdotool_at (x, y, "keydown ctrl click 4 keyup ctrl");
  g_assert_true (wait_until (virt_len_is, &half, 3000));
  g_assert_true (virt_holds (buf->virt, buf->virt + VA_PAGE_SIZE));
  g_assert_cmpuint (canvas_options ()->phys_count, ==, 0);
  g_assert_true (va_map_canvas_locate (canvas, "buf", &x, &y));
  xdotool_at (x, y, "keydown ctrl click 4 click 4 keyup ctrl");
  g_assert_true (wait_until (virt_len_is, &eighth, 3000));
  g_test_message ("virtual map 0x%08x-0x%09" G_GINT64_MODIFIER "x, buf at 0x%08x",
                  canvas_options ()->zoom_start, canvas_options ()->zoom_end, buf->virt);
  g_assert_true (virt_holds (buf->virt, buf->virt + VA_PAGE_SIZE));

  /* The physical map, on buf's first frame. */
  g_assert_true (va_map_canvas_locate_frame (canvas, buf->pfns[0], &px, &py));
  xdotool_at (px, py, "keydown ctrl click 4 keyup ctrl");
  g_assert_true (wait_until (phys_count_is, GUINT_TO_POINTER (nr / 2), 3000));
  /* Around the pointer, near the end of the map, not the middle: a pixel
   * of the whole map covers a few rows of frames, hence the slack. */
  g_assert_true (phys_holds (buf->pfns[0] - 2048));
  g_assert_cmpuint (canvas_options ()->phys_first, >, nr / 4);
  g_assert_true (virt_len_is (&eighth));
  g_test_message ("physical map: frames %u+%u, buf at %u", canvas_options ()->phys_first,
                  canvas_options ()->phys_count, buf->pfns[0]);

  /* Middle drag down on the physical map: lower frames come into view. */
  first = canvas_options ()->phys_first;
  g_assert_cmpuint (first, >, 0);
  g_assert_true (va_map_canvas_locate_frame (canvas, first + nr / 4, &px, &py));
  xdotool_at (px, py - 40, "mousedown 2 mousemove_relative 0 30 mousemove_relative 0 30 mouseup 2");
  g_assert_true (wait_until (phys_first_changed, GUINT_TO_POINTER (first), 3000));
  g_assert_cmpuint (canvas_options ()->phys_first, <, first);
  g_assert_cmpuint (canvas_options ()->phys_count, ==, nr / 2);

  /* Primary drag down on the virtual map: higher addresses; the press
   * selected nothing. */
  start = canvas_options ()->zoom_start;
  g_assert_true (va_map_canvas_locate (canvas, "buf", &x, &y));
  xdotool_at (x, y - 60, "mousedown 1 mousemove_relative 0 20 mousemove_relative 0 40 mouseup 1");
  g_assert_true (wait_until (virt_start_changed, GUINT_TO_POINTER (start), 3000));
  g_assert_cmpuint (canvas_options ()->zoom_start, >, start);
  g_assert_true (virt_len_is (&eighth));
  g_assert_cmpstr (va_map_canvas_get_selection (canvas), ==, "buf");

  key ("ctrl+0");
  g_assert_true (wait_until (nothing_zoomed, NULL, 3000));
}

/* Root coordinates of the middle of @widget. */
static void
widget_to_root (GtkWidget *widget,
                int       *rx,
                int       *ry)
{
  widget_point_to_root (widget, gtk_widget_get_allocated_width (widget) / 2,
                        gtk_widget_get_allocated_height (widget) / 2, rx, ry);
}

static gboolean
fits_buf (gconstpointer data)
{
  const VaAllocation *buf = data;
  guint64 end = buf->virt + (guint64) (buf->nr_pages + 1) * VA_PAGE_SIZE;

  for (guint32 i = 0; i < buf->nr_pages; i++)
    if (!phys_holds (buf->pfns[i]))
      return FALSE;
  return virt_zoomed (NULL) && virt_holds (buf->virt, end) &&
         canvas_options ()->zoom_end - canvas_options ()->zoom_start <= MAX (3 * (end - buf->virt), 64 * 1024) &&
         canvas_options ()->phys_count != 0;
}

/* +, −, Ctrl+plus, Ctrl+0, 0 zoom both maps; Z and the inspector's button
 * zoom both onto the selected allocation; the shortcuts window lists them. */
static void
test_zoom_keys_selection (void)
{
  const VaAllocation *buf = va_machine_lookup (machine (), "buf");
  guint64 half = G_GUINT64_CONSTANT (1) << 31;
  guint32 nr = machine ()->nr_pfns;
  GtkWidget *button = template_child ("zoom_selection_button");
  GtkShortcutsWindow *overlay = va_window_ensure_help_overlay (win);
  int rx, ry;

  g_assert_cmpstr (va_map_canvas_get_selection (va_window_get_canvas (win)), ==, "buf");
  key ("plus");
  g_assert_true (wait_until (virt_len_is, &half, 3000));
  g_assert_true (wait_until (phys_count_is, GUINT_TO_POINTER (nr / 2), 3000));
  key ("minus");
  g_assert_true (wait_until (nothing_zoomed, NULL, 3000));
  key ("ctrl+plus");
  g_assert_true (wait_until (virt_len_is, &half, 3000));
  key ("ctrl+0");
  g_assert_true (wait_until (nothing_zoomed, NULL, 3000));

  key ("z");
  g_assert_true (wait_until (fits_buf, buf, 3000));
  g_test_message ("z: virtual 0x%08x-0x%09" G_GINT64_MODIFIER "x, frames %u+%u",
                  canvas_options ()->zoom_start, canvas_options ()->zoom_end,
                  canvas_options ()->phys_first, canvas_options ()->phys_count);
  key ("0");
  g_assert_true (wait_until (nothing_zoomed, NULL, 3000));

  /* The button, clicked for real. */
  g_assert_true (gtk_widget_is_sensitive (button));
  widget_to_root (button, &rx, &ry);
  click_root (rx, ry);
  g_assert_true (wait_until (fits_buf, buf, 3000));
  key ("ctrl+0");
  g_assert_true (wait_until (nothing_zoomed, NULL, 3000));

  g_assert_nonnull (overlay);
  {
    /* Every GtkShortcutsShortcut under the window, for the action. */
    g_autoptr(GPtrArray) shortcuts = descendants (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SHORTCUT);
    gboolean listed = FALSE;

    for (guint i = 0; i < shortcuts->len; i++)
      {
        g_autofree char *action = NULL;

        g_object_get (shortcuts->pdata[i], "action-name", &action, NULL);
        listed |= g_strcmp0 (action, "win.zoom-selection") == 0;
      }
    g_assert_true (listed);
  }
}

/* A touchpad pinch as the X server would send it, through GTK's own event
 * dispatch (Xvfb has no touchpad). */
static void
pinch (double               x,
       double               y,
       GdkTouchpadGesturePhase phase,
       double               scale)
{
  GtkWidget *canvas = GTK_WIDGET (va_window_get_canvas (win));
  GdkSeat *seat = gdk_display_get_default_seat (gtk_widget_get_display (canvas));
  GdkEvent *ev = gdk_event_new (GDK_TOUCHPAD_PINCH);

  ev->touchpad_pinch.window = g_object_ref (gtk_widget_get_window (canvas));
  ev->touchpad_pinch.send_event = TRUE;
  ev->touchpad_pinch.phase = phase;
  ev->touchpad_pinch.n_fingers = 2;
  ev->touchpad_pinch.time = GDK_CURRENT_TIME;
  ev->touchpad_pinch.x = x;
  ev->touchpad_pinch.y = y;
  ev->touchpad_pinch.scale = scale;
  gdk_event_set_device (ev, gdk_seat_get_pointer (seat));
  gdk_event_set_source_device (ev, gdk_seat_get_pointer (seat));
  gtk_main_do_event (ev);
  gdk_event_free (ev);
}

/* Spreading two fingers on a map zooms that map around them. */
static void
test_zoom_pinch (void)
{
  VaMapCanvas *canvas = va_window_get_canvas (win);
  const VaAllocation *buf = va_machine_lookup (machine (), "buf");
  guint64 quarter = G_GUINT64_CONSTANT (1) << 30;
  guint32 nr = machine ()->nr_pfns;
  double x, y;

  g_assert_true (nothing_zoomed (NULL));
  g_assert_true (va_map_canvas_locate_frame (canvas, buf->pfns[0], &x, &y));
  pinch (x, y, GDK_TOUCHPAD_GESTURE_PHASE_BEGIN, 1.0);
  pinch (x, y, GDK_TOUCHPAD_GESTURE_PHASE_UPDATE, 1.5);
  pinch (x, y, GDK_TOUCHPAD_GESTURE_PHASE_UPDATE, 2.0);
  pinch (x, y, GDK_TOUCHPAD_GESTURE_PHASE_END, 2.0);
  g_assert_true (wait_until (phys_count_is, GUINT_TO_POINTER (nr / 2), 3000));
  g_assert_true (phys_holds (buf->pfns[0] - 2048));
  g_assert_cmpuint (canvas_options ()->phys_first, >, nr / 4);
  g_assert_cmpuint (canvas_options ()->zoom_end, ==, 0);

  g_assert_true (va_map_canvas_locate (canvas, "buf", &x, &y));
  pinch (x, y, GDK_TOUCHPAD_GESTURE_PHASE_BEGIN, 1.0);
  pinch (x, y, GDK_TOUCHPAD_GESTURE_PHASE_UPDATE, 4.0);
  pinch (x, y, GDK_TOUCHPAD_GESTURE_PHASE_END, 4.0);
  g_assert_true (wait_until (virt_len_is, &quarter, 3000));
  g_assert_true (virt_holds (buf->virt, buf->virt + VA_PAGE_SIZE));
  key ("ctrl+0");
  g_assert_true (wait_until (nothing_zoomed, NULL, 3000));
}

/* Pixels of @png within a small distance of @rgb, in columns [x0, x1)
 * as fractions of the width. */
static guint
count_colour_in (const char *png,
                 double      x0,
                 double      x1,
                 guint32     rgb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pb = gdk_pixbuf_new_from_file (png, &error);
  int w;
  guint n = 0;

  g_assert_no_error (error);
  w = gdk_pixbuf_get_width (pb);
  for (int y = 0; y < gdk_pixbuf_get_height (pb); y++)
    for (int x = (int) (x0 * w); x < (int) (x1 * w); x++)
      {
        const guchar *p = gdk_pixbuf_get_pixels (pb) + y * gdk_pixbuf_get_rowstride (pb) +
                          x * gdk_pixbuf_get_n_channels (pb);

        if (ABS (p[0] - (int) (rgb >> 16 & 0xff)) < 24 && ABS (p[1] - (int) (rgb >> 8 & 0xff)) < 24 &&
            ABS (p[2] - (int) (rgb & 0xff)) < 24)
          n++;
      }
  return n;
}

static char *
export_text (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (win), "export-to", g_variant_new_string (path));
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* Export draws what is on screen.  Zoomed onto buf (Z), the SVG's virtual
 * map names the zoomed range and buf's pages; the PNG's physical map (the
 * right half) shows buf's frames as large cells of the vmalloc colour. */
static void
test_zoom_export (void)
{
  g_autofree char *whole = g_build_filename (tmpdir, "whole.png", NULL);
  g_autofree char *zoomed = g_build_filename (tmpdir, "zoomed.png", NULL);
  g_autofree char *whole_svg = NULL, *zoomed_svg = NULL, *heading = NULL;
  guint n_whole, n_zoomed;

  g_assert_true (nothing_zoomed (NULL));
  g_action_group_activate_action (G_ACTION_GROUP (win), "export-to", g_variant_new_string (whole));
  whole_svg = export_text ("whole.svg");
  key ("z");
  g_assert_true (wait_until (virt_zoomed, NULL, 3000));
  g_action_group_activate_action (G_ACTION_GROUP (win), "export-to", g_variant_new_string (zoomed));
  zoomed_svg = export_text ("zoomed.svg");

  heading = g_strdup_printf ("Virtual addresses 0x%08X", canvas_options ()->zoom_start);
  g_assert_nonnull (strstr (zoomed_svg, heading));
  g_assert_nonnull (strstr (zoomed_svg, "buf[0]"));
  g_assert_null (strstr (whole_svg, "Virtual addresses 0x"));
  g_assert_null (strstr (whole_svg, "buf[0]"));
  /* The physical map names its zoomed range, and buf's frames. */
  g_assert_nonnull (strstr (zoomed_svg, "Frames "));
  g_assert_nonnull (strstr (zoomed_svg, ", zoom)"));
  g_assert_nonnull (strstr (zoomed_svg, ">262142<"));
  g_assert_null (strstr (whole_svg, "Frames "));

  n_whole = count_colour_in (whole, 0.5, 1.0, 0x0072B2);
  n_zoomed = count_colour_in (zoomed, 0.5, 1.0, 0x0072B2);
  g_test_message ("vmalloc-coloured pixels, right half: %u whole, %u zoomed", n_whole, n_zoomed);
  g_assert_cmpuint (n_zoomed, >, 10 * MAX (n_whole, 100));
  key ("ctrl+0");
  g_assert_true (wait_until (nothing_zoomed, NULL, 3000));
}

/* ------------------------------------------------------------------ */
/* Free-list animation                                                  */

static VaFreelistPanel *
freelist_panel (void)
{
  return va_window_get_freelist_panel (win);
}

static gboolean
panel_animating (gconstpointer data)
{
  return va_freelist_panel_is_animating (freelist_panel ());
}

static gboolean
panel_still (gconstpointer data)
{
  return !va_freelist_panel_is_animating (freelist_panel ());
}

/* The panel drawn as it is now, into an image. */
static cairo_surface_t *
draw_panel (void)
{
  GtkWidget *panel = GTK_WIDGET (freelist_panel ());
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         gtk_widget_get_allocated_width (panel),
                                                         gtk_widget_get_allocated_height (panel));
  cairo_t *cr = cairo_create (surface);

  gtk_widget_draw (panel, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static gboolean
same_pixels (cairo_surface_t *a,
             cairo_surface_t *b)
{
  int h = cairo_image_surface_get_height (a);

  return h == cairo_image_surface_get_height (b) &&
         cairo_image_surface_get_stride (a) == cairo_image_surface_get_stride (b) &&
         memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                 (gsize) h * cairo_image_surface_get_stride (a)) == 0;
}

typedef struct {
  gint64  start;
  GArray *us;       /* gint64 per frame painted while the panel animates */
} FrameTimes;

/* CPU time of this (the main) thread, µs: the work a frame costs, not
 * the time other processes of a busy machine take meanwhile. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 FrameTimes    *ft)
{
  ft->start = thread_cpu_us ();
}

/* Main-thread work of a frame while the panel animates: from before-paint
 * (tick callbacks run next) to after-paint (draw handlers done). */
static void
after_paint_cb (GdkFrameClock *clock,
                FrameTimes    *ft)
{
  if (ft->start && va_freelist_panel_is_animating (freelist_panel ()))
    {
      gint64 us = thread_cpu_us () - ft->start;

      g_array_append_val (ft->us, us);
    }
}

/* A step (→) plays the op's free-list events over the picture of its end
 * on the frame clock, in the engine's order: blocks taken off, split,
 * halves put on the lower lists.  Shift+→ animates one event; at
 * "instant" nothing moves. */
static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The median of @frame_us without its first frame; 0 if none. */
static gint64
median_after_first (GArray *frame_us)
{
  g_autoptr(GArray) rest = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (frame_us->len < 2)
    return 0;
  g_array_append_vals (rest, &g_array_index (frame_us, gint64, 1), frame_us->len - 1);
  g_array_sort (rest, cmp_gint64);
  return g_array_index (rest, gint64, rest->len / 2);
}

static void
test_freelist_animation (void)
{
  VaFreelistPanel *panel = freelist_panel ();
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (panel), GTK_TYPE_STACK));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  g_autoptr(GArray) frame_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  FrameTimes ft = { 0, frame_us };
  g_autoptr(GPtrArray) op_events = NULL;
  gint64 max_us = 0, median_us;
  gulong before_id, after_id;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (VaEvent));
  cairo_surface_t *during = NULL, *after;
  guint frames0, splits = 0, dels = 0, adds = 0;

  gtk_stack_set_visible_child_name (stack, "freelists");
  g_action_group_activate_action (G_ACTION_GROUP (win), "speed", g_variant_new_string ("1"));
  key ("Home");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (0), 3000));
  iterate_for (200);
  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &ft);
  after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &ft);
  frames0 = va_freelist_panel_get_n_frames (panel);

  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (1), 3000));
  g_assert_true (wait_until (panel_animating, NULL, 1000));
  /* The engine is at the op's end from the start: only the view moves. */
  g_assert_cmpuint (machine ()->op_count, ==, 1);
  while (va_freelist_panel_is_animating (panel))
    {
      const VaEvent *ev = va_freelist_panel_get_event (panel);

      if (ev && (seen->len == 0 || memcmp (ev, &g_array_index (seen, VaEvent, seen->len - 1),
                                           sizeof *ev) != 0))
        g_array_append_val (seen, *ev);
      if (during == NULL && seen->len >= 3)
        {
          g_autofree char *png = g_build_filename (tmpdir, "freelist-during.png", NULL);

          during = draw_panel ();
          cairo_surface_write_to_png (during, png);
        }
      iterate_for (5);
    }
  after = draw_panel ();
  g_signal_handler_disconnect (clock, before_id);
  g_signal_handler_disconnect (clock, after_id);

  /* What was animated is the op's events, in the engine's order. */
  op_events = va_session_dup_op_events (va_window_get_session (win));
  for (guint i = 0, j = 0; i < seen->len; i++, j++)
    {
      const VaEvent *ev = &g_array_index (seen, VaEvent, i);

      while (j < op_events->len && memcmp (op_events->pdata[j], ev, sizeof *ev) != 0)
        j++;
      g_assert_cmpuint (j, <, op_events->len);
      splits += ev->type == VA_EV_SPLIT;
      dels += ev->type == VA_EV_LIST_DEL;
      adds += ev->type == VA_EV_LIST_ADD_HEAD || ev->type == VA_EV_LIST_ADD_TAIL;
    }
  /* The first frame also repaints the maps and the lists for the new op;
   * the animation's own frames follow. */
  for (guint i = 1; i < frame_us->len; i++)
    max_us = MAX (max_us, g_array_index (frame_us, gint64, i));
  median_us = median_after_first (frame_us);

  g_test_message ("free-list events animated: %u (%u del, %u split, %u add) in %u frames; "
                  "main-thread CPU: first frame (the op's repaint) %" G_GINT64_FORMAT
                  " us, the %u animation frames after it median %" G_GINT64_FORMAT " us, at most %"
                  G_GINT64_FORMAT " us", seen->len, dels, splits, adds,
                  va_freelist_panel_get_n_frames (panel) - frames0,
                  frame_us->len ? g_array_index (frame_us, gint64, 0) : 0, frame_us->len - 1,
                  median_us, max_us);
  g_assert_cmpuint (splits, >, 0);
  g_assert_cmpuint (dels, >, 0);
  g_assert_cmpuint (adds, >, 0);
  g_assert_cmpuint (va_freelist_panel_get_n_frames (panel) - frames0, >=, 10);
  g_assert_nonnull (during);
  g_assert_false (same_pixels (during, after));
  g_assert_cmpuint (frame_us->len, >=, 10);
  /* The animation's frames are light.  Not their maximum: on these
   * virtual machines the thread's CPU clock also runs while the core is
   * taken away, and a fixed 2 ms of work now and then reads 10-30 ms
   * (tests/bench/bench-noise.c); the benchmark counts those. */
  g_assert_cmpint (median_us, <, 8000);
  cairo_surface_destroy (during);
  cairo_surface_destroy (after);

  /* Shift+→: one event, the one the narration shows. */
  key ("shift+Right");
  g_assert_true (wait_until (events_has, "micro-step 1 of ", 3000));
  g_assert_true (wait_until (panel_still, NULL, 3000));
  key ("shift+Right");
  g_assert_true (wait_until (events_has, "micro-step 2 of ", 3000));
  g_assert_true (va_freelist_panel_is_animating (panel) || panel_still (NULL));
  g_assert_true (wait_until (panel_still, NULL, 3000));

  /* Playing at 1×: each micro-step animates its own event, the one the
   * narration shows; P pauses. */
  key ("p");
  g_assert_true (wait_until (events_has, "micro-step 4 of ", 3000));
  g_assert_true (va_window_is_playing (win));
  {
    g_autoptr(GPtrArray) evs = va_session_dup_op_events (va_window_get_session (win));
    const VaEvent *shown = va_freelist_panel_get_event (panel);

    if (shown)
      g_assert_true (memcmp (shown, evs->pdata[3], sizeof *shown) == 0);
    else
      g_test_message ("micro-step 4 is not a free-list event");
  }
  key ("p");
  g_assert_true (wait_until (panel_still, NULL, 3000));
  g_assert_false (va_window_is_playing (win));
  g_assert_cmpuint (va_session_get_position (va_window_get_session (win)), ==, 1);

  /* Instant: the end at once. */
  g_action_group_activate_action (G_ACTION_GROUP (win), "speed", g_variant_new_string ("instant"));
  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (2), 3000));
  iterate_for (100);
  g_assert_false (va_freelist_panel_is_animating (panel));

  /* Back where the next tests expect the tour: after op 6. */
  for (int i = 0; i < 4; i++)
    key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (6), 3000));
  g_action_group_activate_action (G_ACTION_GROUP (win), "speed", g_variant_new_string ("1"));
  gtk_stack_set_visible_child_name (stack, "ops");
  iterate_for (100);
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
op_panel_error_has (gconstpointer data)
{
  const char *error = va_op_panel_get_error (va_window_get_op_panel (win));

  return error && strstr (error, data);
}

/* Tries the form as it is: refused, with @reason under it, and nothing
 * run or recorded. */
static void
assert_refused (const char *reason)
{
  VaOpPanel *panel = va_window_get_op_panel (win);
  VaSession *session = va_window_get_session (win);
  guint pos = va_session_get_position (session), n = va_session_get_n_ops (session);
  g_autofree char *text = g_strdup (va_session_get_text (session));
  g_autoptr(GError) error = NULL;

  g_assert_false (va_op_panel_apply (panel, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", va_op_panel_get_error (panel));
  g_assert_true (op_panel_error_has (reason));
  g_assert_cmpuint (va_session_get_position (session), ==, pos);
  g_assert_cmpuint (va_session_get_n_ops (session), ==, n);
  g_assert_cmpstr (va_session_get_text (session), ==, text);
}

/* The menu item of @popover labelled @text, or NULL. */
static GtkWidget *
find_menu_item (GtkWidget  *popover,
                const char *text)
{
  g_autoptr(GPtrArray) items = descendants (popover, GTK_TYPE_MODEL_BUTTON);

  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *label = NULL;

      g_object_get (items->pdata[i], "text", &label, NULL);
      if (g_strcmp0 (label, text) == 0)
        return items->pdata[i];
    }
  return NULL;
}

static gboolean
widget_mapped (gconstpointer data)
{
  return gtk_widget_get_mapped ((GtkWidget *) data);
}

static gboolean
widget_unmapped (gconstpointer data)
{
  return !gtk_widget_get_mapped ((GtkWidget *) data);
}

/* The op chooser, by real clicks: it opens a menu of the ops, the one
 * clicked becomes the form (kmap's page field shows) and the menu closes. */
static void
test_op_chooser (void)
{
  VaOpPanel *panel = va_window_get_op_panel (win);
  GtkWidget *chooser = va_op_panel_get_chooser (panel);
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (chooser)));
  g_autoptr(GVariant) state = NULL;
  GtkWidget *item;
  int rx, ry;

  iterate_for (100);   /* the menu is filled once the panel has been drawn */
  widget_to_root (chooser, &rx, &ry);
  click_root (rx, ry);
  g_assert_true (wait_until (widget_mapped, popover, 3000));
  item = find_menu_item (popover, "kmap");
  g_assert_nonnull (item);
  iterate_for (300);   /* the popover's opening transition */
  widget_to_root (item, &rx, &ry);
  click_root (rx, ry);
  g_assert_true (wait_until (widget_unmapped, popover, 3000));
  g_assert_true (gtk_widget_get_visible (va_op_panel_get_field (panel, "target")));
  g_assert_false (gtk_widget_get_visible (va_op_panel_get_field (panel, "size")));
  state = g_action_group_get_action_state (gtk_widget_get_action_group (GTK_WIDGET (panel), "op"), "kind");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "kmap");
  va_op_panel_set_fields (panel, "vmalloc", NULL, NULL);
  g_assert_true (gtk_widget_get_visible (va_op_panel_get_field (panel, "size")));
}

/* The workload forms: seed and ops (or pages), no name; bad values are
 * refused in the form before anything runs; a good one typed for real
 * runs, is recorded in the session's history and replays on a seek. */
static void
test_workload_form (void)
{
  VaOpPanel *panel = va_window_get_op_panel (win);
  VaSession *session = va_window_get_session (win);
  GtkWidget *ops = va_op_panel_get_field (panel, "ops");
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (freelist_panel ()), GTK_TYPE_STACK));
  guint pos = va_session_get_position (session);
  guint free_normal;
  const char *type[] = { "xdotool", "type", "--delay", "30", "400", NULL };

  va_op_panel_set_fields (panel, "workload fragment", NULL, NULL);
  g_assert_false (gtk_widget_get_visible (va_op_panel_get_field (panel, "name")));
  g_assert_true (gtk_widget_get_visible (va_op_panel_get_field (panel, "seed")));
  g_assert_true (gtk_widget_get_visible (ops));
  g_assert_false (gtk_widget_get_visible (va_op_panel_get_field (panel, "pages")));

  va_op_panel_set_field (panel, "seed", "7");
  va_op_panel_set_field (panel, "ops", "0");
  assert_refused ("ops: from 1 to 1000000");
  va_op_panel_set_field (panel, "ops", "lots");
  assert_refused ("ops");
  va_op_panel_set_field (panel, "ops", "5000000");
  assert_refused ("ops: from 1 to 1000000");
  {
    g_autofree char *shot = g_build_filename (tmpdir, "workload-form.png", NULL);

    screenshot (shot);
  }
  va_op_panel_set_field (panel, "seed", "x");
  va_op_panel_set_field (panel, "ops", "100");
  assert_refused ("seed");

  /* Typed into the form, applied with Return. */
  va_op_panel_set_field (panel, "seed", "7");
  va_op_panel_set_field (panel, "ops", "");
  gtk_widget_grab_focus (ops);
  iterate_for (100);
  run_tool (type);
  key ("Return");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (pos + 1), 5000));
  g_assert_null (va_op_panel_get_error (panel));
  g_assert_cmpuint (va_session_get_n_ops (session), ==, pos + 1);
  g_assert_cmpuint (machine ()->op_count, ==, pos + 1);
  g_assert_nonnull (strstr (va_session_get_text (session), "\nworkload fragment seed=7 ops=400"));
  {
    g_autofree char *op = va_session_op_text (session, pos);

    g_assert_cmpstr (op, ==, "workload fragment seed=7 ops=400");
  }
  g_assert_cmpuint (machine ()->workload_live->len, >, 0);
  free_normal = machine ()->zones[VA_ZONE_NORMAL].free;

  /* The machine refuses what its profile lacks: nothing runs. */
  va_op_panel_set_fields (panel, "workload movable", NULL, NULL);
  g_assert_true (gtk_widget_get_visible (va_op_panel_get_field (panel, "pages")));
  va_op_panel_set_field (panel, "seed", "1");
  va_op_panel_set_field (panel, "pages", "100");
  assert_refused ("MOVABLE");

  /* History: back before it and forward again, the same machine.  The
   * free lists (on screen) skip the animation of a workload's thousands
   * of list events and show its end. */
  gtk_widget_grab_focus (GTK_WIDGET (va_window_get_canvas (win)));
  gtk_stack_set_visible_child_name (stack, "freelists");
  key ("Left");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (pos), 3000));
  iterate_for (100);
  key ("Right");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (pos + 1), 3000));
  g_assert_cmpuint (machine ()->zones[VA_ZONE_NORMAL].free, ==, free_normal);
  iterate_for (50);
  g_assert_false (va_freelist_panel_is_animating (freelist_panel ()));
  gtk_stack_set_visible_child_name (stack, "ops");
  va_op_panel_set_fields (panel, "vmalloc", NULL, NULL);
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

/* The texts each op of the playback left, after the window's own handler. */
static void
note_texts_cb (VaSession *session,
               GPtrArray *texts)
{
  g_ptr_array_add (texts, g_strdup_printf ("%u|%s|%s", va_session_get_position (session),
                                           va_window_get_say_text (win),
                                           va_window_get_events_text (win)));
}

/* P plays from the start (at the end it rewinds), one op after the other
 * on the frame clock, and stops at the end. */
static void
test_play (void)
{
  VaSession *session = va_window_get_session (win);
  guint changes = 0;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gulong id = g_signal_connect (session, "changed", G_CALLBACK (count_cb), &changes);
  gulong texts_id = g_signal_connect (session, "changed", G_CALLBACK (note_texts_cb), texts);
  const char *fast = "||Playing fast: the narration and the op’s events show when the playback stops.";

  g_assert_cmpuint (va_session_get_position (session), ==, va_session_get_n_ops (session));
  g_action_group_activate_action (G_ACTION_GROUP (win), "speed", g_variant_new_string ("16"));
  key ("p");
  g_assert_true (wait_until (played_to_end, NULL, 5000));
  /* The rewind, then every op as its own step. */
  g_assert_cmpuint (changes, ==, 1 + va_session_get_n_ops (session));
  g_assert_cmpuint (machine ()->op_count, ==, va_session_get_n_ops (session));
  g_signal_handler_disconnect (session, id);
  g_signal_handler_disconnect (session, texts_id);
  /* Playing fast, the say line is empty and the events say why, from the
   * rewind on (not the first op's narration for a frame); at the stop,
   * the last op's. */
  g_assert_cmpuint (texts->len, ==, changes);
  g_assert_true (g_str_has_prefix (texts->pdata[0], "0|"));
  g_assert_true (g_str_has_suffix (texts->pdata[0], fast));
  g_assert_cmpstr (va_window_get_events_text (win), !=, fast + 2);
  {
    g_autofree char *last = g_strdup_printf ("op %u begins", va_session_get_n_ops (session));

    g_assert_true (g_str_has_prefix (va_window_get_events_text (win), last));
    g_assert_cmpstr (va_window_get_say_text (win), !=, "");
  }
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

/* A child of the machine popover's template. */
static GtkWidget *
popover_child (GtkWidget  *popover,
               const char *name)
{
  GObject *o = gtk_widget_get_template_child (popover, VA_TYPE_MACHINE_POPOVER, name);

  g_assert_nonnull (o);
  return GTK_WIDGET (o);
}

/* A visible toplevel of @type, or NULL. */
static GtkWidget *
find_toplevel (GType type)
{
  g_autoptr(GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l; l = l->next)
    if (type && G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static GtkWidget *
find_message_dialog (void)
{
  return find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
}

/* The machine popover refuses a bad value with the engine's reason and
 * changes nothing; a good one asks first (there is a history), then starts
 * the new machine with the same ops. */
static void
test_machine_popover (void)
{
  VaSession *session = va_window_get_session (win);
  guint n = va_session_get_n_ops (session);
  GtkWidget *popover, *error_label, *ram;
  GtkWidget *dialog;

  /* made after the first frame; at once if that has not come yet */
  va_window_finish_startup (win);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (template_child ("machine_button"))));
  g_assert_true (VA_IS_MACHINE_POPOVER (popover));
  error_label = popover_child (popover, "machine_error");
  ram = popover_child (popover, "ram_entry");
  gtk_widget_show (popover);
  iterate_for (100);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (ram)), ==, "1G");
  gtk_entry_set_text (GTK_ENTRY (ram), "lots");
  g_action_group_activate_action (G_ACTION_GROUP (win), "apply-machine", NULL);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_test_message ("refused: %s", gtk_label_get_text (GTK_LABEL (error_label)));
  g_assert_cmpuint (machine ()->config.ram_bytes, ==, 1 * G_GUINT64_CONSTANT (1) << 30);
  g_assert_null (find_message_dialog ());

  gtk_entry_set_text (GTK_ENTRY (ram), "2G");
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

static gboolean
mark_landed (gconstpointer data)
{
  const VaRenderOptions *o = va_map_canvas_get_options (va_window_get_canvas (win));

  return o->mark_flies && o->mark_t >= 1.0;
}

/* CMA takes its area back by migrating the movable pages that borrowed
 * it: micro-stepping onto a migration flies the page's outline from its
 * old frame to its new one on the physical map. */
static void
test_migration_flight (void)
{
  const VaRenderOptions *options = va_map_canvas_get_options (va_window_get_canvas (win));
  g_autofree char *path = scenario_path ("cma-borrow-and-reclaim.vms");
  VaSession *session = va_window_get_session (win);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const VaEvent *migrate = NULL;
  guint index = 0;

  g_assert_true (va_window_open_path (win, path, &error));
  g_assert_no_error (error);
  /* the first op that migrates (a cma_alloc) */
  for (guint pos = 1; pos <= va_session_get_n_ops (session) && !migrate; pos++)
    {
      g_assert_true (va_session_seek (session, pos, &error));
      g_assert_no_error (error);
      g_clear_pointer (&events, g_ptr_array_unref);
      events = va_session_dup_op_events (session);
      for (guint i = 0; events && i < events->len && !migrate; i++)
        if (((const VaEvent *) events->pdata[i])->type == VA_EV_MIGRATE)
          {
            migrate = events->pdata[i];
            index = i + 1;
          }
    }
  g_assert_nonnull (migrate);
  for (guint i = 0; i < index; i++)
    g_action_group_activate_action (G_ACTION_GROUP (win), "step-micro", NULL);
  g_assert_true (options->has_mark);
  g_assert_cmpuint (options->mark_pfn, ==, migrate->pfn);
  g_assert_true (options->mark_flies);
  g_assert_cmpuint (options->mark_to_pfn, ==, migrate->pfn2);
  g_assert_true (wait_until (mark_landed, NULL, 3000));
  g_test_message ("migration: op %u, micro-step %u: pfn %u -> %u", va_session_get_position (session),
                  index, migrate->pfn, migrate->pfn2);
  /* a micro-step that is no migration does not fly */
  for (guint i = index; i < events->len; i++)
    {
      const VaEvent *ev = events->pdata[i];

      g_action_group_activate_action (G_ACTION_GROUP (win), "step-micro", NULL);
      if (ev->type != VA_EV_MIGRATE)
        {
          g_assert_false (options->mark_flies);
          break;
        }
    }
}

/* Ctrl+? shows the shortcuts window, which is made only then. */
static void
test_shortcuts_window (void)
{
  GtkShortcutsWindow *overlay;

  key ("ctrl+question");
  iterate_for (300);
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (win));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_widget_hide (GTK_WIDGET (overlay));
  iterate_for (100);
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

/* ------------------------------------------------------------------ */
/* Tests that open the scenario they need: they follow the others.      */

static char *
scenario_path (const char *name)
{
  return g_build_filename (g_getenv ("VMATLAS_SRCDIR"), "data", "scenarios", name, NULL);
}

/* Opens the shipped scenario @name, at its start, with the keys on the
 * canvas (not in a field of the op form). */
static void
open_scenario (const char *name)
{
  g_autofree char *path = scenario_path (name);
  g_autoptr(GError) error = NULL;

  g_assert_true (va_window_open_path (win, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (va_session_get_position (va_window_get_session (win)), ==, 0);
  gtk_widget_grab_focus (GTK_WIDGET (va_window_get_canvas (win)));
  iterate_for (100);
}

static VaTimeline *
timeline (void)
{
  return VA_TIMELINE (template_child ("timeline"));
}

/* The middle of the stretch of the timeline that seeks to position @k. */
static int
timeline_x (guint k)
{
  int first = -1, last = -1;

  for (int x = 0; x < gtk_widget_get_allocated_width (GTK_WIDGET (timeline ())); x++)
    if (va_timeline_position_at (timeline (), x) == k)
      {
        if (first < 0)
          first = x;
        last = x;
      }
  g_assert_cmpint (first, >=, 0);
  return (first + last) / 2;
}

/* The pointer to position @k of the timeline, then @rest (xdotool). */
static void
xdotool_timeline (guint       k,
                  const char *rest)
{
  GtkWidget *widget = GTK_WIDGET (timeline ());
  int rx, ry;

  widget_point_to_root (widget, timeline_x (k), gtk_widget_get_allocated_height (widget) / 2, &rx, &ry);
  xdotool_root (rx, ry, rest);
}

static gboolean
is_playing (gconstpointer data)
{
  return va_window_is_playing (win);
}

/* Where the session is, in the engine and under the timeline. */
static void
assert_at (guint position)
{
  g_autofree char *label = g_strdup_printf ("op %u of %u", position,
                                            va_session_get_n_ops (va_window_get_session (win)));

  g_assert_cmpuint (va_session_get_position (va_window_get_session (win)), ==, position);
  g_assert_cmpuint (machine ()->op_count, ==, position);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (template_child ("position_label"))), ==, label);
}

/* A click on the timeline goes to the op under it (and stops the
 * playback); a drag follows the pointer from the press and stays where
 * the button was released. */
static void
test_timeline_seek (void)
{
  open_scenario ("tour.vms");
  g_action_group_activate_action (G_ACTION_GROUP (win), "speed", g_variant_new_string ("1"));
  key ("p");
  g_assert_true (wait_until (is_playing, NULL, 3000));
  xdotool_timeline (9, "click 1");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (9), 3000));
  g_assert_false (va_window_is_playing (win));
  iterate_for (200);
  assert_at (9);

  /* One xdotool call a move, each awaited: GDK merges motions queued
   * together. */
  xdotool_timeline (3, "mousedown 1");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (3), 3000));
  xdotool_timeline (11, NULL);
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (11), 3000));
  xdotool_timeline (7, "mouseup 1");
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (7), 3000));
  /* Released: the pointer moves on, the session does not. */
  xdotool_timeline (12, NULL);
  iterate_for (200);
  assert_at (7);
}

/* Applies the op form as filled with @kind, @name, @size: accepted. */
static void
apply_form (const char *kind,
            const char *name,
            const char *size)
{
  VaOpPanel *panel = va_window_get_op_panel (win);
  g_autoptr(GError) error = NULL;

  va_op_panel_set_fields (panel, kind, name, size);
  g_assert_true (va_op_panel_apply (panel, &error));
  g_assert_no_error (error);
  gtk_widget_grab_focus (GTK_WIDGET (va_window_get_canvas (win)));
}

/* Key @name moves the session to @position. */
static void
key_to (const char *name,
        guint       position)
{
  key (name);
  g_assert_true (wait_until (position_is, GUINT_TO_POINTER (position), 3000));
  assert_at (position);
}

/* Key @name does nothing here (its action is off). */
static void
key_ignored (const char *name)
{
  guint position = va_session_get_position (va_window_get_session (win));

  key (name);
  iterate_for (100);
  assert_at (position);
  g_assert_null (find_message_dialog ());
}

/* Ctrl+Z undoes an op, Ctrl+Shift+Z and Ctrl+Y redo it; End and Home go
 * to the last op and the start.  An op made in the form is undone and
 * redone as recorded: the same op, the same pages, nothing recorded anew. */
static void
test_undo_redo_keys (void)
{
  VaSession *session = va_window_get_session (win);
  guint n;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *op = NULL;
  const VaAllocation *v2;
  guint32 virt, pfn;

  open_scenario ("tour.vms");
  n = va_session_get_n_ops (session);
  key_to ("End", n);
  key_to ("ctrl+z", n - 1);
  key_to ("ctrl+z", n - 2);
  key_to ("ctrl+shift+z", n - 1);
  key_to ("ctrl+y", n);
  key_ignored ("ctrl+y");     /* nothing after the last */
  key_to ("Home", 0);
  key_ignored ("ctrl+z");     /* nothing before the first */

  g_assert_true (va_session_seek (session, 6, &error));
  g_assert_no_error (error);
  apply_form ("vmalloc", "v2", "32K");
  g_assert_cmpuint (va_session_get_n_ops (session), ==, 7);
  text = g_strdup (va_session_get_text (session));
  op = va_session_op_text (session, 6);
  g_test_message ("op 7: %s", op);
  v2 = va_machine_lookup (machine (), "v2");
  g_assert_nonnull (v2);
  virt = v2->virt;
  pfn = v2->pfns[0];

  key_to ("ctrl+z", 6);
  g_assert_null (va_machine_lookup (machine (), "v2"));
  key_to ("ctrl+shift+z", 7);
  g_assert_cmpstr (va_session_get_text (session), ==, text);
  g_assert_cmpuint (va_session_get_n_ops (session), ==, 7);
  {
    g_autofree char *again = va_session_op_text (session, 6);

    g_assert_cmpstr (again, ==, op);
  }
  v2 = va_machine_lookup (machine (), "v2");
  g_assert_nonnull (v2);
  g_assert_cmpuint (v2->virt, ==, virt);
  g_assert_cmpuint (v2->pfns[0], ==, pfn);
}

/* The text of the tooltip on screen, or NULL.  GTK makes a new tooltip
 * window when it forgets the last one (half a second after it hid). */
static const char *
tooltip_text (void)
{
  GType type = g_type_from_name ("GtkTooltipWindow");
  g_autoptr(GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l; l = l->next)
    if (type && G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_mapped (l->data))
      {
        g_autoptr(GPtrArray) labels = descendants (l->data, GTK_TYPE_LABEL);

        for (guint i = 0; i < labels->len; i++)
          if (gtk_widget_get_visible (labels->pdata[i]))
            return gtk_label_get_text (labels->pdata[i]);
      }
  return NULL;
}

static gboolean
tooltip_is (gconstpointer data)
{
  return g_strcmp0 (tooltip_text (), data) == 0;
}

typedef struct {
  int x, y;
} Point;

static gboolean
motion_cb (GtkWidget      *widget,
           GdkEventMotion *event,
           Point          *last)
{
  last->x = (int) event->x;
  last->y = (int) event->y;
  return FALSE;
}

static gboolean
pointer_seen_at (gconstpointer data)
{
  const Point *p = data;

  return p[0].x == p[1].x && p[0].y == p[1].y;
}

/* Moves the pointer to point (x, y) of @widget (a widget with a window
 * of its own) and waits for the widget to see it there, or for @timeout_ms. */
static gboolean
move_pointer (GtkWidget *widget,
              int        x,
              int        y,
              guint      timeout_ms)
{
  Point seen[2] = { { -1, -1 }, { x, y } };
  gulong id = g_signal_connect (widget, "motion-notify-event", G_CALLBACK (motion_cb), &seen[0]);
  gboolean ok;
  int rx, ry;

  widget_point_to_root (widget, x, y, &rx, &ry);
  xdotool_root (rx, ry, NULL);
  ok = wait_until (pointer_seen_at, seen, timeout_ms);
  g_signal_handler_disconnect (widget, id);
  return ok;
}

/* Brings the pointer to rest on point (x, y) of @widget as a hand does,
 * from below right (where the maps' tooltips once never came), the last
 * steps small.  Coming from another widget, the first move is only a
 * crossing for GDK (no motion event), hence the step before them; each is
 * seen before the next (GDK merges motions queued together).  GTK shows a
 * tooltip once a motion stays inside the tip area the previous one was
 * given. */
static void
rest_pointer (GtkWidget *widget,
              int        x,
              int        y)
{
  move_pointer (widget, x + 3, y + 3, 200);
  g_assert_true (move_pointer (widget, x + 1, y + 1, 3000));
  g_assert_true (move_pointer (widget, x, y, 3000));
}

/* Rests the pointer on canvas point (x, y): the tooltip that comes is
 * what the canvas says is there.  Returns it. */
static char *
hover_canvas (double x,
              double y)
{
  VaMapCanvas *canvas = va_window_get_canvas (win);
  char *want = va_map_canvas_describe_at (canvas, (int) x, (int) y);

  g_assert_nonnull (want);
  rest_pointer (GTK_WIDGET (canvas), (int) x, (int) y);
  g_assert_true (wait_until (tooltip_is, want, 3000));
  g_test_message ("tooltip: %s", want);
  return want;
}

/* Resting the pointer on the maps shows what is under it: on a vmalloc
 * area its range, owner and page; on the physical map the frame and its
 * zone; on the timeline the op. */
static void
test_hover_tooltip (void)
{
  VaMapCanvas *canvas = va_window_get_canvas (win);
  VaSession *session = va_window_get_session (win);
  g_autoptr(GError) error = NULL;
  g_autofree char *area = NULL, *frame = NULL, *op = NULL, *want = NULL;
  const VaAllocation *buf;
  const char *p;
  guint32 pfn;
  double x, y;
  int rx, ry;

  open_scenario ("tour.vms");
  g_assert_true (va_session_seek (session, 6, &error));
  g_assert_no_error (error);
  buf = va_machine_lookup (machine (), "buf");
  g_assert_nonnull (buf);

  g_assert_true (va_map_canvas_locate (canvas, "buf", &x, &y));
  area = hover_canvas (x, y);
  g_assert_true (g_str_has_prefix (area, "0x"));
  g_assert_nonnull (strstr (area, ": vmalloc area [0x"));
  g_assert_nonnull (strstr (area, ") of “buf”, page "));

  /* The frame under the pointer (a pixel of the whole map is a few
   * frames): named, with its zone. */
  g_assert_true (va_map_canvas_locate_frame (canvas, buf->pfns[0], &x, &y));
  frame = hover_canvas (x, y);
  p = strstr (frame, "pfn ");
  g_assert_nonnull (p);
  pfn = (guint32) g_ascii_strtoull (p + 4, NULL, 10);
  g_assert_cmpuint (pfn, <, machine ()->nr_pfns);
  g_assert_nonnull (strstr (frame, va_zone_name (va_machine_pfn_zone (machine (), pfn))));
  g_assert_cmpint (va_machine_pfn_zone (machine (), pfn), ==, VA_ZONE_HIGHMEM);

  op = va_session_op_text (session, 2);
  want = g_strdup_printf ("Op 3: %s", op);
  rest_pointer (GTK_WIDGET (timeline ()), timeline_x (3),
                gtk_widget_get_allocated_height (GTK_WIDGET (timeline ())) / 2);
  g_assert_true (wait_until (tooltip_is, want, 3000));
  g_assert_cmpuint (va_session_get_position (session), ==, 6);

  /* Away from them, no tooltip. */
  widget_to_root (template_child ("position_label"), &rx, &ry);
  xdotool_root (rx, ry, NULL);
  g_assert_true (wait_until (tooltip_is, NULL, 3000));
}

static gboolean
presenting_is (gconstpointer data)
{
  gboolean on = GPOINTER_TO_INT (data);
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (win), "presentation");

  return g_variant_get_boolean (state) == on &&
         gtk_style_context_has_class (gtk_widget_get_style_context (GTK_WIDGET (win)), "presentation") == on &&
         gtk_widget_get_visible (template_child ("header")) == !on &&
         gtk_widget_get_visible (template_child ("side_panel")) == !on;
}

/* F5 presents (the maps alone, the keys on them), Esc and F5 again leave. */
static void
test_presentation_esc (void)
{
  open_scenario ("tour.vms");
  g_assert_true (presenting_is (GINT_TO_POINTER (FALSE)));
  key ("F5");
  g_assert_true (wait_until (presenting_is, GINT_TO_POINTER (TRUE), 3000));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (va_window_get_canvas (win))));
  key ("Escape");
  g_assert_true (wait_until (presenting_is, GINT_TO_POINTER (FALSE), 3000));
  key ("F5");
  g_assert_true (wait_until (presenting_is, GINT_TO_POINTER (TRUE), 3000));
  key ("F5");
  g_assert_true (wait_until (presenting_is, GINT_TO_POINTER (FALSE), 3000));
  /* Esc when not presenting changes nothing. */
  key ("Escape");
  iterate_for (100);
  g_assert_true (presenting_is (GINT_TO_POINTER (FALSE)));
}

/* The scenarios dialog, or NULL. */
static GtkWidget *
scenarios_dialog (void)
{
  g_autoptr(GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l; l = l->next)
    if (GTK_IS_DIALOG (l->data) && gtk_widget_get_mapped (l->data) &&
        g_strcmp0 (gtk_window_get_title (l->data), "Scenarios") == 0)
      return l->data;
  return NULL;
}

static gboolean
scenarios_shown (gconstpointer data)
{
  return scenarios_dialog () != NULL;
}

static gboolean
scenarios_gone (gconstpointer data)
{
  return scenarios_dialog () == NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The `title "…"` of the scenario file @path, as written there. */
static char *
file_title (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "title \"") && g_str_has_suffix (lines[i], "\""))
      return g_strndup (lines[i] + 7, strlen (lines[i]) - 8);
  return NULL;
}

static gboolean
session_path_is (gconstpointer data)
{
  return g_strcmp0 (va_session_get_path (va_window_get_session (win)), data) == 0;
}

/* The scenarios dialog lists every shipped scenario by its title, in
 * file-name order; a click on one opens it at its start and closes the
 * dialog. */
static void
test_scenarios_dialog (void)
{
  VaSession *session = va_window_get_session (win);
  g_autofree char *dir = scenario_path (".");
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *path = NULL, *title = NULL;
  GtkWidget *dialog, *row = NULL;
  const char *name;
  int rx, ry;

  open_scenario ("tour.vms");
  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".vms"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_assert_cmpuint (names->len, >=, 2);

  g_action_group_activate_action (G_ACTION_GROUP (win), "scenarios", NULL);
  g_assert_true (wait_until (scenarios_shown, NULL, 3000));
  dialog = scenarios_dialog ();
  rows = descendants (dialog, GTK_TYPE_LIST_BOX_ROW);
  g_assert_cmpuint (rows->len, ==, names->len);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GPtrArray) labels = descendants (rows->pdata[i], GTK_TYPE_LABEL);
      g_autofree char *file = scenario_path (names->pdata[i]);
      g_autofree char *want = file_title (file);

      g_assert_nonnull (want);
      g_assert_cmpuint (labels->len, ==, 2);
      g_assert_cmpstr (gtk_label_get_text (labels->pdata[0]), ==, want);
      g_assert_cmpstr (gtk_label_get_text (labels->pdata[1]), ==, names->pdata[i]);
      if (g_str_equal (names->pdata[i], "fragmentation.vms"))
        {
          row = rows->pdata[i];
          title = g_steal_pointer (&want);
        }
    }
  g_assert_nonnull (row);
  g_test_message ("clicking “%s”", title);

  g_assert_true (wait_until (widget_mapped, row, 3000));
  widget_to_root (row, &rx, &ry);
  click_root (rx, ry);
  path = scenario_path ("fragmentation.vms");
  g_assert_true (wait_until (session_path_is, path, 3000));
  g_assert_true (g_str_has_suffix (va_session_get_path (session), "/fragmentation.vms"));
  g_assert_cmpuint (va_session_get_position (session), ==, 0);
  g_assert_true (wait_until (scenarios_gone, NULL, 3000));
  g_assert_cmpstr (gtk_header_bar_get_subtitle (GTK_HEADER_BAR (template_child ("header"))), ==, title);
  focus_window ();
}

static GtkWidget *
file_chooser (void)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
}

static gboolean
file_chooser_shown (gconstpointer data)
{
  return file_chooser () && gtk_widget_get_mapped (file_chooser ());
}

static gboolean
file_chooser_gone (gconstpointer data)
{
  return file_chooser () == NULL;
}

static gboolean
file_chosen (gconstpointer data)
{
  g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (file_chooser ()));

  return g_strcmp0 (path, data) == 0;
}

/* Answers the file chooser of win.@action with @path and a real click on
 * its accept button.  GtkFileChooserNative without a portal (no
 * GTK_USE_PORTAL, no sandbox) is a GtkFileChooserDialog. */
static void
choose_file (const char *action,
             const char *path)
{
  GtkFileChooser *chooser;
  int rx, ry;

  g_action_group_activate_action (G_ACTION_GROUP (win), action, NULL);
  g_assert_true (wait_until (file_chooser_shown, NULL, 5000));
  chooser = GTK_FILE_CHOOSER (file_chooser ());
  if (gtk_file_chooser_get_action (chooser) == GTK_FILE_CHOOSER_ACTION_SAVE)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (path);

      g_assert_true (gtk_file_chooser_set_current_folder (chooser, dir));
      gtk_file_chooser_set_current_name (chooser, base);
    }
  else
    g_assert_true (gtk_file_chooser_select_filename (chooser, path));
  g_assert_true (wait_until (file_chosen, path, 3000));
  widget_to_root (gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT), &rx, &ry);
  click_root (rx, ry);
  g_assert_true (wait_until (file_chooser_gone, NULL, 3000));
  focus_window ();
}

/* Save writes the session's text (with the ops made in the form) and the
 * position; Open of that file brings both back. */
static void
test_save_open_session (void)
{
  VaSession *session = va_window_get_session (win);
  g_autofree char *saved = g_build_filename (tmpdir, "saved.vms", NULL);
  g_autofree char *text = NULL, *contents = NULL, *want = NULL;
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint n;

  open_scenario ("tour.vms");
  g_assert_true (va_session_seek (session, 6, &error));
  g_assert_no_error (error);
  apply_form ("vmalloc", "v2", "32K");
  key_to ("Left", 6);
  n = va_session_get_n_ops (session);
  g_assert_cmpuint (n, ==, 7);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ops, va_session_op_text (session, i));
  text = g_strdup (va_session_get_text (session));

  choose_file ("save", saved);
  g_assert_true (g_file_get_contents (saved, &contents, NULL, &error));
  g_assert_no_error (error);
  want = g_strdup_printf ("%s%s# position 6\n", text, g_str_has_suffix (text, "\n") ? "" : "\n");
  g_assert_cmpstr (contents, ==, want);
  g_assert_nonnull (strstr (contents, "\nvmalloc v2 "));

  key_to ("Home", 0);
  choose_file ("open", saved);
  g_assert_true (session_path_is (saved));
  assert_at (6);
  g_assert_cmpuint (va_session_get_n_ops (session), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *op = va_session_op_text (session, i);

      g_assert_cmpstr (op, ==, ops->pdata[i]);
    }
  g_assert_cmpstr (va_session_get_text (session), ==, contents);
  key_to ("Right", 7);
  g_assert_nonnull (va_machine_lookup (machine (), "v2"));
}

/* Starts the explorer with no file on settings kept in @config_home
 * (GSettings' keyfile backend), lets it paint one frame and quit.  The
 * last-machine it leaves is that of the session it opened. */
static char *
start_without_file (const char *config_home)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *keyfile = g_build_filename (config_home, "glib-2.0", "settings", "keyfile", NULL);
  const char *argv[] = { g_getenv ("VMATLAS"), NULL };
  int status = -1;

  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config_home, TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "keyfile", TRUE);
  env = g_environ_setenv (env, "VMATLAS_EXIT_AFTER_FIRST_FRAME", "1", TRUE);
  g_assert_nonnull (argv[0]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  backend = g_keyfile_settings_backend_new (keyfile, "/", NULL);
  settings = g_settings_new_with_backend ("org.vmatlas.VmAtlas", backend);
  return g_settings_get_string (settings, "last-machine");
}

/* Started without a file, the explorer reopens the last scenario on the
 * machine the popover last applied, not the file's own.  A real start of
 * the program on settings of its own: the last-machine it writes back when
 * the scenario opens is the machine it opened it on. */
static void
test_remembers_machine (void)
{
  g_autofree char *home = g_build_filename (tmpdir, "config", NULL);
  g_autofree char *keyfile = g_build_filename (home, "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *dir = g_path_get_dirname (keyfile);
  g_autofree char *path = scenario_path ("vmalloc-guard-pages.vms");
  g_autofree char *text = g_strdup_printf ("[org/vmatlas/VmAtlas]\nlast-scenario='%s'\n"
                                           "last-machine='machine ram=2G profile=linux-6.1'\n", path);
  g_autofree char *own = g_strdup_printf ("[org/vmatlas/VmAtlas]\nlast-scenario='%s'\n", path);
  g_autofree char *after = NULL;
  g_autofree char *fresh = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, text, -1, NULL));
  after = start_without_file (home);
  g_test_message ("last-machine after the start: %s", after);
  g_assert_true (g_str_has_prefix (after, "machine ram=2G profile=linux-6.1"));

  /* no machine remembered: the file's own (ram=1G, 2.6.9) */
  g_assert_true (g_file_set_contents (keyfile, own, -1, NULL));
  fresh = start_without_file (home);
  g_assert_true (g_str_has_prefix (fresh, "machine ram=1G profile=linux-2.6.9"));
}

int
main (int    argc,
      char **argv)
{
  const char *srcdir = g_getenv ("VMATLAS_SRCDIR");
  g_autofree char *tour = NULL;
  g_autoptr(GFile) file = NULL;
  int rc;

  /* The file chooser notes the files it opened and saved in the user's
   * recently-used list: the test's own. */
  tmpdir = g_dir_make_tmp ("vmatlas-ui-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (srcdir);
  g_assert_true (GDK_IS_X11_DISPLAY (gdk_display_get_default ()));
  tour = g_build_filename (srcdir, "data", "scenarios", "tour.vms", NULL);
  file = g_file_new_for_path (tour);

  app = va_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_open (G_APPLICATION (app), &file, 1, "");
  win = VA_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  iterate_for (600);
  focus_window ();

  g_test_add_func ("/ui/opens-tour", test_opens_tour);
  g_test_add_func ("/ui/step-keys", test_step_keys);
  g_test_add_func ("/ui/micro-steps", test_micro_steps);
  g_test_add_func ("/ui/pauses", test_pauses);
  g_test_add_func ("/ui/click-selects-vmalloc", test_click_selects);
  g_test_add_func ("/ui/op-chooser", test_op_chooser);
  g_test_add_func ("/ui/keyboard-regions", test_keyboard_regions);
  g_test_add_func ("/ui/zoom-scroll-pan", test_zoom_scroll_pan);
  g_test_add_func ("/ui/zoom-keys-selection", test_zoom_keys_selection);
  g_test_add_func ("/ui/zoom-pinch", test_zoom_pinch);
  g_test_add_func ("/ui/zoom-export", test_zoom_export);
  g_test_add_func ("/ui/freelist-animation", test_freelist_animation);
  g_test_add_func ("/ui/op-form", test_op_form);
  g_test_add_func ("/ui/workload-form", test_workload_form);
  g_test_add_func ("/ui/play", test_play);
  g_test_add_func ("/ui/export", test_export);
  g_test_add_func ("/ui/machine-popover", test_machine_popover);
  g_test_add_func ("/ui/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ui/play-micro", test_play_micro);
  g_test_add_func ("/ui/migration-flight", test_migration_flight);
  g_test_add_func ("/ui/timeline-seek", test_timeline_seek);
  g_test_add_func ("/ui/undo-redo-keys", test_undo_redo_keys);
  g_test_add_func ("/ui/hover-tooltip", test_hover_tooltip);
  g_test_add_func ("/ui/presentation-esc", test_presentation_esc);
  g_test_add_func ("/ui/scenarios-dialog", test_scenarios_dialog);
  g_test_add_func ("/ui/save-open-session", test_save_open_session);
  g_test_add_func ("/ui/remembers-machine", test_remembers_machine);
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
  {
    const char *argv_rm[] = { "rm", "-rf", tmpdir, NULL };

    run_tool (argv_rm);
  }
  return rc;
}
