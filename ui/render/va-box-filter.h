/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An area-weighted (box) reduction of an xRGB32 image by one scale < 1 on
 * both axes: each reduced pixel is the mean of the source pixels it covers,
 * a source pixel weighted by how much of it the reduced pixel covers.  The
 * taps are worked out once; a reduced pixel depends only on its own source
 * area, so filtering some rows again gives the same pixels as filtering
 * the whole image.  Plain data with scratch rows: not thread-safe. */
typedef struct _VaBoxFilter VaBoxFilter;

VaBoxFilter *va_box_filter_new        (guint32            src_width,
                                       guint32            src_height,
                                       double             scale);
void         va_box_filter_free       (VaBoxFilter       *filter);

/* The reduced image's size: ceil (src × scale) each way, at least 1. */
guint32      va_box_filter_get_width  (const VaBoxFilter *filter);
guint32      va_box_filter_get_height (const VaBoxFilter *filter);

/* Reduced rows [@y0, @y1) of @src (src_width × src_height pixels, @src_stride
 * bytes a row) into @dst (@dst_stride bytes a row, row 0 at @dst). */
void         va_box_filter_rows       (VaBoxFilter       *filter,
                                       const guint8      *src,
                                       int                src_stride,
                                       guint8            *dst,
                                       int                dst_stride,
                                       guint32            y0,
                                       guint32            y1);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaBoxFilter, va_box_filter_free)

G_END_DECLS
