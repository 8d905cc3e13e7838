/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-render.h"

G_BEGIN_DECLS

/* The arithmetic of zooming and panning the two maps, on the zoomed
 * ranges of VaRenderOptions (zoom_start/zoom_end for the virtual map,
 * phys_first/phys_count for the physical one), so the canvas, its
 * gestures and export all read the one state.  No GTK: ranges in, ranges
 * out, clamped to the address space or the machine. */

/* Smallest ranges shown: 16 pages of address space, 64 frames. */
#define VA_MAP_ZOOM_MIN_VIRT   (64u * 1024u)
#define VA_MAP_ZOOM_MIN_FRAMES 64u

/* The shown ranges, whole or zoomed: [*start, *end) addresses, and
 * [*first, *first + *count) frames. */
void     va_map_zoom_get_virt   (const VaRenderOptions *options,
                                 guint64               *start,
                                 guint64               *end);
void     va_map_zoom_get_phys   (const VaRenderOptions *options,
                                 const VaMachine       *m,
                                 guint32               *first,
                                 guint32               *count);

/* Shows [start, end) (at least VA_MAP_ZOOM_MIN_VIRT, page-aligned), moved
 * back inside the 4 GiB when it runs over an edge; the whole space is
 * stored as "not zoomed". */
void     va_map_zoom_set_virt   (VaRenderOptions       *options,
                                 gint64                 start,
                                 gint64                 end);
/* Same for frames [first, first + count) of @m. */
void     va_map_zoom_set_phys   (VaRenderOptions       *options,
                                 const VaMachine       *m,
                                 gint64                 first,
                                 gint64                 count);

/* Zoom by @factor (> 1 in, < 1 out) keeping @anchor where it is in the
 * range, as a pointer-centred zoom wants. */
void     va_map_zoom_virt       (VaRenderOptions       *options,
                                 double                 factor,
                                 guint64                anchor);
void     va_map_zoom_phys       (VaRenderOptions       *options,
                                 const VaMachine       *m,
                                 double                 factor,
                                 guint32                anchor);

/* A range with room around it: @span centred in a window @margin times
 * as large (at least the minimum). */
void     va_map_zoom_fit_virt   (VaRenderOptions       *options,
                                 guint64                start,
                                 guint64                end,
                                 double                 margin);
void     va_map_zoom_fit_phys   (VaRenderOptions       *options,
                                 const VaMachine       *m,
                                 guint32                first,
                                 guint32                count,
                                 double                 margin);

/* Both maps whole again; TRUE when either was zoomed. */
gboolean va_map_zoom_reset      (VaRenderOptions       *options);

G_END_DECLS
