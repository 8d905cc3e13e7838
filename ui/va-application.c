/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-application"

#include "va-application.h"
#include "va-background-thread.h"

#include "va-text.h"
#include "va-window.h"
#include "vmatlas-resources.h"

#include <glib/gi18n.h>
#include <string.h>

struct _VaApplication
{
  GtkApplication  parent_instance;
  GSettings      *settings;
  /* The scenario the first window will open, prepared on a thread while
   * GTK starts and builds the window (va_gui_run()). */
  VaSessionLoad  *preload;
  /* Reads the icon theme's index files meanwhile (va_gui_run()); joined
   * before the first window is shown. */
  GThread        *icon_preload;
};

G_DEFINE_FINAL_TYPE (VaApplication, va_application, GTK_TYPE_APPLICATION)

/* Every accelerator of the application, in one table. */
static const struct {
  const char *action;
  const char *accels[8];
} accels[] = {
  { "app.quit",          { "<Primary>q", NULL } },
  { "win.open",          { "<Primary>o", NULL } },
  { "win.save",          { "<Primary>s", NULL } },
  { "win.export",        { "<Primary>e", NULL } },
  { "win.step-forward",  { "Right", "Page_Down", NULL } },
  { "win.step-back",     { "Left", "BackSpace", "Page_Up", NULL } },
  { "win.step-micro",    { "<Shift>Right", NULL } },
  { "win.step-micro-back", { "<Shift>Left", NULL } },
  { "win.next-pause",    { "space", NULL } },
  { "win.previous-pause", { "<Shift>space", NULL } },
  { "win.undo",          { "<Primary>z", NULL } },
  { "win.redo",          { "<Primary><Shift>z", "<Primary>y", NULL } },
  { "win.first",         { "Home", NULL } },
  { "win.last",          { "End", NULL } },
  { "win.play-pause",    { "p", NULL } },
  { "win.presentation",  { "F5", NULL } },
  { "win.zoom-in",       { "plus", "equal", "KP_Add", "<Primary>plus", "<Primary>equal",
                           "<Primary>KP_Add", NULL } },
  { "win.zoom-out",      { "minus", "KP_Subtract", "<Primary>minus", "<Primary>KP_Subtract", NULL } },
  { "win.zoom-reset",    { "<Primary>0", "0", "<Primary>KP_0", NULL } },
  { "win.zoom-selection", { "z", NULL } },
  /* The shortcuts window, made on first use (VaWindow's action). */
  { "win.show-help-overlay", { "<Primary>question", NULL } },
};

/* The explorer's messages: from the build tree when running uninstalled
 * (its catalogues are built into po/LANG/LC_MESSAGES), else installed;
 * VMATLAS_LOCALEDIR overrides both.  The GtkBuilder templates use the
 * default domain, so it is set too. */
void
va_application_init_i18n (void)
{
  const char *dirs[] = { g_getenv ("VMATLAS_LOCALEDIR"), VA_LOCALE_BUILDDIR, VA_LOCALE_INSTALLDIR };
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (dirs[i] && g_file_test (dirs[i], G_FILE_TEST_IS_DIR))
      {
        bindtextdomain (GETTEXT_PACKAGE, dirs[i]);
        break;
      }
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

const char *
va_application_get_datadir (void)
{
  static const char *found;
  const char *dirs[] = { g_getenv ("VMATLAS_DATADIR"), VA_SOURCE_DATADIR, VA_INSTALL_DATADIR };

  if (found)
    return found;
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *tour = dirs[i] ? g_build_filename (dirs[i], "scenarios", "tour.vms", NULL) : NULL;

      if (tour && g_file_test (tour, G_FILE_TEST_EXISTS))
        return found = g_intern_string (dirs[i]);
    }
  return NULL;
}

/* The default tour in the first of @languages that has one
 * (scenarios/zh_CN/tour.vms, …), else the English one. */
char *
va_application_find_tour (const char         *datadir,
                          const char * const *languages)
{
  g_return_val_if_fail (datadir != NULL, NULL);

  for (guint i = 0; languages && languages[i]; i++)
    {
      g_autofree char *path = g_build_filename (datadir, "scenarios", languages[i], "tour.vms", NULL);

      if (strchr (languages[i], '/') == NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return g_build_filename (datadir, "scenarios", "tour.vms", NULL);
}

GSettings *
va_application_get_settings (VaApplication *self)
{
  g_return_val_if_fail (VA_IS_APPLICATION (self), NULL);
  return self->settings;
}

/* The installed schema, else the one compiled in the build tree, so an
 * uninstalled build remembers too; NULL when neither is there. */
static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaSource) build = NULL;

  if (source)
    schema = g_settings_schema_source_lookup (source, VA_APPLICATION_ID, TRUE);
  if (schema == NULL &&
      (build = g_settings_schema_source_new_from_directory (VA_SCHEMA_BUILDDIR, source, FALSE, NULL)))
    schema = g_settings_schema_source_lookup (build, VA_APPLICATION_ID, FALSE);
  if (schema == NULL)
    {
      g_message ("settings schema %s not found: nothing will be remembered", VA_APPLICATION_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Destroying the windows saves their state; the app then ends. */
  while (windows)
    {
      GList *next = windows->next;

      gtk_widget_destroy (windows->data);
      windows = next;
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  static const char *authors[] = { "The VM Atlas developers", NULL };

  gtk_show_about_dialog (parent,
                         "program-name", _("VM Atlas"),
                         "version", VA_VERSION,
                         "logo-icon-name", VA_APPLICATION_ID,
                         "comments", _("An explorer of the i386 Linux kernel memory map: "
                                       "the buddy allocator, vmalloc, kmap and CMA, step by step"),
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_2_0,
                         "authors", authors,
                         NULL);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static void
va_application_startup (GApplication *app)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  /* Before gtk/help-overlay.ui is built: its pointer shortcuts name a
   * GThemedIcon, which GtkBuilder finds by type name. */
  g_type_ensure (G_TYPE_THEMED_ICON);
  va_application_init_i18n ();
  /* No automatic resources: GtkApplication would build the shortcuts
   * window for each new window before its first frame. */
  g_application_set_resource_base_path (app, NULL);
  G_APPLICATION_CLASS (va_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
  gtk_css_provider_load_from_resource (css, "/org/vmatlas/VmAtlas/ui/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* ------------------------------------------------------------------ */
/* After the first frame                                                */

/* What a window's first frame does not show, made once it is on screen:
 * its menus and, once, the window icon (rendered from SVG, the search path
 * scanned).  The shortcuts window (tens of ms of GtkBuilder) waits until
 * it is asked for. */
static gboolean
after_first_frame_cb (gpointer data)
{
  GtkApplicationWindow *win = data;
  static gboolean icon_set;

  if (gtk_widget_in_destruction (GTK_WIDGET (win)))
    return G_SOURCE_REMOVE;
  if (!icon_set)
    {
      gtk_icon_theme_append_search_path (gtk_icon_theme_get_default (), VA_SOURCE_DATADIR "/icons");
      gtk_window_set_default_icon_name (VA_APPLICATION_ID);
      icon_set = TRUE;
    }
  va_window_finish_startup (VA_WINDOW (win));
  return G_SOURCE_REMOVE;
}

static void
first_paint_cb (GdkFrameClock *clock,
                GtkWidget     *win)
{
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, win);
  g_idle_add_full (G_PRIORITY_LOW, after_first_frame_cb, g_object_ref (win), g_object_unref);
}

static void
window_realize_cb (GtkWidget *win)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (win), "after-paint",
                           G_CALLBACK (first_paint_cb), win, 0);
}

/* ------------------------------------------------------------------ */
/* The icon theme, read on a thread                                     */

/* The first icon GTK looks up makes the default GtkIconTheme read the
 * index.theme of Adwaita, gnome and hicolor and stat each of their ~100
 * directories: ~30 M instructions (~9 ms) of a first frame that shows
 * eight icons, and the minimal GTK window pays them too.  The first icon
 * loaded makes gdk-pixbuf read its loaders.cache and open its PNG loader
 * (~3 M), and each icon's PNG is read once into the theme's info cache
 * (~4 M for the eight).  Nothing touches that theme until the window is
 * sized (its GtkImages only hold names), so a thread does all of it
 * meanwhile, on a core the main thread does not use, looking the icons up
 * as GtkImage does; the main thread joins it before it can look anything
 * up.  An icon not listed, or looked up otherwise, is loaded by the main
 * thread as before.  The theme object and its GtkSettings are made on the
 * main thread (icon_preload_start()). */
static gpointer
icon_preload_thread (gpointer data)
{
  static const char *const names[] = {
    "media-skip-backward-symbolic", "media-playback-start-symbolic", "media-skip-forward-symbolic",
    "open-menu-symbolic", "pan-down-symbolic",
    "window-minimize-symbolic", "window-maximize-symbolic", "window-close-symbolic",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GIcon) icon = g_themed_icon_new (names[i]);
      g_autoptr(GtkIconInfo) info = gtk_icon_theme_lookup_by_gicon_for_scale (data, icon, 16, 1,
                                                                              GTK_ICON_LOOKUP_USE_BUILTIN |
                                                                              GTK_ICON_LOOKUP_DIR_LTR);
      g_autoptr(GdkPixbuf) pixbuf = info ? gtk_icon_info_load_icon (info, NULL) : NULL;
    }
  return NULL;
}

static void
icon_preload_start (VaApplication *self)
{
  self->icon_preload = va_background_thread_new ("vmatlas-icons", icon_preload_thread,
                                     gtk_icon_theme_get_default ());
}

static void
icon_preload_join (VaApplication *self)
{
  if (self->icon_preload)
    g_thread_join (g_steal_pointer (&self->icon_preload));
}

static VaWindow *
ensure_window (GApplication *app)
{
  GtkWindow *win = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (win)
    return VA_WINDOW (win);
  win = GTK_WINDOW (va_window_new (GTK_APPLICATION (app)));
  g_signal_connect (win, "realize", G_CALLBACK (window_realize_cb), NULL);
  return VA_WINDOW (win);
}

/* Opens @path in @win, from the preload if it is for @path; else prepared
 * here, on @machine_line if that is not NULL (see default_scenario()). */
static gboolean
open_in_window (VaApplication *self,
                VaWindow      *win,
                const char    *path,
                const char    *machine_line,
                GError       **error)
{
  g_autoptr(VaSessionLoad) load = NULL;

  if (self->preload && g_strcmp0 (self->preload->path, path) == 0)
    load = g_steal_pointer (&self->preload);
  else if (machine_line)
    load = va_session_load_new_in_thread (path, machine_line);
  else
    return va_window_open_path (win, path, error);
  return va_window_open_load (win, load, error);
}

/* The scenario a new window shows when no file is given: the last one, on
 * the machine it last ran on (@machine_line: the popover may have changed
 * it since the file was opened), or on first start the tour, paused at its
 * first step.  NULL if neither exists (an empty session then). */
static char *
default_scenario (VaApplication *self,
                  char         **machine_line)
{
  g_autofree char *last = self->settings ? g_settings_get_string (self->settings, "last-scenario") : NULL;
  const char *datadir = va_application_get_datadir ();

  *machine_line = NULL;
  if (last && *last && g_file_test (last, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *machine = g_settings_get_string (self->settings, "last-machine");

      if (*machine)
        *machine_line = g_steal_pointer (&machine);
      return g_steal_pointer (&last);
    }
  return datadir ? va_application_find_tour (datadir, g_get_language_names ()) : NULL;
}

static void
va_application_activate (GApplication *app)
{
  VaApplication *self = VA_APPLICATION (app);
  gboolean fresh = gtk_application_get_active_window (GTK_APPLICATION (app)) == NULL;
  VaWindow *win = ensure_window (app);

  /* Opened before the window is shown, so its first size negotiation
   * measures the scenario's texts, not the empty ones. */
  if (fresh)
    {
      g_autofree char *machine = NULL;
      g_autofree char *path = default_scenario (self, &machine);
      g_autoptr(GError) error = NULL;
      const char *datadir = va_application_get_datadir ();

      /* A last scenario that no longer runs gives way to the tour. */
      if (path && !open_in_window (self, win, path, machine, &error) && datadir)
        {
          g_autofree char *tour = va_application_find_tour (datadir, g_get_language_names ());

          g_message ("%s: %s; opening the tour", path, error->message);
          va_window_open_path (win, tour, NULL);
        }
    }
  icon_preload_join (self);
  gtk_window_present (GTK_WINDOW (win));
}

static void
va_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  VaWindow *win = ensure_window (app);
  g_autofree char *path = n_files > 0 ? g_file_get_path (files[0]) : NULL;
  g_autoptr(GError) error = NULL;
  /* before the window is shown, as in activate() */
  gboolean opened = path == NULL || open_in_window (VA_APPLICATION (app), win, path, NULL, &error);

  icon_preload_join (VA_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (win));
  if (!opened)
    {
      GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (win), GTK_DIALOG_MODAL,
                                                  GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                  _("Could not open the scenario"));

      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
      g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      gtk_widget_show (dialog);
    }
}

static void
va_application_finalize (GObject *object)
{
  icon_preload_join (VA_APPLICATION (object));
  g_clear_object (&VA_APPLICATION (object)->settings);
  g_clear_pointer (&VA_APPLICATION (object)->preload, va_session_load_free);
  G_OBJECT_CLASS (va_application_parent_class)->finalize (object);
}

static void
va_application_class_init (VaApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = va_application_finalize;
  app_class->startup = va_application_startup;
  app_class->activate = va_application_activate;
  app_class->open = va_application_open;
}

static void
va_application_init (VaApplication *self)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      va_register_resource ();
      g_once_init_leave (&registered, 1);
    }
  self->settings = load_settings ();
}

VaApplication *
va_application_new (GApplicationFlags flags)
{
  return g_object_new (VA_TYPE_APPLICATION,
                       "application-id", VA_APPLICATION_ID,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

static void
bus_ready_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  /* The connection is a singleton GApplication holds; this reference and
   * any error (GApplication reports its own) are dropped. */
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, NULL);
}

gboolean
va_gui_display_available (int    *argc,
                          char ***argv)
{
  /* GApplication registers on the session bus synchronously, a few ms of
   * connecting, authenticating and saying Hello; started here, GDBus's
   * threads do that while GTK opens the display, and the registration
   * finds the connection made.  No bus, no start: GApplication would
   * otherwise autolaunch one. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS"))
    g_bus_get (G_BUS_TYPE_SESSION, NULL, bus_ready_cb, NULL);
  /* Pango reads fontconfig's configuration and caches on a thread of its
   * own, started with the first font map, and the first text laid out
   * waits for it (~8 ms).  Made here, the font map GTK will use has it
   * done while GTK opens the display and loads its theme. */
  pango_cairo_font_map_get_default ();
  /* The maps' own faces (their own font map) load meanwhile too, on a
   * thread of theirs, for the maps' first frame. */
  va_text_warm_up (VA_RENDER_DEFAULT_FONT_SIZE);
  if (gtk_init_check (argc, argv))
    return TRUE;
  va_text_warm_up_finish ();
  return FALSE;
}

/* The scenario the first window will show: the file on the command line
 * (main() sends only `vmatlas [FILE.vms]` here), on its own machine; else
 * the default one, on @machine_line. */
static char *
first_scenario (VaApplication *app,
                int            argc,
                char         **argv,
                char         **machine_line)
{
  if (argc > 1)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);

      *machine_line = NULL;
      return g_file_get_path (file);
    }
  return default_scenario (app, machine_line);
}

int
va_gui_run (int    argc,
            char **argv)
{
  g_autoptr(VaApplication) app = va_application_new (G_APPLICATION_DEFAULT_FLAGS);
  g_autofree char *machine = NULL;
  g_autofree char *first = first_scenario (app, argc, argv, &machine);

  /* Parsing, booting and running the scenario take a core of their own
   * while this one starts GTK and builds the window. */
  if (first)
    app->preload = va_session_load_new_in_thread (first, machine);
  icon_preload_start (app);
  va_application_init_i18n ();
  g_set_application_name (_("VM Atlas"));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
