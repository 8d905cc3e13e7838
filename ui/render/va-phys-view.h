/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-phys-raster.h"
#include "va-render.h"

G_BEGIN_DECLS

/* The physical map: every page frame as a cell, row by row from pfn 0 at
 * the top left, coloured by its state (va-frame-classes.h), with zone bands,
 * the max_low_pfn line and, on request, pageblock borders. */
typedef struct {
  guint32 columns;        /* frames per row */
  guint32 rows;
  double  cell;           /* cell size in user units (may be < 1: frames share pixels) */
  VaRect  map;            /* where the frame grid is drawn inside the view rect */
} VaPhysLayout;

void     va_phys_view_layout  (const VaMachine       *m,
                               const VaRect          *rect,
                               VaPhysLayout          *out);
void     va_phys_view_draw    (cairo_t               *cr,
                               VaMachine             *m,
                               const VaRect          *rect,
                               const VaRenderOptions *options);
/* Same picture from a cached raster (va-phys-raster.h): the GUI and the
 * benches keep one per canvas and invalidate it after each op, seek or
 * palette change; va_phys_view_draw() uses a temporary one. */
void     va_phys_view_draw_raster (cairo_t               *cr,
                                   VaMachine             *m,
                                   const VaRect          *rect,
                                   const VaRenderOptions *options,
                                   VaPhysRaster          *raster);
/* The frame under (x, y), or VA_PFN_NONE. */
guint32  va_phys_view_hit     (const VaMachine       *m,
                               const VaRect          *rect,
                               double                 x,
                               double                 y);
/* Centre of frame @pfn's cell (for links). */
void     va_phys_view_frame_point (const VaMachine   *m,
                                   const VaRect      *rect,
                                   guint32            pfn,
                                   double            *x,
                                   double            *y);

G_END_DECLS
