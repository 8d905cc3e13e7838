/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Free lists as chains: zone->free_area[order].free_list[mt], walked
 * through VaPage.next from the head, in the order the allocator sees them. */
#define G_LOG_DOMAIN "va-render"

#include "va-freelist-view.h"

#include "va-frame-classes.h"
#include "va-text.h"

#include <math.h>

#define MIN_COLUMN_WIDTH 430.0

typedef struct {
  double  fs, lh, row;       /* font size, line height, row pitch */
  double  header;            /* the view's title line */
  guint   zones[VA_NR_ZONES];
  guint   n_zones;
  guint   columns;
  double  col_width;
  double  label_width;       /* "order 10 · 4 MiB" column */
  double  count_width;
  double  box_width;
  double  more_width;        /* room kept for "+N more" */
} FlGeometry;

static guint
populated_zones (VaMachine *m,
                 guint      zones[VA_NR_ZONES])
{
  guint n = 0;

  for (guint z = 0; z < VA_NR_ZONES; z++)
    if (va_zone_populated (&m->zones[z]))
      zones[n++] = z;
  return n;
}

static void
geometry (VaMachine             *m,
          double                 width,
          const VaRenderOptions *options,
          FlGeometry            *g)
{
  char digits[32];

  g->fs = va_render_font_size (options) * 0.9;
  g->lh = va_text_line_height (g->fs, FALSE);
  g->row = ceil (g->lh + 5);
  g->header = ceil (va_text_line_height (va_render_font_size (options) * 1.15, TRUE) * 1.5);
  g->n_zones = populated_zones (m, g->zones);
  g->columns = MAX (MIN ((guint) (width / MIN_COLUMN_WIDTH), g->n_zones), 1);
  g->col_width = width / g->columns;
  g->label_width = ceil (va_text_width (g->fs, FALSE, "order 10 · 4 MiB") + 8);
  g->count_width = ceil (va_text_width (g->fs, TRUE, "99999") + 8);
  g_snprintf (digits, sizeof digits, "%u", MAX (m->nr_pfns, 10) - 1);
  g->box_width = ceil (va_text_width (g->fs * 0.9, FALSE, digits) + 8);
  g->more_width = ceil (va_text_width (g->fs * 0.85, FALSE, "+99999 more") + 6);
}

/* Rows of one zone: a header line and one row per order. */
static guint
zone_rows (VaMachine *m)
{
  return 1 + m->profile->max_order;
}

double
va_freelist_view_height (VaMachine             *m,
                         double                 width,
                         const VaRenderOptions *options)
{
  FlGeometry g;
  guint per_column;

  geometry (m, width, options, &g);
  per_column = (g.n_zones + g.columns - 1) / g.columns;
  return g.header + per_column * (zone_rows (m) * g.row + g.row * 0.5);
}

static VaRgb
block_color (VaMachine       *m,
             const VaPalette *palette,
             guint            order,
             guint            mt)
{
  if (m->profile->has_migratetypes && mt == VA_MT_CMA)
    return va_palette_get (palette, VA_COLOR_FREE_CMA);
  if (m->profile->has_migratetypes && mt == VA_MT_ISOLATE)
    return va_palette_get (palette, VA_COLOR_ISOLATED);
  return va_frame_class_rgb (palette, VA_FRAME_CLASS_FREE (order), m->profile->max_order);
}

static const char *
mt_short (guint mt)
{
  static const char *const names[] = { "Unmov", "Mov", "Recl", "HighAt", "CMA", "Isol" };

  return mt < G_N_ELEMENTS (names) ? names[mt] : "?";
}

/* One block's box: fill by order (or migrate type), outline, head pfn. */
static void
draw_box (cairo_t         *cr,
          VaMachine       *m,
          const VaPalette *palette,
          double           fs,
          const VaRect    *box,
          guint32          pfn,
          guint            order,
          guint            mt)
{
  VaRgb c = block_color (m, palette, order, mt);
  char num[16];

  cairo_set_source_rgb (cr, c.r, c.g, c.b);
  cairo_rectangle (cr, box->x, box->y, box->width, box->height);
  cairo_fill_preserve (cr);
  va_render_set_color (cr, palette, VA_COLOR_GRID);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  g_snprintf (num, sizeof num, "%u", pfn);
  va_text_set_color_on (cr, palette, c);
  va_text_draw (cr, box->x + box->width / 2, box->y + box->height / 2, VA_TEXT_CENTER,
                fs * 0.9, FALSE, num);
}

/* Walks the chain of one row, calling @box for every block drawn; returns
 * the number of blocks that did not fit. */
typedef gboolean (*BoxFunc) (const VaRect *box, guint zone, guint32 pfn, guint order,
                             guint mt, gpointer data);

static guint32
walk_row (VaMachine        *m,
          const FlGeometry *g,
          const VaZone     *zone,
          guint             order,
          double            x0,
          double            x1,
          double            y,
          cairo_t          *cr,
          const VaPalette  *palette,
          BoxFunc           box,
          gpointer          data)
{
  const VaFreeArea *fa = &zone->free_area[order];
  guint n_types = m->profile->has_migratetypes ? VA_MT_TYPES : 1;
  double x = x0, bh = g->row - 4, gap = 8;
  guint32 left_out = 0;

  for (guint mt = 0; mt < n_types; mt++)
    {
      const VaList *list = &fa->free_list[mt];
      guint32 shown = 0;

      if (list->count == 0)
        continue;
      if (n_types > 1)
        {
          char tag[32];
          double w;

          g_snprintf (tag, sizeof tag, "%s %u:", mt_short (mt), list->count);
          w = va_text_width (g->fs * 0.85, FALSE, tag) + 4;
          if (x + w + g->box_width > x1 - g->more_width)
            {
              left_out += list->count;
              continue;
            }
          if (cr)
            {
              va_render_set_color (cr, palette, VA_COLOR_TEXT_DIM);
              va_text_draw (cr, x, y + g->row / 2, VA_TEXT_LEFT, g->fs * 0.85, FALSE, tag);
            }
          x += w;
        }
      for (guint32 pfn = list->head; pfn != VA_PFN_NONE && shown < list->count;
           pfn = m->pages[pfn].next)
        {
          if (x + g->box_width > x1 - g->more_width)
            break;
          if (shown > 0 && cr)
            {
              /* the list link: an arrow from the previous box */
              va_render_set_color (cr, palette, VA_COLOR_GRID);
              cairo_set_line_width (cr, 1);
              cairo_move_to (cr, x - gap + 1, y + g->row / 2);
              cairo_line_to (cr, x - 1, y + g->row / 2);
              cairo_stroke (cr);
              cairo_move_to (cr, x - 1, y + g->row / 2);
              cairo_line_to (cr, x - 4, y + g->row / 2 - 2.5);
              cairo_line_to (cr, x - 4, y + g->row / 2 + 2.5);
              cairo_close_path (cr);
              cairo_fill (cr);
            }
          if (box && !box (&(VaRect) { x, y + 2, g->box_width, bh }, zone->type, pfn, order, mt, data))
            return 0;
          if (cr)
            draw_box (cr, m, palette, g->fs, &(VaRect) { x, y + 2, g->box_width, bh }, pfn, order, mt);
          x += g->box_width + gap;
          shown++;
        }
      left_out += list->count - shown;
      x += 4;
    }
  if (left_out && cr)
    {
      char more[32];

      g_snprintf (more, sizeof more, "+%u more", left_out);
      va_render_set_color (cr, palette, VA_COLOR_TEXT_DIM);
      va_text_draw_fit (cr, MIN (x, x1 - g->more_width), y + g->row / 2, VA_TEXT_LEFT, g->fs * 0.85, FALSE,
                        x1 - MIN (x, x1 - g->more_width), more);
    }
  return left_out;
}

/* Where the @zi-th zone shown sits: its columns [*x0, *x1) and the top
 * of its header line. */
static void
zone_origin (VaMachine        *m,
             const FlGeometry *g,
             const VaRect     *rect,
             guint             zi,
             double           *x0,
             double           *x1,
             double           *y)
{
  *x0 = rect->x + (zi % g->columns) * g->col_width;
  *x1 = *x0 + g->col_width - 12;
  *y = rect->y + g->header + (zi / g->columns) * (zone_rows (m) * g->row + g->row * 0.5);
}

/* Calls @box for every box of every row, or draws when @cr is set. */
static void
walk (VaMachine             *m,
      const VaRect          *rect,
      const VaRenderOptions *options,
      cairo_t               *cr,
      BoxFunc                box,
      gpointer               data)
{
  FlGeometry g;
  const VaPalette *palette = options->palette;

  geometry (m, rect->width, options, &g);
  if (cr)
    {
      va_render_set_color (cr, palette, VA_COLOR_TEXT);
      va_text_draw_fit (cr, rect->x, rect->y + g.header / 2 - 2, VA_TEXT_LEFT,
                        va_render_font_size (options) * 1.15, TRUE, rect->width,
                        m->profile->has_migratetypes
                        ? "Free lists: free_area[order].free_list[migratetype], head → tail (block head pfn)"
                        : "Free lists: free_area[order].free_list, head → tail (block head pfn)");
    }
  for (guint zi = 0; zi < g.n_zones; zi++)
    {
      const VaZone *zone = &m->zones[g.zones[zi]];
      double x0, x1, y;

      zone_origin (m, &g, rect, zi, &x0, &x1, &y);

      if (cr)
        {
          g_autofree char *head = g_strdup_printf ("ZONE_%s · %u free pages · /proc/buddyinfo:",
                                                   va_zone_name (zone->type), zone->free);
          GString *counts = g_string_new (NULL);
          double w;

          for (guint o = 0; o < m->profile->max_order; o++)
            g_string_append_printf (counts, " %u", zone->free_area[o].nr_free);
          va_render_set_color (cr, palette, VA_COLOR_TEXT);
          w = va_text_draw (cr, x0, y + g.row / 2, VA_TEXT_LEFT, g.fs, TRUE, head);
          va_text_draw_fit (cr, x0 + w, y + g.row / 2, VA_TEXT_LEFT, g.fs, FALSE,
                            x1 - x0 - w, counts->str);
          g_string_free (counts, TRUE);
        }
      y += g.row;
      for (guint o = 0; o < m->profile->max_order; o++, y += g.row)
        {
          if (cr)
            {
              g_autofree char *size = va_text_format_size ((guint64) VA_PAGE_SIZE << o);
              g_autofree char *label = g_strdup_printf ("order %u · %s", o, size);
              char count[16];

              va_render_set_color (cr, palette, VA_COLOR_TEXT_DIM);
              va_text_draw (cr, x0, y + g.row / 2, VA_TEXT_LEFT, g.fs, FALSE, label);
              g_snprintf (count, sizeof count, "%u", zone->free_area[o].nr_free);
              va_render_set_color (cr, palette, VA_COLOR_TEXT);
              va_text_draw (cr, x0 + g.label_width + g.count_width - 8, y + g.row / 2,
                            VA_TEXT_RIGHT, g.fs, TRUE, count);
            }
          walk_row (m, &g, zone, o, x0 + g.label_width + g.count_width, x1, y, cr, palette,
                    box, data);
        }
    }
}

void
va_freelist_view_draw (cairo_t               *cr,
                       VaMachine             *m,
                       const VaRect          *rect,
                       const VaRenderOptions *options)
{
  g_return_if_fail (cr != NULL && m != NULL && rect != NULL && options != NULL);
  cairo_save (cr);
  walk (m, rect, options, cr, NULL, NULL);
  cairo_restore (cr);
}

typedef struct {
  double  x, y;
  guint32 pfn;
} HitData;

static gboolean
hit_box (const VaRect *box,
         guint         zone,
         guint32       pfn,
         guint         order,
         guint         mt,
         gpointer      data)
{
  HitData *hd = data;

  if (hd->x >= box->x && hd->x < box->x + box->width && hd->y >= box->y && hd->y < box->y + box->height)
    {
      hd->pfn = pfn;
      return FALSE;
    }
  return TRUE;
}

guint32
va_freelist_view_hit (VaMachine             *m,
                      const VaRect          *rect,
                      const VaRenderOptions *options,
                      double                 x,
                      double                 y)
{
  HitData hd = { x, y, VA_PFN_NONE };

  walk (m, rect, options, NULL, hit_box, &hd);
  return hd.pfn;
}

/*** Animation support ***/

typedef struct {
  guint    zone, order;
  guint32  pfn;             /* for locate; VA_PFN_NONE for a row */
  gboolean found;
  VaRect   first, last;
} SlotData;

static gboolean
slot_box (const VaRect *box,
          guint         zone,
          guint32       pfn,
          guint         order,
          guint         mt,
          gpointer      data)
{
  SlotData *sd = data;

  if (sd->pfn != VA_PFN_NONE)
    {
      if (pfn != sd->pfn)
        return TRUE;
      sd->first = *box;
      sd->found = TRUE;
      return FALSE;
    }
  if (zone != sd->zone || order != sd->order)
    return TRUE;
  if (!sd->found)
    sd->first = *box;
  sd->last = *box;
  sd->found = TRUE;
  return TRUE;
}

gboolean
va_freelist_view_row (VaMachine             *m,
                      const VaRect          *rect,
                      const VaRenderOptions *options,
                      guint                  zone,
                      guint                  order,
                      VaRect                *head,
                      VaRect                *tail)
{
  SlotData sd = { zone, order, VA_PFN_NONE, FALSE, { 0 }, { 0 } };
  FlGeometry g;
  guint zi;

  g_return_val_if_fail (m != NULL && rect != NULL && options != NULL, FALSE);
  geometry (m, rect->width, options, &g);
  for (zi = 0; zi < g.n_zones && g.zones[zi] != zone; zi++)
    ;
  if (zi == g.n_zones || order >= m->profile->max_order)
    return FALSE;
  walk (m, rect, options, NULL, slot_box, &sd);
  if (!sd.found)
    {
      double x0, x1, y;

      /* An empty list: its first box would sit where the row's list starts. */
      zone_origin (m, &g, rect, zi, &x0, &x1, &y);
      sd.first = (VaRect) { x0 + g.label_width + g.count_width, y + g.row * (1 + order) + 2,
                            g.box_width, g.row - 4 };
      sd.last = sd.first;
      sd.last.x -= g.box_width + 8;
    }
  *head = sd.first;
  *tail = sd.last;
  tail->x = MIN (tail->x + g.box_width + 8,
                 rect->x + (zi % g.columns + 1) * g.col_width - 12 - g.more_width - g.box_width);
  return TRUE;
}

gboolean
va_freelist_view_locate (VaMachine             *m,
                         const VaRect          *rect,
                         const VaRenderOptions *options,
                         guint32                pfn,
                         VaRect                *box)
{
  SlotData sd = { 0, 0, pfn, FALSE, { 0 }, { 0 } };

  g_return_val_if_fail (m != NULL && rect != NULL && options != NULL, FALSE);
  walk (m, rect, options, NULL, slot_box, &sd);
  *box = sd.first;
  return sd.found;
}

void
va_freelist_view_draw_block (cairo_t               *cr,
                             VaMachine             *m,
                             const VaRect          *rect,
                             const VaRenderOptions *options,
                             const VaRect          *box,
                             guint32                pfn,
                             guint                  order,
                             guint                  mt)
{
  FlGeometry g;

  g_return_if_fail (cr != NULL && m != NULL && rect != NULL && options != NULL && box != NULL);
  geometry (m, rect->width, options, &g);
  cairo_save (cr);
  draw_box (cr, m, options->palette, g.fs, box, pfn, order, mt);
  cairo_restore (cr);
}
