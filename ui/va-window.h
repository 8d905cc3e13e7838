/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "va-freelist-panel.h"
#include "va-map-canvas.h"
#include "va-op-panel.h"
#include "va-session.h"

G_BEGIN_DECLS

#define VA_TYPE_WINDOW (va_window_get_type ())

G_DECLARE_FINAL_TYPE (VaWindow, va_window, VA, WINDOW, GtkApplicationWindow)

VaWindow    *va_window_new              (GtkApplication *app);
/* Makes what the first frame does not show, once it is on screen: the
 * header bar's menus and machine popover.  A menu model builds its popover
 * at once, and the speed menu's radio items make the theme load its radio
 * indicator through librsvg (about 60 million instructions, 12 ms); the
 * machine form is 26 widgets. */
void         va_window_finish_startup   (VaWindow       *self);
/* The shortcuts window (Ctrl+?), made the first time it is needed. */
GtkShortcutsWindow *va_window_ensure_help_overlay (VaWindow *self);
gboolean     va_window_open_path        (VaWindow       *self,
                                         const char     *path,
                                         GError        **error);
/* Opens a scenario prepared apart (va_session_load_new_in_thread()),
 * waiting for it if need be. */
gboolean     va_window_open_load        (VaWindow       *self,
                                         VaSessionLoad  *load,
                                         GError        **error);
VaSession   *va_window_get_session      (VaWindow       *self);
VaMapCanvas *va_window_get_canvas       (VaWindow       *self);
VaOpPanel   *va_window_get_op_panel     (VaWindow       *self);
/* The free-list panel, made if it is not yet (it is after the first frame). */
VaFreelistPanel *va_window_get_freelist_panel (VaWindow   *self);
/* The texts the narration bar and the inspector show. */
const char  *va_window_get_say_text     (VaWindow       *self);
const char  *va_window_get_events_text  (VaWindow       *self);
const char  *va_window_get_inspector_text (VaWindow     *self);
/* Writes what is on screen to @path (PNG, SVG or PDF by extension). */
gboolean     va_window_export           (VaWindow       *self,
                                         const char     *path,
                                         GError        **error);
gboolean     va_window_is_playing       (VaWindow       *self);

G_END_DECLS
