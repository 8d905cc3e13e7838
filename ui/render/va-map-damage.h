/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <cairo.h>

#include "va-phys-raster.h"
#include "va-render.h"

G_BEGIN_DECLS

/* What a cached picture of the two maps (virtual, links, physical, as the
 * GUI canvas paints them) shows, kept as digests of what each part reads,
 * and the region a change makes stale: the rows of the grid whose frames
 * changed, the virtual map's column if its digest changed, and so on.
 * Redrawing that region (clipped) gives the same pixels as painting the
 * whole picture again.
 *
 * Plain data owned by one view; not thread-safe. */
typedef struct _VaMapDamage VaMapDamage;

VaMapDamage    *va_map_damage_new     (void);
void            va_map_damage_free    (VaMapDamage *damage);
/* The picture was painted whole (or dropped): nothing is known of it. */
void            va_map_damage_reset   (VaMapDamage *damage);

/* Brings @raster up to date and returns the rectangles (user units of a
 * @width x @height picture, cairo_rectangle_int_t, they may overlap) to
 * redraw for @m as it is now; everything after va_map_damage_reset() or a
 * change of machine, layout, palette, zoom or size.  Each is best redrawn
 * on its own: cairo antialiases some edges differently under a clip of
 * several rectangles than under one, or none. */
GArray         *va_map_damage_collect (VaMapDamage           *damage,
                                       VaMachine             *m,
                                       const VaRect          *virt_rect,
                                       const VaRect          *phys_rect,
                                       const VaRenderOptions *options,
                                       VaPhysRaster          *raster,
                                       int                    width,
                                       int                    height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaMapDamage, va_map_damage_free)

G_END_DECLS
