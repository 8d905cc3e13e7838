/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "va-render.h"
#include "va-session.h"

G_BEGIN_DECLS

#define VA_TYPE_MAP_CANVAS (va_map_canvas_get_type ())

G_DECLARE_FINAL_TYPE (VaMapCanvas, va_map_canvas, VA, MAP_CANVAS, GtkDrawingArea)

/* The virtual map beside the physical map, with the links of the selected
 * allocation between them.  Click selects the allocation under the pointer
 * ("selection-changed").  Each map zooms on its own: Ctrl+scroll and pinch
 * around the pointer, a drag (primary, or middle anywhere) pans the map it
 * began on.  Focused, Up and Down walk the regions of the virtual map and
 * Return selects. */
GtkWidget             *va_map_canvas_new              (void);
void                   va_map_canvas_set_session      (VaMapCanvas  *self,
                                                       VaSession    *session);
void                   va_map_canvas_set_dark         (VaMapCanvas  *self,
                                                       gboolean      dark);
/* The selected allocation's name and the address or frame clicked. */
const char            *va_map_canvas_get_selection    (VaMapCanvas  *self);
gboolean               va_map_canvas_get_selected_addr(VaMapCanvas  *self,
                                                       guint32      *addr);
gboolean               va_map_canvas_get_selected_pfn (VaMapCanvas  *self,
                                                       guint32      *pfn);
void                   va_map_canvas_select           (VaMapCanvas  *self,
                                                       const char   *name);
/* Both maps by @factor (> 1 in), each around the selection, else around
 * the middle of what it shows. */
void                   va_map_canvas_zoom             (VaMapCanvas  *self,
                                                       double        factor);
/* Both maps whole again. */
void                   va_map_canvas_zoom_reset       (VaMapCanvas  *self);
/* Something (allocation, address or frame) is selected. */
gboolean               va_map_canvas_has_selection    (VaMapCanvas  *self);
/* Zooms each map onto what the selection covers there (an allocation's
 * addresses and frames, a region, a buddy block) with room around it;
 * FALSE, nothing changed, when there is nothing to zoom to. */
gboolean               va_map_canvas_zoom_to_selection (VaMapCanvas *self);
/* Outlines the block of 1 << @order frames at @pfn on the physical map
 * (the current micro-step), or nothing when @has_mark is FALSE. */
void                   va_map_canvas_set_mark         (VaMapCanvas  *self,
                                                       gboolean      has_mark,
                                                       guint32       pfn,
                                                       guint         order);
/* The marked block migrating to @to_pfn, @t of the way there (0 to 1):
 * the outline travels, a dashed one and a path left where it was. */
void                   va_map_canvas_set_mark_flight  (VaMapCanvas  *self,
                                                       guint32       to_pfn,
                                                       double        t);
/* The options the maps are drawn with (selection, zoom, palette), for
 * export of what is on screen. */
const VaRenderOptions *va_map_canvas_get_options      (VaMapCanvas  *self);
/* Where an allocation's vmalloc area (or other virtual range) is drawn,
 * in widget coordinates: its centre.  For tests and keyboard focus. */
gboolean               va_map_canvas_locate           (VaMapCanvas  *self,
                                                       const char   *name,
                                                       double       *x,
                                                       double       *y);
/* The centre of frame @pfn's cell on the physical map; FALSE when the
 * frame is not in the shown range. */
gboolean               va_map_canvas_locate_frame     (VaMapCanvas  *self,
                                                       guint32       pfn,
                                                       double       *x,
                                                       double       *y);
/* Text for whatever is at (x, y), as the tooltip shows it; NULL if nothing. */
char                  *va_map_canvas_describe_at      (VaMapCanvas  *self,
                                                       double        x,
                                                       double        y);
/* What the keyboard cursor (Up/Down on the focused canvas) is on, as the
 * tooltip would describe it; NULL without a cursor.  "cursor-changed"
 * tells when it changes; Return selects it like a click. */
const char            *va_map_canvas_get_cursor_text (VaMapCanvas *self);
/* After the first picture: has the memory the first repaints write touched
 * on a background thread, so they do not pay for its page faults. */
void                   va_map_canvas_warm_up          (VaMapCanvas  *self);
/* The physical-map raster is stale (the machine changed behind our back). */
void                   va_map_canvas_invalidate       (VaMapCanvas  *self);

G_END_DECLS
