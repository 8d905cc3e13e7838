/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-render"

#include "va-raster-prefetch.h"
#include "va-background-thread.h"

#include "va-frame-classes.h"
#include "va-phys-view.h"
#include "va-profile.h"

struct _VaRasterPrefetch {
  GThread      *thread;
  /* Read by the thread; owned by the prefetch. */
  guint8       *classes;
  guint32       nr_pfns;
  guint         max_order;
  VaPalette    *palette;
  VaPhysLayout  layout;
  /* Made by the thread. */
  VaPhysRaster *raster;
  /* Dropped: the last of the thread and the caller to be done frees it. */
  gint          refs;
};

static void
prefetch_unref (VaRasterPrefetch *prefetch)
{
  if (!g_atomic_int_dec_and_test (&prefetch->refs))
    return;
  g_free (prefetch->classes);
  va_palette_free (prefetch->palette);
  g_clear_pointer (&prefetch->raster, va_phys_raster_free);
  g_free (prefetch);
}

static gpointer
prefetch_thread (gpointer data)
{
  VaRasterPrefetch *p = data;
  const VaPhysLayout *l = &p->layout;

  p->raster = va_phys_raster_new ();
  va_phys_raster_update_from_classes (p->raster, p->classes, p->nr_pfns, p->max_order, p->palette,
                                      l->columns, l->first, l->count);
  if (l->cell < 1 && va_phys_raster_get_surface (p->raster))
    va_phys_raster_get_reduced (p->raster, l->cell);
  prefetch_unref (p);
  return NULL;
}

VaRasterPrefetch *
va_raster_prefetch_start (const VaMachine       *m,
                          const VaRect          *rect,
                          const VaRenderOptions *options)
{
  VaRasterPrefetch *p;

  g_return_val_if_fail (m != NULL && rect != NULL && options != NULL, NULL);
  g_return_val_if_fail (options->palette != NULL, NULL);

  p = g_new0 (VaRasterPrefetch, 1);
  p->classes = g_malloc (MAX (m->nr_pfns, 1));
  va_frame_classes_fill (m, p->classes);
  p->nr_pfns = m->nr_pfns;
  p->max_order = m->profile->max_order;
  p->palette = va_palette_copy (options->palette);
  va_phys_view_layout_zoomed (m, rect, options, &p->layout);
  p->refs = 2;
  p->thread = va_background_thread_new ("va-raster", prefetch_thread, p);
  return p;
}

static gboolean
same_layout (const VaPhysLayout *a,
             const VaPhysLayout *b)
{
  return a->columns == b->columns && a->first == b->first && a->count == b->count &&
         a->cell == b->cell;
}

gboolean
va_raster_prefetch_fits (VaRasterPrefetch      *prefetch,
                         const VaMachine       *m,
                         const VaRect          *rect,
                         const VaRenderOptions *options)
{
  VaPhysLayout now;

  g_return_val_if_fail (prefetch != NULL, FALSE);
  g_return_val_if_fail (m != NULL && rect != NULL && options != NULL, FALSE);

  va_phys_view_layout_zoomed (m, rect, options, &now);
  return prefetch->nr_pfns == m->nr_pfns && same_layout (&prefetch->layout, &now);
}

VaPhysRaster *
va_raster_prefetch_finish (VaRasterPrefetch      *prefetch,
                           const VaMachine       *m,
                           const VaRect          *rect,
                           const VaRenderOptions *options)
{
  VaPhysRaster *raster = NULL;

  g_return_val_if_fail (prefetch != NULL, NULL);
  g_return_val_if_fail (m != NULL && rect != NULL && options != NULL, NULL);

  g_thread_join (g_steal_pointer (&prefetch->thread));
  if (va_raster_prefetch_fits (prefetch, m, rect, options) &&
      va_phys_raster_is_valid (prefetch->raster))
    raster = g_steal_pointer (&prefetch->raster);
  prefetch_unref (prefetch);
  return raster;
}

void
va_raster_prefetch_cancel (VaRasterPrefetch *prefetch)
{
  if (prefetch == NULL)
    return;
  g_thread_unref (g_steal_pointer (&prefetch->thread));
  prefetch_unref (prefetch);
}
