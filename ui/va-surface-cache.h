/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A widget's expensive picture, kept between draws (libdazzle's
 * DzlGraphView pattern): repainted only when marked dirty, made again at
 * the widget's size and scale when dropped or when the scale changed.
 * Plain data in the widget's struct, zero-initialised. */
typedef struct {
  cairo_surface_t *surface;
  int              scale;
  gboolean         dirty;
} VaSurfaceCache;

/* A context to repaint the picture into (destroy it when done) when it is
 * dirty or was just made; NULL when it is up to date.  The widget must be
 * realized (this runs from its draw handler). */
cairo_t         *va_surface_cache_begin   (VaSurfaceCache *cache,
                                           GtkWidget      *widget);
/* The picture to blit (after va_surface_cache_begin()). */
cairo_surface_t *va_surface_cache_get     (VaSurfaceCache *cache);
void             va_surface_cache_dirty   (VaSurfaceCache *cache);
/* Drops the picture: the size changed, or the widget goes away. */
void             va_surface_cache_clear   (VaSurfaceCache *cache);

G_END_DECLS
