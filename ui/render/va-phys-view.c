/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The physical map: the frames as a raster scaled into the view, zone bands
 * on the left, the max_low_pfn line, and optionally pageblocks. */
#define G_LOG_DOMAIN "va-phys-view"

#include "va-phys-view.h"
#include "va-frame-classes.h"
#include "va-phys-raster.h"
#include "va-profile.h"
#include "va-text.h"

#include <math.h>

/* Room left of the grid for the zone bands and their names. */
#define BAND_MARGIN      24.0
#define BAND_STRIP_RATIO 0.25    /* the coloured strip; the rest is for the name */
/* cairo image surfaces are limited to 32767 pixels a side. */
#define MAX_RASTER_SIDE  32767u

/*** Layout: frames -> cells, in one place ***/

static double
band_margin (const VaRect *rect)
{
  return MIN (BAND_MARGIN, rect->width / 10);
}

/* Square cells, as large as fit: try every power-of-two column count and
 * keep the largest cell.  Power-of-two columns make every block, pageblock
 * and zone boundary of a power-of-two size line up with the grid; for the
 * same reason a zoomed range starts at a multiple of the columns, so each
 * candidate is measured with its own aligned start.  Cells of a pixel or
 * more are rounded down to whole units so the nearest-neighbour scale
 * stays crisp. */
static void
layout_range (const VaMachine *m,
              const VaRect    *rect,
              guint32          first,
              guint32          end,
              VaPhysLayout    *out)
{
  double margin, avail_w, avail_h, best_cell = -1;
  guint32 best_columns = 1, best_first = 0;

  margin = band_margin (rect);
  avail_w = MAX (rect->width - margin, 1);
  avail_h = MAX (rect->height, 1);
  for (guint32 c = 1; c <= MAX_RASTER_SIDE; c <<= 1)
    {
      guint32 start = first - first % c;
      guint32 rows = MAX ((end - start + c - 1) / c, 1);
      double cell = MIN (avail_w / c, avail_h / rows);

      if (rows <= MAX_RASTER_SIDE && cell > best_cell)
        {
          best_cell = cell;
          best_columns = c;
          best_first = start;
        }
    }
  if (best_cell >= 1)
    best_cell = floor (best_cell);

  out->columns = best_columns;
  out->first = best_first;
  out->count = end - best_first;
  out->rows = MAX ((out->count + best_columns - 1) / best_columns, 1);
  out->cell = best_cell;
  out->map = (VaRect) { rect->x + margin, rect->y,
                        out->columns * best_cell, out->rows * best_cell };
}

void
va_phys_view_layout_zoomed (const VaMachine       *m,
                            const VaRect          *rect,
                            const VaRenderOptions *options,
                            VaPhysLayout          *out)
{
  guint32 first = 0, end;

  g_return_if_fail (m != NULL);
  g_return_if_fail (rect != NULL);
  g_return_if_fail (out != NULL);

  end = m->nr_pfns;
  if (options && (options->phys_first || options->phys_count))
    {
      /* Clamped so a range past the end still shows the last frame. */
      first = MIN (options->phys_first, MAX (m->nr_pfns, 1) - 1);
      if (options->phys_count && options->phys_count < m->nr_pfns - first)
        end = first + options->phys_count;
    }
  layout_range (m, rect, first, MAX (end, first + 1), out);
}

void
va_phys_view_layout (const VaMachine *m,
                     const VaRect    *rect,
                     VaPhysLayout    *out)
{
  va_phys_view_layout_zoomed (m, rect, NULL, out);
}

static guint32
layout_end (const VaPhysLayout *l)
{
  return l->first + l->count;
}

/* Top-left corner of frame @pfn's cell; @pfn in the window, or its end. */
static void
cell_origin (const VaPhysLayout *l,
             guint32             pfn,
             double             *x,
             double             *y)
{
  guint32 i = pfn - l->first;

  *x = l->map.x + (i % l->columns) * l->cell;
  *y = l->map.y + (i / l->columns) * l->cell;
}

/* Top of the row holding @pfn (or, for the window's end, the row after). */
static double
pfn_row_top (const VaPhysLayout *l,
             guint32             pfn)
{
  return l->map.y + ((pfn - l->first) / l->columns) * l->cell;
}

guint32
va_phys_view_hit_zoomed (const VaMachine       *m,
                         const VaRect          *rect,
                         const VaRenderOptions *options,
                         double                 x,
                         double                 y)
{
  VaPhysLayout l;
  guint32 col, row;
  guint64 pfn;

  g_return_val_if_fail (m != NULL, VA_PFN_NONE);
  g_return_val_if_fail (rect != NULL, VA_PFN_NONE);

  va_phys_view_layout_zoomed (m, rect, options, &l);
  if (x < l.map.x || y < l.map.y || x >= l.map.x + l.map.width || y >= l.map.y + l.map.height)
    return VA_PFN_NONE;
  col = MIN ((guint32) ((x - l.map.x) / l.cell), l.columns - 1);
  row = MIN ((guint32) ((y - l.map.y) / l.cell), l.rows - 1);
  pfn = l.first + (guint64) row * l.columns + col;
  if (pfn >= layout_end (&l) || pfn >= m->nr_pfns)
    return VA_PFN_NONE;
  return (guint32) pfn;
}

guint32
va_phys_view_hit (const VaMachine *m,
                  const VaRect    *rect,
                  double           x,
                  double           y)
{
  return va_phys_view_hit_zoomed (m, rect, NULL, x, y);
}

/* A frame outside a zoomed window is pinned to the window's top or bottom
 * edge in its own column (the window starts at a multiple of the columns,
 * so the column is the one it would have), and links still fan toward it. */
void
va_phys_view_frame_point_zoomed (const VaMachine       *m,
                                 const VaRect          *rect,
                                 const VaRenderOptions *options,
                                 guint32                pfn,
                                 double                *x,
                                 double                *y)
{
  VaPhysLayout l;
  double cx, cy;

  g_return_if_fail (m != NULL);
  g_return_if_fail (rect != NULL);

  va_phys_view_layout_zoomed (m, rect, options, &l);
  if (pfn < l.first || pfn >= layout_end (&l))
    {
      cx = l.map.x + (pfn % l.columns) * l.cell + l.cell / 2;
      cy = pfn < l.first ? l.map.y : l.map.y + l.map.height;
    }
  else
    {
      cell_origin (&l, pfn, &cx, &cy);
      cx += l.cell / 2;
      cy += l.cell / 2;
    }
  if (x)
    *x = cx;
  if (y)
    *y = cy;
}

void
va_phys_view_frame_point (const VaMachine *m,
                          const VaRect    *rect,
                          guint32          pfn,
                          double          *x,
                          double          *y)
{
  va_phys_view_frame_point_zoomed (m, rect, NULL, pfn, x, y);
}

/*** Drawing ***/

/* Cells of a pixel or more: a nearest-neighbour scale keeps every frame a
 * sharp square.  Smaller cells: nearest would silently drop frames (a lone
 * allocated page could vanish), so blit the raster's box-filtered copy,
 * which is cached until the machine changes. */
static void
paint_raster (cairo_t            *cr,
              const VaPhysLayout *l,
              VaPhysRaster       *raster)
{
  cairo_save (cr);
  cairo_translate (cr, l->map.x, l->map.y);
  if (l->cell >= 1)
    {
      cairo_scale (cr, l->cell, l->cell);
      cairo_set_source_surface (cr, va_phys_raster_get_surface (raster), 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
      cairo_rectangle (cr, 0, 0, l->columns, l->rows);
    }
  else
    {
      cairo_set_source_surface (cr, va_phys_raster_get_reduced (raster, l->cell), 0, 0);
      cairo_rectangle (cr, 0, 0, l->map.width, l->map.height);
    }
  cairo_fill (cr);
  cairo_restore (cr);
}

/* Zoomed in far enough that a cell is a small box: thin background lines
 * between the cells, so neighbouring frames of one colour (a block, a
 * vmalloc area's pages) can be told apart and counted.  At most a line
 * per GRID_MIN_CELL pixels of the map. */
#define GRID_MIN_CELL 8.0

static void
draw_cell_grid (cairo_t               *cr,
                const VaPhysLayout    *l,
                const VaRenderOptions *options)
{
  if (l->cell < GRID_MIN_CELL)
    return;
  cairo_save (cr);
  va_render_set_color (cr, options->palette, VA_COLOR_BACKGROUND);
  cairo_set_line_width (cr, 1);
  for (guint32 c = 1; c < l->columns; c++)
    {
      cairo_move_to (cr, l->map.x + c * l->cell, l->map.y);
      cairo_rel_line_to (cr, 0, l->map.height);
    }
  for (guint32 r = 1; r < l->rows; r++)
    {
      cairo_move_to (cr, l->map.x, l->map.y + r * l->cell);
      cairo_rel_line_to (cr, l->map.width, 0);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Cells this large carry their pfn in the top left corner (the middle
 * stays the frame's colour, for the eye and for hit tests). */
#define LABEL_MIN_CELL 40.0

static void
draw_cell_labels (cairo_t               *cr,
                  VaMachine             *m,
                  const VaPhysLayout    *l,
                  const VaRenderOptions *options,
                  VaPhysRaster          *raster)
{
  const guint8 *classes = va_phys_raster_get_classes (raster);
  double fs = MIN (l->cell * 0.2, va_render_font_size (options) * 0.8);

  if (l->cell < LABEL_MIN_CELL || classes == NULL)
    return;
  for (guint32 pfn = l->first; pfn < layout_end (l) && pfn < m->nr_pfns; pfn++)
    {
      VaRgb c = va_frame_class_rgb (options->palette, classes[pfn], m->profile->max_order);
      char num[16];
      double x, y;

      cell_origin (l, pfn, &x, &y);
      g_snprintf (num, sizeof num, "%u", pfn);
      va_text_set_color_on (cr, options->palette, c);
      va_text_draw_fit (cr, x + 3, y + 3 + va_text_line_height (fs, FALSE) / 2, VA_TEXT_LEFT, fs, FALSE,
                        l->cell - 6, num);
    }
}

/* A zoomed map says which frames it shows, under the grid when there is
 * room (the grid keeps its place, zoomed or not). */
static void
draw_zoom_label (cairo_t               *cr,
                 VaMachine             *m,
                 const VaRect          *rect,
                 const VaPhysLayout    *l,
                 const VaRenderOptions *options)
{
  double fs = va_render_font_size (options) * 0.9;
  double lh = va_text_line_height (fs, FALSE);
  guint32 last = MIN (layout_end (l), m->nr_pfns) - 1;
  g_autofree char *text = NULL;

  if (l->first == 0 && layout_end (l) >= m->nr_pfns)
    return;
  if (rect->y + rect->height - (l->map.y + l->map.height) < lh + 4)
    return;
  text = g_strdup_printf ("Frames %u–%u (0x%x–0x%x, zoom)", l->first, last, l->first, last);
  va_render_set_color (cr, options->palette, VA_COLOR_TEXT);
  va_text_draw_fit (cr, l->map.x, l->map.y + l->map.height + 2 + lh / 2, VA_TEXT_LEFT, fs, TRUE,
                    rect->x + rect->width - l->map.x, text);
}

static const VaColorRole zone_role[VA_NR_ZONES] = {
  [VA_ZONE_DMA]     = VA_COLOR_ZONE_DMA,
  [VA_ZONE_NORMAL]  = VA_COLOR_ZONE_NORMAL,
  [VA_ZONE_HIGHMEM] = VA_COLOR_ZONE_HIGHMEM,
  [VA_ZONE_MOVABLE] = VA_COLOR_ZONE_HIGHMEM,
};

/* The zone's name turned to run down the band.  Centred when it fits the
 * band; otherwise it starts at the band's top (the 16 MiB DMA band of a
 * 4 GiB map is 4 rows high) and is pushed below the previous name, so
 * names do not overlap, but never past the bottom of the view. */
static double
draw_zone_name (cairo_t               *cr,
                const VaRenderOptions *options,
                double                 x,
                double                 y0,
                double                 y1,
                double                 min_y,
                double                 max_y,
                double                 size,
                const char            *name)
{
  PangoLayout *layout = va_text_layout_cached (cr, size, FALSE, name);
  PangoRectangle logical;
  double w, h, top;

  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;
  top = w <= y1 - y0 ? (y0 + y1 - w) / 2 : y0;
  top = MIN (MAX (top, min_y), max_y - w);   /* a short last band: keep it inside */

  cairo_save (cr);
  va_render_set_color (cr, options->palette, VA_COLOR_TEXT);
  cairo_translate (cr, x + h, top);   /* rotated: the text's height runs along -x */
  cairo_rotate (cr, G_PI / 2);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  return top + w + 2;
}

static void
draw_zone_bands (cairo_t               *cr,
                 const VaMachine       *m,
                 const VaRect          *rect,
                 const VaPhysLayout    *l,
                 const VaRenderOptions *options)
{
  double margin = l->map.x - rect->x;
  double strip = margin * BAND_STRIP_RATIO;
  double size = MIN (va_render_font_size (options), (margin - strip) * 0.8);
  double next_name_y = rect->y;

  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      const VaZone *zone = &m->zones[z];
      guint32 start = MAX (zone->start_pfn, l->first);
      guint32 end = MIN (MIN (zone->end_pfn, m->nr_pfns), layout_end (l));
      double y0, y1;

      /* Only the part inside the (zoomed) window. */
      if (zone->spanned == 0 || start >= end)
        continue;
      y0 = pfn_row_top (l, start);
      y1 = pfn_row_top (l, end - 1) + l->cell;
      va_render_set_color (cr, options->palette, zone_role[z]);
      cairo_rectangle (cr, l->map.x - strip, y0, strip * 0.8, MAX (y1 - y0, 1));
      cairo_fill (cr);
      if (size >= 4)
        next_name_y = draw_zone_name (cr, options, rect->x, y0, y1, next_name_y,
                                      rect->y + rect->height, size, va_zone_name (z));
    }
}

/* The boundary between frames below and above @pfn: a straight line at a
 * row start, otherwise a step around the partial row.  The path is moved
 * by @inset onto the upper frames' side so a line of width 2 * @inset
 * covers whole pixel rows instead of blurring across two. */
static void
boundary_path (cairo_t            *cr,
               const VaPhysLayout *l,
               guint32             pfn,
               double              inset)
{
  double left = l->map.x, right = l->map.x + l->map.width;
  double x, y;

  cell_origin (l, pfn, &x, &y);
  x += inset;
  y += inset;
  if (pfn % l->columns == 0)
    {
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, right, y);
      return;
    }
  cairo_move_to (cr, left, y + l->cell);
  cairo_line_to (cr, x, y + l->cell);
  cairo_line_to (cr, x, y);
  cairo_line_to (cr, right, y);
}

static char *
max_low_pfn_label (guint32 max_low_pfn)
{
  g_autofree char *size = va_text_format_size ((guint64) max_low_pfn << VA_PAGE_SHIFT);

  return g_strdup_printf ("max_low_pfn (%s)", size);
}

/* Text over the frame grid sits on a box of the background colour, which
 * keeps it readable on any frame colour, in print too.  (A stroked halo
 * reads the same but costs a millisecond per redraw: it rasterises the
 * glyph outlines instead of using cairo's glyph cache.) */
static void
draw_boxed_text (cairo_t               *cr,
                 const VaRenderOptions *options,
                 double                 right,
                 double                 bottom,
                 double                 size,
                 const char            *text)
{
  PangoLayout *layout = va_text_layout_cached (cr, size, FALSE, text);
  PangoRectangle logical;
  double w, h, pad = 2;

  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;
  va_render_set_color (cr, options->palette, VA_COLOR_BACKGROUND);
  cairo_rectangle (cr, right - w - 2 * pad, bottom - h, w + 2 * pad, h);
  cairo_fill (cr);
  va_render_set_color (cr, options->palette, VA_COLOR_TEXT);
  cairo_move_to (cr, right - w - pad, bottom - h);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
}

static void
draw_max_low_pfn (cairo_t               *cr,
                  const VaMachine       *m,
                  const VaPhysLayout    *l,
                  const VaRenderOptions *options)
{
  guint32 mlp = m->layout.max_low_pfn;
  g_autofree char *label = NULL;
  double x, y, width;

  if (mlp == 0 || mlp >= m->nr_pfns)     /* no HighMem: no line */
    return;
  if (mlp <= l->first || mlp >= layout_end (l))   /* zoomed away: not a boundary here */
    return;

  width = CLAMP (floor (l->cell / 2), 1, 2);
  cairo_save (cr);
  boundary_path (cr, l, mlp, width / 2);
  va_render_set_color (cr, options->palette, VA_COLOR_TEXT);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);

  label = max_low_pfn_label (mlp);
  cell_origin (l, mlp, &x, &y);
  draw_boxed_text (cr, options, l->map.x + l->map.width, y,
                   va_render_font_size (options), label);
  cairo_restore (cr);
}

/* The letters of /proc/pagetypeinfo's columns, and a colour that says the
 * same thing without the letter when the block is too small for one. */
static const struct {
  const char *letter;
  VaColorRole role;
} mt_mark[VA_MT_TYPES] = {
  [VA_MT_UNMOVABLE]   = { "U", VA_COLOR_ALLOC_KMALLOC },
  [VA_MT_MOVABLE]     = { "M", VA_COLOR_ALLOC_MOVABLE },
  [VA_MT_RECLAIMABLE] = { "R", VA_COLOR_ALLOC_PAGES },
  [VA_MT_HIGHATOMIC]  = { "H", VA_COLOR_SELECTION },
  [VA_MT_CMA]         = { "C", VA_COLOR_ALLOC_CMA },
  [VA_MT_ISOLATE]     = { "I", VA_COLOR_ISOLATED },
};

/* A pageblock's rectangle, cut to the window: whole rows when a block is
 * at least a row long (columns and pageblocks are both powers of two, and
 * the window starts on a row), else part of one row. */
static void
pageblock_rect (const VaPhysLayout *l,
                guint32             first_pfn,
                guint32             frames,
                VaRect             *out)
{
  guint32 start = MAX (first_pfn, l->first);
  guint32 end = MIN (first_pfn + frames, layout_end (l));
  double x, y;

  cell_origin (l, start, &x, &y);
  if (frames >= l->columns)
    *out = (VaRect) { l->map.x, y, l->map.width,
                      ((end - start + l->columns - 1) / l->columns) * l->cell };
  else
    *out = (VaRect) { x, y, (end - start) * l->cell, l->cell };
}

static void
draw_pageblock_mark (cairo_t               *cr,
                     const VaRenderOptions *options,
                     const VaRect          *block,
                     guint8                 mt)
{
  double size = va_render_font_size (options) * 0.8;
  double side = MIN (MIN (block->width, block->height) * 0.6, size);
  VaRgb fill;

  if (mt >= VA_MT_TYPES || side < 2)
    return;
  fill = va_palette_get (options->palette, mt_mark[mt].role);
  cairo_set_source_rgb (cr, fill.r, fill.g, fill.b);
  cairo_rectangle (cr, block->x + 1, block->y + 1, side, side);
  cairo_fill (cr);
  if (side >= size * 0.9)
    {
      va_text_set_color_on (cr, options->palette, fill);
      va_text_draw (cr, block->x + 1 + side / 2, block->y + 1 + side / 2, VA_TEXT_CENTER,
                    side * 0.8, TRUE, mt_mark[mt].letter);
    }
}

static void
draw_pageblocks (cairo_t               *cr,
                 const VaMachine       *m,
                 const VaPhysLayout    *l,
                 const VaRenderOptions *options)
{
  guint32 frames = 1u << m->pageblock_order;
  guint32 first = l->first - l->first % frames;   /* the block the window starts in */
  guint32 end = MIN (layout_end (l), m->nr_pfns);
  VaRect block;

  /* Without mobility grouping (2.4, 2.6.9) there are no pageblocks. */
  if (!m->profile->has_migratetypes)
    return;
  /* A whole block's size, even if the window cuts the first one. */
  if (MIN (MIN (frames, l->columns) * l->cell,
           MAX (frames / l->columns, 1) * l->cell) < 3)   /* borders would fill the map */
    return;

  cairo_save (cr);
  va_render_set_color (cr, options->palette, VA_COLOR_GRID);
  cairo_set_line_width (cr, 1);
  for (guint32 pfn = first; pfn < end; pfn += frames)
    {
      pageblock_rect (l, pfn, frames, &block);
      cairo_rectangle (cr, block.x + 0.5, block.y + 0.5, block.width - 1, block.height - 1);
    }
  cairo_stroke (cr);
  for (guint32 pfn = first; pfn < end; pfn += frames)
    {
      pageblock_rect (l, pfn, frames, &block);
      draw_pageblock_mark (cr, options, &block, va_machine_pageblock_mt (m, pfn));
    }
  cairo_restore (cr);
}

/* The outline of @frames frames from @pfn: at least a few pixels wide so a
 * single frame of a 4 GiB map shows.  FALSE when outside the window. */
static gboolean
block_outline (const VaMachine    *m,
               const VaPhysLayout *l,
               guint32             pfn,
               guint32             frames,
               VaRect             *out)
{
  VaRect block;
  double grow;

  if (pfn >= m->nr_pfns || pfn + frames <= l->first || pfn >= layout_end (l))
    return FALSE;
  pageblock_rect (l, pfn, frames, &block);
  grow = MAX (0, (4 - MIN (block.width, block.height)) / 2);
  *out = (VaRect) { block.x - grow - 1, block.y - grow - 1,
                    block.width + 2 * grow + 2, block.height + 2 * grow + 2 };
  return TRUE;
}

/* The block of the current micro-step: an outline in the selection colour.
 * Its path now in @now and, for a migration in flight (both ends in the
 * window), where it left in @from; FALSE when the block is outside. */
static gboolean
mark_path_rects (const VaMachine       *m,
                 const VaPhysLayout    *l,
                 const VaRenderOptions *options,
                 VaRect                *from,
                 VaRect                *now,
                 gboolean              *flies)
{
  guint32 frames = 1u << MIN (options->mark_order, 20u);
  VaRect to;
  double t;

  *flies = FALSE;
  if (!block_outline (m, l, options->mark_pfn, frames, from))
    return FALSE;
  *now = *from;
  if (!options->mark_flies || !block_outline (m, l, options->mark_to_pfn, frames, &to))
    return TRUE;
  /* eased: it leaves and lands gently */
  t = CLAMP (options->mark_t, 0.0, 1.0);
  t = t * t * (3 - 2 * t);
  *now = (VaRect) { from->x + (to.x - from->x) * t, from->y + (to.y - from->y) * t,
                    from->width + (to.width - from->width) * t,
                    from->height + (to.height - from->height) * t };
  *flies = TRUE;
  return TRUE;
}

#define MARK_LINE_WIDTH 2.0

static void
draw_mark (cairo_t               *cr,
           const VaMachine       *m,
           const VaPhysLayout    *l,
           const VaRenderOptions *options)
{
  static const double dash[] = { 3, 2 };
  VaRect from, now;
  gboolean flies;

  if (!mark_path_rects (m, l, options, &from, &now, &flies))
    return;
  cairo_save (cr);
  va_render_set_color (cr, options->palette, VA_COLOR_SELECTION);
  cairo_set_line_width (cr, MARK_LINE_WIDTH);
  if (flies)
    {
      /* where the page was, and its path to where it is going */
      cairo_save (cr);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_rectangle (cr, from.x, from.y, from.width, from.height);
      cairo_move_to (cr, from.x + from.width / 2, from.y + from.height / 2);
      cairo_line_to (cr, now.x + now.width / 2, now.y + now.height / 2);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
  cairo_rectangle (cr, now.x, now.y, now.width, now.height);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
rect_union (VaRect       *a,
            const VaRect *b)
{
  double x1 = MAX (a->x + a->width, b->x + b->width), y1 = MAX (a->y + a->height, b->y + b->height);

  a->x = MIN (a->x, b->x);
  a->y = MIN (a->y, b->y);
  a->width = x1 - a->x;
  a->height = y1 - a->y;
}

gboolean
va_phys_view_mark_extents (const VaMachine       *m,
                           const VaRect          *rect,
                           const VaRenderOptions *options,
                           VaRect                *out)
{
  VaPhysLayout l;
  VaRect r, from;
  gboolean flies;

  g_return_val_if_fail (m != NULL && rect != NULL && options != NULL && out != NULL, FALSE);
  if (!options->has_mark)
    return FALSE;
  va_phys_view_layout_zoomed (m, rect, options, &l);
  if (!mark_path_rects (m, &l, options, &from, &r, &flies))
    return FALSE;
  if (flies)
    rect_union (&r, &from);
  /* The stroke's half width outside the path, and a pixel for its
   * antialiased edge. */
  *out = (VaRect) { r.x - MARK_LINE_WIDTH / 2 - 1, r.y - MARK_LINE_WIDTH / 2 - 1,
                    r.width + MARK_LINE_WIDTH + 2, r.height + MARK_LINE_WIDTH + 2 };
  return TRUE;
}

/* Updates @raster if it was invalidated or does not fit the layout. */
static void
ensure_raster (const VaMachine       *m,
               const VaPhysLayout    *l,
               const VaRenderOptions *options,
               VaPhysRaster          *raster)
{
  if (!va_phys_raster_is_valid (raster) ||
      va_phys_raster_get_columns (raster) != l->columns ||
      va_phys_raster_get_n_frames (raster) != m->nr_pfns ||
      va_phys_raster_get_first (raster) != l->first ||
      va_phys_raster_get_count (raster) != l->count)
    va_phys_raster_update_window (raster, m, options->palette, l->columns, l->first, l->count);
}

typedef struct {
  const VaPhysLayout *layout;
  GArray             *damage;
} RasterDamage;

static void
add_damage_rows (int      y0,
                 int      y1,
                 gpointer data)
{
  RasterDamage *d = data;
  const VaRect *map = &d->layout->map;
  cairo_rectangle_int_t r;

  r.x = (int) floor (map->x);
  r.y = (int) floor (map->y + y0);
  r.width = (int) ceil (map->x + map->width) - r.x;
  r.height = (int) ceil (map->y + y1) - r.y;
  g_array_append_val (d->damage, r);
}

void
va_phys_view_update_raster (const VaMachine       *m,
                            const VaRect          *rect,
                            const VaRenderOptions *options,
                            VaPhysRaster          *raster,
                            GArray                *damage)
{
  VaPhysLayout l;
  RasterDamage d = { &l, damage };

  g_return_if_fail (m != NULL && rect != NULL && options != NULL && options->palette != NULL);
  g_return_if_fail (raster != NULL && damage != NULL);

  va_phys_view_layout_zoomed (m, rect, options, &l);
  ensure_raster (m, &l, options, raster);
  va_phys_raster_take_damage (raster, l.cell, add_damage_rows, &d);
}

/**
 * va_phys_view_draw_raster:
 * @raster: the view's cache; updated here first only if it was invalidated
 *   (va_phys_raster_invalidate()) or does not fit this machine and rect
 *
 * The GUI keeps one raster per canvas and invalidates it after each op, so
 * a redraw without a change is one scaled blit plus the overlays.
 */
void
va_phys_view_draw_raster (cairo_t               *cr,
                          VaMachine             *m,
                          const VaRect          *rect,
                          const VaRenderOptions *options,
                          VaPhysRaster          *raster)
{
  cairo_surface_t *surface;
  VaPhysLayout l;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (m != NULL);
  g_return_if_fail (rect != NULL);
  g_return_if_fail (options != NULL && options->palette != NULL);
  g_return_if_fail (raster != NULL);

  va_phys_view_layout_zoomed (m, rect, options, &l);
  ensure_raster (m, &l, options, raster);
  surface = va_phys_raster_get_surface (raster);
  if (surface == NULL || cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return;

  cairo_save (cr);
  /* Background around the grid only: the raster is opaque, and painting
   * under it would double the pixels written per redraw. */
  va_render_set_color (cr, options->palette, VA_COLOR_BACKGROUND);
  cairo_rectangle (cr, rect->x, rect->y, rect->width, rect->height);
  cairo_rectangle (cr, l.map.x, l.map.y, l.map.width, l.map.height);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_fill (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  paint_raster (cr, &l, raster);
  draw_cell_grid (cr, &l, options);
  draw_cell_labels (cr, m, &l, options, raster);
  draw_zoom_label (cr, m, rect, &l, options);
  /* Left of the grid: a repaint of some rows of the grid skips it. */
  if (va_render_clip_meets_columns (cr, rect->x, l.map.x))
    draw_zone_bands (cr, m, rect, &l, options);
  if (options->show_pageblocks)
    draw_pageblocks (cr, m, &l, options);
  draw_max_low_pfn (cr, m, &l, options);
  if (options->has_mark)
    draw_mark (cr, m, &l, options);
  cairo_restore (cr);
}

void
va_phys_view_draw (cairo_t               *cr,
                   VaMachine             *m,
                   const VaRect          *rect,
                   const VaRenderOptions *options)
{
  g_autoptr(VaPhysRaster) raster = va_phys_raster_new ();

  va_phys_view_draw_raster (cr, m, rect, options, raster);
}
