/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "va-event.h"
#include "va-render.h"
#include "va-session.h"

G_BEGIN_DECLS

#define VA_TYPE_FREELIST_PANEL (va_freelist_panel_get_type ())

G_DECLARE_FINAL_TYPE (VaFreelistPanel, va_freelist_panel, VA, FREELIST_PANEL, GtkDrawingArea)

/* Ops with more free-list events than this (workloads) are not animated. */
#define VA_FREELIST_PANEL_MAX_EVENTS 64

/* The buddy allocator's free lists (va-freelist-view.h) of the session's
 * machine, as tall as they need at the panel's width.  An op's free-list
 * micro-events (list del/add, split, merge, per-cpu moves) can be played
 * over the picture of the op's end on the frame clock: the block lifts
 * off its list, splits, the halves drop onto the lower orders; merges run
 * the other way.  The engine stays at the op's end; only the view moves. */
GtkWidget     *va_freelist_panel_new          (void);
void           va_freelist_panel_set_session  (VaFreelistPanel       *self,
                                               VaSession             *session);
/* The palette and type size (the canvas's options, which outlive us). */
void           va_freelist_panel_set_options  (VaFreelistPanel       *self,
                                               const VaRenderOptions *options);
/* Plays the free-list events among @events (@n of them, in order), each
 * for @step_us microseconds but all within @max_total_us; stops a running
 * animation first.  FALSE, nothing animated, when there are none or more
 * than VA_FREELIST_PANEL_MAX_EVENTS. */
gboolean       va_freelist_panel_animate      (VaFreelistPanel       *self,
                                               const VaEvent *const  *events,
                                               guint                  n,
                                               gint64                 step_us,
                                               gint64                 max_total_us);
void           va_freelist_panel_stop         (VaFreelistPanel       *self);
gboolean       va_freelist_panel_is_animating (VaFreelistPanel       *self);
/* The event being animated (a copy, valid until the next frame), or NULL;
 * and the frames drawn with an animation so far.  For tests. */
const VaEvent *va_freelist_panel_get_event    (VaFreelistPanel       *self);
guint          va_freelist_panel_get_n_frames (VaFreelistPanel       *self);

G_END_DECLS
