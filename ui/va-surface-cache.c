/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-surface-cache"

#include "va-surface-cache.h"

cairo_t *
va_surface_cache_begin (VaSurfaceCache *cache,
                        GtkWidget      *widget)
{
  int scale, w, h;

  g_return_val_if_fail (cache != NULL, NULL);
  g_return_val_if_fail (gtk_widget_get_realized (widget), NULL);

  scale = gtk_widget_get_scale_factor (widget);
  if (cache->surface && cache->scale != scale)
    va_surface_cache_clear (cache);
  if (cache->surface == NULL)
    {
      /* Never 0x0: a widget can be drawn before its first allocation. */
      w = MAX (gtk_widget_get_allocated_width (widget), 1);
      h = MAX (gtk_widget_get_allocated_height (widget), 1);
      cache->surface = gdk_window_create_similar_image_surface (gtk_widget_get_window (widget),
                                                                CAIRO_FORMAT_ARGB32,
                                                                w * scale, h * scale, scale);
      cache->scale = scale;
      cache->dirty = TRUE;
    }
  if (!cache->dirty)
    return NULL;
  cache->dirty = FALSE;
  return cairo_create (cache->surface);
}

cairo_surface_t *
va_surface_cache_get (VaSurfaceCache *cache)
{
  g_return_val_if_fail (cache != NULL, NULL);
  return cache->surface;
}

void
va_surface_cache_dirty (VaSurfaceCache *cache)
{
  g_return_if_fail (cache != NULL);
  cache->dirty = TRUE;
}

void
va_surface_cache_clear (VaSurfaceCache *cache)
{
  g_return_if_fail (cache != NULL);
  g_clear_pointer (&cache->surface, cairo_surface_destroy);
  cache->dirty = TRUE;
}
