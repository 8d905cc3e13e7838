/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-phys-raster.h"
#include "va-render.h"

G_BEGIN_DECLS

/* The raster of a physical map made on a worker thread, ahead of the
 * draw that needs it: a 4 GiB machine's first picture is a million frames
 * painted and box-filtered (~5 ms), which can run while GTK still lays
 * the window out.  Only the frame classes are read from the machine, at
 * the start, on the calling thread; the thread owns copies of everything
 * else, so a prefetch can be dropped at any time without waiting. */
typedef struct _VaRasterPrefetch VaRasterPrefetch;

VaRasterPrefetch *va_raster_prefetch_start  (const VaMachine       *m,
                                             const VaRect          *rect,
                                             const VaRenderOptions *options);
/* Whether it makes the raster for @m in @rect as they are now (the same
 * window, columns and reduction); does not wait. */
gboolean          va_raster_prefetch_fits   (VaRasterPrefetch      *prefetch,
                                             const VaMachine       *m,
                                             const VaRect          *rect,
                                             const VaRenderOptions *options);
/* Waits for the thread and returns its raster when it is what
 * va_phys_view_draw_raster() would make for @m in @rect now (the same
 * window, columns and reduction), else NULL.  Frees @prefetch.  The caller
 * knows the machine did not change since the start. */
VaPhysRaster     *va_raster_prefetch_finish (VaRasterPrefetch      *prefetch,
                                             const VaMachine       *m,
                                             const VaRect          *rect,
                                             const VaRenderOptions *options);
/* Drops it without waiting: the thread frees what it made. */
void              va_raster_prefetch_cancel (VaRasterPrefetch      *prefetch);

G_END_DECLS
