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
  guint32 first;          /* frames shown: [first, first + count), first a */
  guint32 count;          /* multiple of columns; all of them unless zoomed */
} VaPhysLayout;

/* The whole machine. */
void     va_phys_view_layout  (const VaMachine       *m,
                               const VaRect          *rect,
                               VaPhysLayout          *out);
/* The frame range of @options (phys_first, phys_count; NULL or 0/0 = the
 * whole machine), with the column count chosen for that many frames. */
void     va_phys_view_layout_zoomed (const VaMachine       *m,
                                     const VaRect          *rect,
                                     const VaRenderOptions *options,
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
/* Brings @raster up to date as va_phys_view_draw_raster() would, and adds
 * to @damage (cairo_rectangle_int_t, user units) the rows of the map
 * whose picture changed since the last call: a cached picture redraws
 * only those. */
void     va_phys_view_update_raster (const VaMachine       *m,
                                     const VaRect          *rect,
                                     const VaRenderOptions *options,
                                     VaPhysRaster          *raster,
                                     GArray                *damage);
/* What the outline of the micro-step's block (options->has_mark) covers;
 * FALSE when there is none to draw. */
gboolean va_phys_view_mark_extents (const VaMachine       *m,
                                    const VaRect          *rect,
                                    const VaRenderOptions *options,
                                    VaRect                *out);
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
/* The same for the zoomed range of @options (NULL = whole machine).  A
 * frame outside the range is never hit; its point lies on the window's
 * top edge (frames before it) or bottom edge (after it), in its column. */
guint32  va_phys_view_hit_zoomed (const VaMachine       *m,
                                  const VaRect          *rect,
                                  const VaRenderOptions *options,
                                  double                 x,
                                  double                 y);
void     va_phys_view_frame_point_zoomed (const VaMachine       *m,
                                          const VaRect          *rect,
                                          const VaRenderOptions *options,
                                          guint32                pfn,
                                          double                *x,
                                          double                *y);

G_END_DECLS
