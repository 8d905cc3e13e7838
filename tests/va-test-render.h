/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pixel helpers shared by the drawing and export tests.  Kept apart from
 * va-test-util so the engine tests and benchmarks need no Cairo. */
#pragma once

#include "va-palette.h"

#include <cairo.h>

G_BEGIN_DECLS

/* The colour at (@x, @y) of an RGB24 or ARGB32 image surface, as 0xRRGGBB
 * (alpha dropped). */
guint32 va_test_pixel (cairo_surface_t *surface,
                       int              x,
                       int              y);
/* A palette role's colour as 0xRRGGBB, rounded as Cairo rounds it. */
guint32 va_test_rgb24 (const VaPalette *palette,
                       VaColorRole      role);

G_END_DECLS
