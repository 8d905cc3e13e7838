/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench-render: the physical map of a fragmented 4 GiB machine drawn into
 * a 1920 x 1080 image surface, as the GUI canvas does:
 *   - redraw with the raster up to date (scaled blit + zone bands + line),
 *     target <= 4 ms;
 *   - full raster refresh (every pixel repainted) plus the redraw;
 *   - incremental update after an op that changed ~100 frames, plus the
 *     redraw, as a ratio to the full refresh measured in the same run.
 * Medians over repeated runs in one process. */
#include "va-phys-view.h"
#include "va-runner.h"
#include "va-test-util.h"

#include <stdio.h>
#include <stdlib.h>

#define REPS 50




static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

typedef struct {
  cairo_surface_t *target;
  cairo_t         *cr;
  VaRect           rect;
  VaRenderOptions  options;
  VaPhysRaster    *raster;
  guint32          columns;
} Canvas;

static double
time_draw (Canvas    *c,
           VaMachine *m)
{
  gint64 start = g_get_monotonic_time ();

  va_phys_view_draw_raster (c->cr, m, &c->rect, &c->options, c->raster);
  cairo_surface_flush (c->target);
  return ms_since (start);
}

/* vmalloc of 100 pages, or its vfree: ~100 frames change class. */
static void
apply_vmalloc (VaMachine *m,
               gboolean   alloc)
{
  g_autoptr(VaOp) op = va_op_new (alloc ? VA_OP_VMALLOC : VA_OP_VFREE);
  g_autoptr(GError) error = NULL;
  VaOpResult result = { 0 };

  op->name = g_strdup ("bench");
  op->size = 100 * VA_PAGE_SIZE;
  if (!va_machine_apply (m, op, &result, &error) || result.failed)
    g_error ("vmalloc: %s", error ? error->message : result.reason);
  va_op_result_clear (&result);
}

int
main (void)
{
  g_autoptr(VaPalette) light = va_palette_default (FALSE);
  g_autoptr(VaPalette) dark = va_palette_default (TRUE);
  g_autoptr(VaMachine) m = va_test_run ("machine ram=4G profile=linux-2.6.9\n"
                                         "workload fragment seed=7 ops=20000\n");
  double blit[REPS], full[REPS], full_draw[REPS], incr[REPS], incr_draw[REPS];
  guint64 changed = 0;
  Canvas c = { .rect = { 0, 0, 1920, 1080 } };
  VaPhysLayout l;

  c.target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1920, 1080);
  c.cr = cairo_create (c.target);
  c.raster = va_phys_raster_new ();
  va_render_options_init (&c.options, light);
  va_phys_view_layout (m, &c.rect, &l);
  c.columns = l.columns;
  time_draw (&c, m);   /* warm up: fonts, the raster */

  for (guint r = 0; r < REPS; r++)
    blit[r] = time_draw (&c, m);

  for (guint r = 0; r < REPS; r++)
    {
      /* Switching palettes forces every pixel to be repainted. */
      const VaPalette *p = r % 2 ? light : dark;
      gint64 start = g_get_monotonic_time ();

      va_phys_raster_update (c.raster, m, p, c.columns);
      full[r] = ms_since (start);
      c.options.palette = p;
      full_draw[r] = full[r] + time_draw (&c, m);
    }
  c.options.palette = light;
  va_phys_raster_update (c.raster, m, light, c.columns);

  for (guint r = 0; r < REPS; r++)
    {
      gint64 start;

      apply_vmalloc (m, r % 2 == 0);
      va_phys_raster_invalidate (c.raster);
      start = g_get_monotonic_time ();
      changed += va_phys_raster_update (c.raster, m, light, c.columns);
      incr[r] = ms_since (start);
      incr_draw[r] = incr[r] + time_draw (&c, m);
    }

  printf ("4 GiB physical map (%u frames, %u columns, cell %.0f) into 1920x1080:\n",
          m->nr_pfns, l.columns, l.cell);
  printf ("  redraw, raster up to date       %7.3f ms  (target <= 4)\n", va_test_median (blit, REPS));
  printf ("  full raster refresh             %7.3f ms\n", va_test_median (full, REPS));
  printf ("  full refresh + redraw           %7.3f ms\n", va_test_median (full_draw, REPS));
  printf ("  incremental update (%3" G_GUINT64_FORMAT " frames)  %7.3f ms\n",
          changed / REPS, va_test_median (incr, REPS));
  printf ("  incremental update + redraw     %7.3f ms\n", va_test_median (incr_draw, REPS));
  printf ("  incremental / full refresh      %7.3f\n", va_test_median (incr, REPS) / va_test_median (full, REPS));

  va_phys_raster_free (c.raster);
  cairo_destroy (c.cr);
  cairo_surface_destroy (c.target);
  return 0;
}
