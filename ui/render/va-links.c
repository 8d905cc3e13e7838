/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Virtual → physical links between the two maps. */
#define G_LOG_DOMAIN "va-render"

#include "va-links.h"

#include "va-phys-view.h"
#include "va-virt-view.h"

#include <math.h>

static void
set_link_color (cairo_t         *cr,
                const VaPalette *palette,
                double           alpha)
{
  VaRgb c = va_palette_get (palette, VA_COLOR_LINK);

  cairo_set_source_rgba (cr, c.r, c.g, c.b, alpha);
}

/* A band from [vy_top, vy_bottom] on the bar's right edge to the rows
 * [py_top, py_bottom] at the left edge of the physical map. */
static void
band (cairo_t *cr,
      double   vx,
      double   vy_top,
      double   vy_bottom,
      double   px,
      double   py_top,
      double   py_bottom)
{
  double mid = (vx + px) / 2;

  cairo_move_to (cr, vx, vy_top);
  cairo_curve_to (cr, mid, vy_top, mid, py_top, px, py_top);
  cairo_line_to (cr, px, py_bottom);
  cairo_curve_to (cr, mid, py_bottom, mid, vy_bottom, vx, vy_bottom);
  cairo_close_path (cr);
}

static gboolean
frame_rows (const VaPhysLayout *pl,
            guint32             first,
            guint32             last,
            double             *top,
            double             *bottom)
{
  guint32 cols = MAX (pl->columns, 1);
  guint64 end = pl->count ? (guint64) pl->first + pl->count : G_MAXUINT32;

  /* only the part of [first, last] inside a zoomed window is drawn */
  if (last < pl->first || first >= end)
    return FALSE;
  first = MAX (first, pl->first) - pl->first;
  last = MIN (last, end - 1) - pl->first;
  *top = pl->map.y + (first / cols) * pl->cell;
  *bottom = pl->map.y + (last / cols + 1) * pl->cell;
  return TRUE;
}

/* The linear map: PAGE_OFFSET.. high_memory is pfn 0..max_low_pfn; its
 * ends on the bar and in the grid, FALSE when either is not shown. */
static gboolean
linear_band (VaMachine          *m,
             GArray             *segs,
             const VaPhysLayout *pl,
             double             *vt,
             double             *vb,
             double             *pt,
             double             *pb)
{
  const VaLayout *l = &m->layout;

  *vb = va_virt_view_segments_addr_y (segs, l->page_offset);
  *vt = va_virt_view_segments_addr_y (segs, l->high_memory);
  return !isnan (*vb) && !isnan (*vt) && l->max_low_pfn > 0 &&
         frame_rows (pl, 0, l->max_low_pfn - 1, pt, pb);
}

static void
fan_line (cairo_t *cr,
          double   vx,
          double   vy,
          double   px,
          double   py)
{
  double mid = (vx + px) / 2;

  cairo_move_to (cr, vx, vy);
  cairo_curve_to (cr, mid, vy, mid, py, px, py);
}

void
va_links_draw (cairo_t               *cr,
               VaMachine             *m,
               const VaRect          *virt_rect,
               const VaRect          *phys_rect,
               const VaRenderOptions *options)
{
  const VaPalette *palette = options->palette;
  const VaLayout *l = &m->layout;
  g_autoptr(GArray) segs = va_virt_view_layout (m, virt_rect, options);
  VaPhysLayout pl;
  VaRect bar;
  const VaAllocation *a;
  double vx, px, vt, vb, pt, pb;

  g_return_if_fail (cr != NULL && m != NULL && options != NULL);
  cairo_save (cr);
  va_virt_view_bar (m, virt_rect, options, &bar);
  va_phys_view_layout_zoomed (m, phys_rect, options, &pl);
  vx = bar.x + bar.width;
  px = pl.map.x;

  if (linear_band (m, segs, &pl, &vt, &vb, &pt, &pb))
    {
      band (cr, vx, vt, vb, px, pt, pb);
      set_link_color (cr, palette, 0.10);
      cairo_fill (cr);
    }

  a = options->select ? va_machine_lookup (m, options->select) : NULL;
  if (a == NULL || a->state != VA_ALLOC_LIVE)
    {
      cairo_restore (cr);
      return;
    }

  if (a->kind == VA_ALLOC_VMALLOC)
    {
      /* One line per page: virtually contiguous, physically scattered. */
      set_link_color (cr, palette, 0.85);
      cairo_set_line_width (cr, 1.2);
      for (guint32 i = 0; i < a->nr_pages; i++)
        {
          double vy = va_virt_view_segments_addr_y (segs, (guint64) a->virt + i * VA_PAGE_SIZE +
                                                          VA_PAGE_SIZE / 2);
          double fx, fy;

          if (isnan (vy) || a->pfns[i] == VA_PFN_NONE)
            continue;
          va_phys_view_frame_point_zoomed (m, phys_rect, options, a->pfns[i], &fx, &fy);
          fan_line (cr, vx, vy, fx, fy);
          cairo_stroke (cr);
          /* A dot that stays inside its frame's cell when zoomed in,
           * ringed so it shows on a vmalloc frame's blue. */
          cairo_arc (cr, fx, fy, CLAMP (pl.cell * 0.3, 2.5, 6.0), 0, 2 * G_PI);
          cairo_fill_preserve (cr);
          if (pl.cell >= 8)
            {
              va_render_set_color (cr, palette, VA_COLOR_BACKGROUND);
              cairo_stroke (cr);
              set_link_color (cr, palette, 0.85);
            }
          cairo_new_path (cr);
        }
    }
  else if (a->virt && a->pfn != VA_PFN_NONE)
    {
      /* The linear map (or one pkmap slot): a straight shift, one band. */
      guint32 pages = a->kind == VA_ALLOC_KMAP ? 1
                      : a->kind == VA_ALLOC_KMALLOC ? MAX ((a->size + VA_PAGE_SIZE - 1) >> VA_PAGE_SHIFT, 1)
                      : a->nr_pages ? a->nr_pages : 1u << a->order;
      guint32 pfn = a->kind == VA_ALLOC_KMALLOC && a->virt >= l->page_offset
                    ? (a->virt - l->page_offset) >> VA_PAGE_SHIFT : a->pfn;
      guint64 vend = a->kind == VA_ALLOC_KMALLOC ? (guint64) a->virt + MAX (a->size, 1)
                     : (guint64) a->virt + (guint64) pages * VA_PAGE_SIZE;
      double fx0, fy0, fx1, fy1;

      vb = va_virt_view_segments_addr_y (segs, a->virt);
      vt = va_virt_view_segments_addr_y (segs, vend);
      if (!isnan (vb))
        {
          if (isnan (vt) || vb - vt < 3)
            vt = vb - 3;
          va_phys_view_frame_point_zoomed (m, phys_rect, options, pfn, &fx0, &fy0);
          va_phys_view_frame_point_zoomed (m, phys_rect, options, pfn + pages - 1, &fx1, &fy1);
          pt = MIN (fy0, fy1) - MAX (pl.cell / 2, 1.5);
          pb = MAX (fy0, fy1) + MAX (pl.cell / 2, 1.5);
          band (cr, vx, vt, vb, MIN (fx0, fx1), pt, pb);
          set_link_color (cr, palette, 0.45);
          cairo_fill_preserve (cr);
          set_link_color (cr, palette, 0.9);
          cairo_set_line_width (cr, 1);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

/* The selection's links read the allocation, its frames and where its
 * addresses are on the bar (the segments' places). */
static void
digest_selection (GString            *out,
                  const VaAllocation *a,
                  GArray             *segs)
{
  va_render_digest_add (out, &a->kind, sizeof a->kind);
  va_render_digest_add (out, &a->virt, sizeof a->virt);
  va_render_digest_add (out, &a->pfn, sizeof a->pfn);
  va_render_digest_add (out, &a->size, sizeof a->size);
  va_render_digest_add (out, &a->order, sizeof a->order);
  va_render_digest_add (out, &a->nr_pages, sizeof a->nr_pages);
  if (a->pfns)
    va_render_digest_add (out, a->pfns, a->nr_pages * sizeof *a->pfns);
  for (guint i = 0; i < segs->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);

      va_render_digest_add (out, &s->start, sizeof s->start);
      va_render_digest_add (out, &s->end, sizeof s->end);
      va_render_digest_add (out, &s->y_top, sizeof s->y_top);
      va_render_digest_add (out, &s->y_bottom, sizeof s->y_bottom);
    }
}

void
va_links_digest (VaMachine             *m,
                 const VaRect          *virt_rect,
                 const VaRect          *phys_rect,
                 const VaRenderOptions *options,
                 GString               *band_out,
                 GString               *selection_out)
{
  g_autoptr(GArray) segs = NULL;
  const VaAllocation *a;
  VaPhysLayout pl;
  double v[4];

  g_return_if_fail (m != NULL && options != NULL && band_out != NULL && selection_out != NULL);
  g_string_truncate (band_out, 0);
  g_string_truncate (selection_out, 0);
  segs = va_virt_view_layout (m, virt_rect, options);
  va_phys_view_layout_zoomed (m, phys_rect, options, &pl);
  if (linear_band (m, segs, &pl, &v[0], &v[1], &v[2], &v[3]))
    va_render_digest_add (band_out, v, sizeof v);
  a = options->select ? va_machine_lookup (m, options->select) : NULL;
  if (a && a->state == VA_ALLOC_LIVE)
    digest_selection (selection_out, a, segs);
}
