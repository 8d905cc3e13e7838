/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-render"

#include "va-render.h"

/* Everything off or empty except the type size, so a caller sets only what
 * it shows: no title, no selection, the whole virtual and physical maps, no
 * pageblocks. */
void
va_render_options_init (VaRenderOptions *options,
                        const VaPalette *palette)
{
  g_return_if_fail (options != NULL);

  *options = (VaRenderOptions) {
    .palette = palette,
    .font_size = VA_RENDER_DEFAULT_FONT_SIZE,
  };
}

gboolean
va_render_clip_meets_columns (cairo_t *cr,
                              double   x0,
                              double   x1)
{
  double cx0, cy0, cx1, cy1;

  g_return_val_if_fail (cr != NULL, FALSE);
  cairo_clip_extents (cr, &cx0, &cy0, &cx1, &cy1);
  return cx1 > x0 && cx0 < x1;
}
