/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "va-session.h"

G_BEGIN_DECLS

#define VA_TYPE_TIMELINE (va_timeline_get_type ())

G_DECLARE_FINAL_TYPE (VaTimeline, va_timeline, VA, TIMELINE, GtkDrawingArea)

/* The session's ops as a strip of markers (failed ops in red) with the
 * current position; a click or drag emits "seek" (guint position). */
GtkWidget *va_timeline_new                (void);
void       va_timeline_set_session        (VaTimeline *self,
                                           VaSession  *session);
/* The position a click at @x seeks to. */
guint      va_timeline_position_at        (VaTimeline *self,
                                           double      x);

G_END_DECLS
