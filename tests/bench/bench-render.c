/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench-render: the physical map of a fragmented 4 GiB machine drawn into
 * a 1920 x 1080 image surface, as the GUI canvas does:
 *   - redraw with the raster up to date (scaled blit + zone bands + line),
 *     target <= 4 ms;
 *   - full raster refresh (every pixel repainted) plus the redraw;
 *   - incremental update after an op that changed ~100 frames, plus the
 *     redraw, as a ratio to the full refresh measured in the same run;
 *   - the overview a smaller map shows (the raster box-filtered to under a
 *     pixel a frame): VaBoxFilter against cairo's own CAIRO_FILTER_GOOD
 *     downscale of the same image, which it replaced.
 * Medians over repeated runs in one process. */
#include "va-box-filter.h"
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

/* The baseline: cairo's downscale of @src into rows [@y0, @y1) of @dst,
 * as the raster's overview was made before VaBoxFilter. */
static double
time_cairo_reduce (cairo_surface_t *src,
                   cairo_surface_t *dst,
                   double           cell,
                   int              y0,
                   int              y1)
{
  gint64 start = g_get_monotonic_time ();
  cairo_t *cr = cairo_create (dst);

  cairo_rectangle (cr, 0, y0, cairo_image_surface_get_width (dst), y1 - y0);
  cairo_clip (cr);
  cairo_scale (cr, cell, cell);
  cairo_set_source_surface (cr, src, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (dst);
  return ms_since (start);
}

static double
time_box_reduce (VaBoxFilter     *filter,
                 cairo_surface_t *src,
                 cairo_surface_t *dst,
                 int              y0,
                 int              y1)
{
  gint64 start = g_get_monotonic_time ();

  va_box_filter_rows (filter, cairo_image_surface_get_data (src), cairo_image_surface_get_stride (src),
                      cairo_image_surface_get_data (dst), cairo_image_surface_get_stride (dst), y0, y1);
  return ms_since (start);
}

/* The overview at @cell, both ways: whole, and the few rows an op's
 * change reaches (what a playback frame filters again). */
static void
bench_reduce (VaPhysRaster *raster,
              double        cell)
{
  cairo_surface_t *src = va_phys_raster_get_surface (raster);
  g_autoptr(VaBoxFilter) filter = va_box_filter_new (cairo_image_surface_get_width (src),
                                                     cairo_image_surface_get_height (src), cell);
  int h = va_box_filter_get_height (filter);
  cairo_surface_t *dst = cairo_image_surface_create (CAIRO_FORMAT_RGB24, va_box_filter_get_width (filter), h);
  double box[REPS], base[REPS], box_rows[REPS], base_rows[REPS];

  cairo_surface_flush (src);
  for (guint r = 0; r < REPS; r++)
    {
      box[r] = time_box_reduce (filter, src, dst, 0, h);
      base[r] = time_cairo_reduce (src, dst, cell, 0, h);
      box_rows[r] = time_box_reduce (filter, src, dst, h / 2, h / 2 + 4);
      base_rows[r] = time_cairo_reduce (src, dst, cell, h / 2, h / 2 + 4);
    }
  printf ("  overview at %.2f px a frame (%ux%u), box filter vs cairo GOOD:\n"
          "    whole      %7.3f ms vs %7.3f ms (%.2fx)\n"
          "    4 rows     %7.3f ms vs %7.3f ms (%.2fx)\n",
          cell, va_box_filter_get_width (filter), h,
          va_test_median (box, REPS), va_test_median (base, REPS),
          va_test_median (box, REPS) / va_test_median (base, REPS),
          va_test_median (box_rows, REPS), va_test_median (base_rows, REPS),
          va_test_median (box_rows, REPS) / va_test_median (base_rows, REPS));
  cairo_surface_destroy (dst);
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
  /* the GUI's cells for a 4 GiB machine at 1920x1080 and 1200x1100 */
  bench_reduce (c.raster, 0.66);
  bench_reduce (c.raster, 0.45);

  va_phys_raster_free (c.raster);
  cairo_destroy (c.cr);
  cairo_surface_destroy (c.target);
  return 0;
}
