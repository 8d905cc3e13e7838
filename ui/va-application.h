/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VA_APPLICATION_ID "org.vmatlas.VmAtlas"
#define VA_TYPE_APPLICATION (va_application_get_type ())

G_DECLARE_FINAL_TYPE (VaApplication, va_application, VA, APPLICATION, GtkApplication)

VaApplication *va_application_new          (GApplicationFlags  flags);
/* The app's settings, or NULL when the schema is not installed (then
 * nothing is remembered). */
GSettings     *va_application_get_settings (VaApplication     *self);
/* The folder holding scenarios/ (VMATLAS_DATADIR, the source tree, or the
 * installed data), or NULL. */
const char    *va_application_get_datadir  (void);
void           va_application_init_i18n    (void);
char          *va_application_find_tour    (const char         *datadir,
                                            const char * const *languages);

/* Entry points for app/main.c.  va_gui_display_available() is gtk_init_check()
 * that first starts, on other threads, what start-up would wait for later: the
 * session-bus connection and fontconfig's loading. */
gboolean       va_gui_display_available    (int               *argc,
                                            char            ***argv);
int            va_gui_run                  (int                argc,
                                            char             **argv);

G_END_DECLS
