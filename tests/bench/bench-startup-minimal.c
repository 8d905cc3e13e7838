/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The baseline of bench-startup: the smallest GTK 3 window (a header bar
 * and a label), which prints "VMATLAS_FIRST_FRAME <monotonic µs>" after
 * its first painted frame and quits, as vmatlas does with
 * VMATLAS_EXIT_AFTER_FIRST_FRAME=1.  With --application the same window
 * is a GtkApplication's (registered on the session bus under its own id,
 * as vmatlas must be), to tell that machinery's cost from the explorer's. */
#include <gtk/gtk.h>

static gboolean drawn;

/* A frame clock cycle can end before the X server has exposed the window:
 * the first frame is the first one that drew it. */
static gboolean
draw_cb (GtkWidget *window,
         cairo_t   *cr)
{
  drawn = TRUE;
  return FALSE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  if (!drawn)
    return;
  g_print ("VMATLAS_FIRST_FRAME %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  /* the last window: gtk_main() or the application ends with it */
  g_idle_add_once ((GSourceOnceFunc) gtk_widget_destroy, window);
}

static void
realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), window);
}

static GtkWidget *
make_window (GtkApplication *app)
{
  GtkWidget *window, *header;

  window = app ? gtk_application_window_new (app) : gtk_window_new (GTK_WINDOW_TOPLEVEL);
  header = gtk_header_bar_new ();
  gtk_header_bar_set_title (GTK_HEADER_BAR (header), "Minimal");
  gtk_header_bar_set_show_close_button (GTK_HEADER_BAR (header), TRUE);
  gtk_window_set_titlebar (GTK_WINDOW (window), header);
  gtk_container_add (GTK_CONTAINER (window), gtk_label_new ("Hello"));
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
  g_signal_connect (window, "draw", G_CALLBACK (draw_cb), NULL);
  gtk_widget_show_all (window);
  return window;
}

static void
activate_cb (GtkApplication *app)
{
  make_window (app);
}

int
main (int    argc,
      char **argv)
{
  if (argc > 1 && g_strcmp0 (argv[1], "--application") == 0)
    {
      g_autoptr(GtkApplication) app = gtk_application_new ("org.vmatlas.BenchMinimal", G_APPLICATION_DEFAULT_FLAGS);

      g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
      return g_application_run (G_APPLICATION (app), 1, argv);
    }
  gtk_init (&argc, &argv);
  g_signal_connect (make_window (NULL), "destroy", G_CALLBACK (gtk_main_quit), NULL);
  gtk_main ();
  return 0;
}
