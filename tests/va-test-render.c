/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "va-test-render.h"

#include <math.h>

guint32
va_test_pixel (cairo_surface_t *surface,
               int              x,
               int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return ((const guint32 *) (data + y * cairo_image_surface_get_stride (surface)))[x] & 0xFFFFFF;
}

guint32
va_test_rgb24 (const VaPalette *palette,
               VaColorRole      role)
{
  VaRgb c = va_palette_get (palette, role);

  return ((guint32) lround (c.r * 255) << 16) | ((guint32) lround (c.g * 255) << 8) |
         (guint32) lround (c.b * 255);
}
