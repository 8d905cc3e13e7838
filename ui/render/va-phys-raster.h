/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <cairo.h>

#include "va-machine.h"
#include "va-palette.h"

G_BEGIN_DECLS

/* The physical map's cached image: one pixel per frame (pfn n at column
 * n % columns, row n / columns) in a cairo RGB24 surface, plus the frame
 * class each pixel shows.  An update recomputes the classes and repaints
 * only the pixels whose class changed, so after an op that touched a few
 * blocks the cost is one pass over a byte array, not a full repaint.
 *
 * Plain data owned by one view (the GUI canvas, a bench): no globals, not
 * thread-safe. */
typedef struct _VaPhysRaster VaPhysRaster;

VaPhysRaster    *va_phys_raster_new         (void);
void             va_phys_raster_free        (VaPhysRaster    *raster);

/* The machine or palette changed: the next va_phys_view_draw_raster()
 * updates first (repainting only what changed).  Cheap; call it after
 * every op, seek, machine switch or palette switch. */
void             va_phys_raster_invalidate  (VaPhysRaster    *raster);
gboolean         va_phys_raster_is_valid    (const VaPhysRaster *raster);

/* Brings the raster up to date with @m drawn in @palette, @columns frames
 * per row.  A new machine size, palette or column count repaints every
 * pixel; otherwise only frames whose class changed.  Returns the number of
 * frames repainted. */
guint32          va_phys_raster_update      (VaPhysRaster    *raster,
                                             const VaMachine *m,
                                             const VaPalette *palette,
                                             guint32          columns);

/* The image reduced to @cell (< 1) pixels per frame with a box filter, so
 * every frame still counts toward its pixel (a nearest-neighbour scale
 * would drop most frames of a 64 GiB map).  Made whole on first use (and
 * after a full repaint): box-filtering 16 M frames costs ~0.3 s.  After an
 * incremental update only the reduced pixels around the frames that
 * changed are filtered again, which gives the same pixels.  Owned by
 * @raster. */
/* Same for a zoomed view: the surface holds only frames [@first, @first +
 * @count) (clamped to @m), @first at the top left.  The classes still
 * cover the whole machine; only the window's are compared and painted. */
guint32          va_phys_raster_update_window (VaPhysRaster    *raster,
                                               const VaMachine *m,
                                               const VaPalette *palette,
                                               guint32          columns,
                                               guint32          first,
                                               guint32          count);

/* Has the scratch memory the next update writes first touched on a
 * background thread (va_background_touch()); the update waits for it.
 * For after the first picture, before the first change. */
void             va_phys_raster_warm_up       (VaPhysRaster    *raster);

/* The same from classes made before (va_frame_classes_fill() of a machine
 * of @nr_pfns frames and @max_order): the machine is not read, so a
 * raster can be brought up to date on another thread from a copy. */
guint32          va_phys_raster_update_from_classes (VaPhysRaster    *raster,
                                                     const guint8    *classes,
                                                     guint32          nr_pfns,
                                                     guint            max_order,
                                                     const VaPalette *palette,
                                                     guint32          columns,
                                                     guint32          first,
                                                     guint32          count);

cairo_surface_t *va_phys_raster_get_reduced (VaPhysRaster    *raster,
                                             double           cell);
/* columns x rows pixels, the window's frames; NULL before the first
 * update.  Owned by @raster. */
cairo_surface_t *va_phys_raster_get_surface (const VaPhysRaster *raster);
guint32          va_phys_raster_get_columns (const VaPhysRaster *raster);
/* The machine's frame count, and the window the surface shows. */
guint32          va_phys_raster_get_n_frames (const VaPhysRaster *raster);
guint32          va_phys_raster_get_first   (const VaPhysRaster *raster);
guint32          va_phys_raster_get_count   (const VaPhysRaster *raster);
/* The class of every frame as of the last update (nr_pfns bytes). */
const guint8    *va_phys_raster_get_classes (const VaPhysRaster *raster);

/* Rows [@y0, @y1) of the map's picture, in pixels from its top. */
typedef void (*VaPhysRasterRowsFunc) (int      y0,
                                      int      y1,
                                      gpointer data);

/* The rows of the picture drawn from the raster at @cell pixels a frame
 * (the reduced image below 1) that changed since the last call, in runs
 * top down, then forgets them: a cached picture of the map redraws only
 * those.  Everything after a full repaint, or when the reduced image is
 * made again. */
void             va_phys_raster_take_damage (VaPhysRaster         *raster,
                                             double                cell,
                                             VaPhysRasterRowsFunc  func,
                                             gpointer              data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaPhysRaster, va_phys_raster_free)

G_END_DECLS
