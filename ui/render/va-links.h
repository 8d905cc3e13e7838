/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-render.h"

G_BEGIN_DECLS

/* Lines between the virtual map (in @virt_rect) and the physical map (in
 * @phys_rect, to its right): a faint band from the linear map to lowmem
 * always, and for the selected allocation (options->select) one straight
 * band for a linear-map range or a fan of lines, one per page, from a
 * vmalloc area or pkmap slot to the frames behind it. */
void  va_links_draw (cairo_t               *cr,
                     VaMachine             *m,
                     const VaRect          *virt_rect,
                     const VaRect          *phys_rect,
                     const VaRenderOptions *options);

/* What va_links_draw() reads, as bytes, in two parts: @band_out for the
 * linear map's band (drawn between the maps only) and @selection_out for
 * the selection's links (which reach into the physical map).  For one
 * palette and layout, equal digests mean equal links. */
void  va_links_digest (VaMachine             *m,
                       const VaRect          *virt_rect,
                       const VaRect          *phys_rect,
                       const VaRenderOptions *options,
                       GString               *band_out,
                       GString               *selection_out);

G_END_DECLS
