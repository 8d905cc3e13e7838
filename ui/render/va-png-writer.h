/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"
#include "va-palette.h"

G_BEGIN_DECLS

/* Writes @indices (@width x @height bytes, row after row) as an 8-bit
 * indexed-colour PNG with @n_colors entries of @palette (1..256), no row
 * filter, zlib level @compression_level (0..9).  Atomic: the image goes to
 * a temporary file beside @path, is fsync()ed and renamed over @path; on any
 * error the temporary file is removed and an existing @path is untouched.
 * Errors are G_FILE_ERROR and name @path. */
gboolean va_png_write_indexed (const char      *path,
                               guint32          width,
                               guint32          height,
                               const guint8    *indices,
                               const VaRgb     *palette,
                               guint            n_colors,
                               int              compression_level,
                               GError         **error);

/* The physical map alone as a @width x @height PNG, pfn 0 at the top left,
 * @width frames per row: one frame per pixel when the image has room for
 * every frame (the rest is background), otherwise every k-th frame.  Frame
 * classes go straight into the index buffer (palette index = frame class),
 * which is what makes it several times faster than drawing with Cairo and
 * writing the RGB surface. */
gboolean va_phys_export_png   (VaMachine       *m,
                               const char      *path,
                               guint32          width,
                               guint32          height,
                               const VaPalette *palette,
                               GError         **error);

G_END_DECLS
