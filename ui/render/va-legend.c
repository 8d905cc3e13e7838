/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legend and title block of an exported page. */
#define G_LOG_DOMAIN "va-render"

#include "va-legend.h"

#include "va-frame-classes.h"
#include "va-text.h"

#include <math.h>

typedef enum {
  KEY_SWATCH,
  KEY_RAMP,       /* free blocks: order 0 → MAX_ORDER-1 */
  KEY_BREAK,
  KEY_BAND,
  KEY_FAN,
  KEY_HEADING,
} KeyKind;

typedef struct {
  KeyKind     kind;
  VaColorRole role;
  const char *text;
} Key;

static GArray *
keys_for (VaMachine     *m,
          VaLegendParts  parts)
{
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (Key));
  gboolean six = m->profile->gen == VA_GEN_6_1;
#define ADD(k, r, t) G_STMT_START { Key key_ = { k, r, t }; g_array_append_val (keys, key_); } G_STMT_END

  if (parts & VA_LEGEND_VIRTUAL)
    {
      ADD (KEY_HEADING, 0, "Virtual map:");
      ADD (KEY_SWATCH, VA_COLOR_REGION_USER, "user space");
      ADD (KEY_SWATCH, VA_COLOR_REGION_LINEAR, "linear map (phys + PAGE_OFFSET)");
      ADD (KEY_SWATCH, VA_COLOR_REGION_GAP, "unmapped gap");
      ADD (KEY_SWATCH, VA_COLOR_ALLOC_VMALLOC, "vmalloc area");
      ADD (KEY_SWATCH, VA_COLOR_REGION_GUARD, "guard page");
      if (six)
        ADD (KEY_SWATCH, VA_COLOR_REGION_LAZY, "lazily freed area");
      ADD (KEY_SWATCH, VA_COLOR_REGION_VMALLOC_FREE, "free vmalloc space");
      ADD (KEY_SWATCH, VA_COLOR_REGION_PKMAP, "pkmap");
      if (six)
        ADD (KEY_SWATCH, VA_COLOR_REGION_CPU_ENTRY, "cpu_entry_area, LDT");
      ADD (KEY_SWATCH, VA_COLOR_REGION_FIXMAP, "fixmap");
      ADD (KEY_SWATCH, VA_COLOR_REGION_UNUSED, "unused");
      ADD (KEY_BREAK, 0, "not to scale: drawn shorter than its size (small regions are enlarged to stay visible)");
    }
  if (parts & (VA_LEGEND_PHYSICAL | VA_LEGEND_FREELISTS))
    {
      ADD (KEY_HEADING, 0, (parts & VA_LEGEND_PHYSICAL) ? "Page frames:" : "Free blocks:");
      ADD (KEY_RAMP, 0, "free block, order 0 → MAX_ORDER−1");
      if (m->config.cma_bytes)
        ADD (KEY_SWATCH, VA_COLOR_FREE_CMA, "free CMA");
    }
  if (parts & VA_LEGEND_PHYSICAL)
    {
      if (m->profile->pcp != VA_PCP_NONE && m->config.pcp_enabled)
        ADD (KEY_SWATCH, VA_COLOR_PCP, "per-cpu list");
      ADD (KEY_SWATCH, VA_COLOR_ALLOC_PAGES, "alloc_pages");
      ADD (KEY_SWATCH, VA_COLOR_ALLOC_KMALLOC, "kmalloc slab");
      ADD (KEY_SWATCH, VA_COLOR_ALLOC_VMALLOC, "vmalloc page");
      ADD (KEY_SWATCH, VA_COLOR_ALLOC_KMAP, "kmapped");
      if (m->config.cma_bytes)
        {
          ADD (KEY_SWATCH, VA_COLOR_ALLOC_CMA, "cma_alloc");
          ADD (KEY_SWATCH, VA_COLOR_ISOLATED, "isolated");
        }
      ADD (KEY_SWATCH, VA_COLOR_ALLOC_WORKLOAD, "workload");
      if (m->profile->has_migratetypes)
        ADD (KEY_SWATCH, VA_COLOR_ALLOC_MOVABLE, "movable");
      ADD (KEY_SWATCH, VA_COLOR_RESERVED_KERNEL, "kernel image");
      ADD (KEY_SWATCH, VA_COLOR_RESERVED_MEMMAP, "mem_map");
      ADD (KEY_SWATCH, VA_COLOR_RESERVED, "reserved (BIOS, ISA hole)");
      if (m->profile->gen == VA_GEN_6_1)
        ADD (KEY_SWATCH, VA_COLOR_HOLE, "no RAM");
      ADD (KEY_SWATCH, VA_COLOR_ZONE_DMA, "ZONE_DMA");
      ADD (KEY_SWATCH, VA_COLOR_ZONE_NORMAL, "ZONE_NORMAL");
      ADD (KEY_SWATCH, VA_COLOR_ZONE_HIGHMEM, "ZONE_HIGHMEM");
    }
  if (parts & VA_LEGEND_LINKS)
    {
      ADD (KEY_HEADING, 0, "Links:");
      ADD (KEY_BAND, 0, "linear map: one straight shift");
      ADD (KEY_FAN, 0, "vmalloc: each page to its own frame");
    }
#undef ADD
  return keys;
}

typedef struct {
  double fs, lh, row, swatch;
} LegendGeometry;

static void
legend_geometry (const VaRenderOptions *options,
                 LegendGeometry        *g)
{
  g->fs = va_render_font_size (options) * 0.9;
  g->lh = va_text_line_height (g->fs, FALSE);
  g->row = ceil (g->lh + 6);
  g->swatch = ceil (g->lh * 0.9);
}

static double
key_width (const LegendGeometry *g,
           const Key            *k)
{
  double sym = k->kind == KEY_HEADING ? 0
               : k->kind == KEY_SWATCH ? g->swatch + 5
               : g->swatch * 2.5 + 5;

  return sym + va_text_width (g->fs, k->kind == KEY_HEADING, k->text) + 16;
}

/* Lays the keys out in rows; draws them when @cr is set.  Returns the height. */
static double
flow (cairo_t               *cr,
      VaMachine             *m,
      const VaRect          *rect,
      const VaRenderOptions *options,
      VaLegendParts          parts)
{
  g_autoptr(GArray) keys = keys_for (m, parts);
  const VaPalette *palette = options->palette;
  LegendGeometry g;
  double x = rect->x, y = rect->y;

  legend_geometry (options, &g);
  for (guint i = 0; i < keys->len; i++)
    {
      const Key *k = &g_array_index (keys, Key, i);
      double w = key_width (&g, k);
      double cy = y + g.row / 2, sx = x, s = g.swatch;

      /* Headings start a row (except the first). */
      if ((k->kind == KEY_HEADING && x > rect->x) || (x + w > rect->x + rect->width && x > rect->x))
        {
          x = rect->x;
          y += g.row;
          cy = y + g.row / 2;
          sx = x;
        }
      if (cr)
        {
          switch (k->kind)
            {
            case KEY_HEADING:
              break;
            case KEY_SWATCH:
              va_render_set_color (cr, palette, k->role);
              cairo_rectangle (cr, sx, cy - s / 2, s, s);
              cairo_fill_preserve (cr);
              va_render_set_color (cr, palette, VA_COLOR_GRID);
              cairo_set_line_width (cr, 1);
              cairo_stroke (cr);
              sx += s + 5;
              break;
            case KEY_RAMP:
              for (guint o = 0; o < m->profile->max_order; o++)
                {
                  VaRgb c = va_frame_class_rgb (palette, VA_FRAME_CLASS_FREE (o), m->profile->max_order);
                  double cw = s * 2.5 / m->profile->max_order;

                  cairo_set_source_rgb (cr, c.r, c.g, c.b);
                  cairo_rectangle (cr, sx + o * cw, cy - s / 2, cw + 0.5, s);
                  cairo_fill (cr);
                }
              va_render_set_color (cr, palette, VA_COLOR_GRID);
              cairo_set_line_width (cr, 1);
              cairo_rectangle (cr, sx, cy - s / 2, s * 2.5, s);
              cairo_stroke (cr);
              sx += s * 2.5 + 5;
              break;
            case KEY_BREAK:
              va_render_set_color (cr, palette, VA_COLOR_REGION_USER);
              cairo_rectangle (cr, sx, cy - s / 2, s * 2.5, s);
              cairo_fill (cr);
              va_render_set_color (cr, palette, VA_COLOR_BACKGROUND);
              cairo_rectangle (cr, sx, cy - 2, s * 2.5, 4);
              cairo_fill (cr);
              va_render_set_color (cr, palette, VA_COLOR_TEXT);
              cairo_set_line_width (cr, 1);
              for (int side = -1; side <= 1; side += 2)
                {
                  cairo_move_to (cr, sx, cy + side * 2);
                  for (int t = 1; t <= 4; t++)
                    cairo_line_to (cr, sx + t * s * 2.5 / 4, cy + side * 2 + (t % 2 ? -1.5 : 1.5));
                }
              cairo_stroke (cr);
              sx += s * 2.5 + 5;
              break;
            case KEY_BAND:
              {
                VaRgb c = va_palette_get (palette, VA_COLOR_LINK);

                cairo_set_source_rgba (cr, c.r, c.g, c.b, 0.45);
                cairo_move_to (cr, sx, cy - s / 2);
                cairo_line_to (cr, sx + s * 2.5, cy - s / 4);
                cairo_line_to (cr, sx + s * 2.5, cy + s / 4);
                cairo_line_to (cr, sx, cy + s / 2);
                cairo_close_path (cr);
                cairo_fill (cr);
                sx += s * 2.5 + 5;
              }
              break;
            case KEY_FAN:
              va_render_set_color (cr, palette, VA_COLOR_LINK);
              cairo_set_line_width (cr, 1.2);
              for (int t = 0; t < 3; t++)
                {
                  cairo_move_to (cr, sx, cy - s / 3 + t * s / 3);
                  cairo_line_to (cr, sx + s * 2.5, cy - s / 2 + ((t * 2 + 1) % 3) * s / 2);
                }
              cairo_stroke (cr);
              sx += s * 2.5 + 5;
              break;
            }
          va_render_set_color (cr, palette, k->kind == KEY_HEADING ? VA_COLOR_TEXT : VA_COLOR_TEXT);
          va_text_draw_fit (cr, sx, cy, VA_TEXT_LEFT, g.fs, k->kind == KEY_HEADING,
                            rect->x + rect->width - sx, k->text);
        }
      x += w;
    }
  return y + g.row - rect->y;
}

double
va_legend_height (VaMachine             *m,
                  double                 width,
                  const VaRenderOptions *options,
                  VaLegendParts          parts)
{
  VaRect r = { 0, 0, width, 0 };

  return flow (NULL, m, &r, options, parts);
}

void
va_legend_draw (cairo_t               *cr,
                VaMachine             *m,
                const VaRect          *rect,
                const VaRenderOptions *options,
                VaLegendParts          parts)
{
  cairo_save (cr);
  flow (cr, m, rect, options, parts);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------ */

char *
va_title_block_machine (VaMachine *m)
{
  const VaMachineConfig *c = &m->config;
  GString *s = g_string_new (NULL);
  g_autofree char *ram = va_format_size (c->ram_bytes);
  guint32 user_gib = c->page_offset >> 30;

  g_string_append_printf (s, "i386, %s RAM · %s · PAE %s · split %uG/%uG", ram, c->profile->name,
                          c->pae ? "on" : "off", user_gib, 4 - user_gib);
  if (c->vmalloc_bytes)
    {
      g_autofree char *v = va_format_size (c->vmalloc_bytes);
      g_string_append_printf (s, " · vmalloc=%s", v);
    }
  if (c->mem_bytes)
    {
      g_autofree char *v = va_format_size (c->mem_bytes);
      g_string_append_printf (s, " · mem=%s", v);
    }
  if (c->cma_bytes)
    {
      g_autofree char *v = va_format_size (c->cma_bytes);
      g_string_append_printf (s, " · cma=%s", v);
    }
  g_string_append_printf (s, " · seed %" G_GUINT64_FORMAT, c->seed);
  return g_string_free (s, FALSE);
}

double
va_title_block_height (const VaRenderOptions *options)
{
  double fs = va_render_font_size (options);

  return ceil (va_text_line_height (fs * 1.5, TRUE) * 1.2 + va_text_line_height (fs, FALSE) * 1.3 + 8);
}

void
va_title_block_draw (cairo_t               *cr,
                     VaMachine             *m,
                     const VaRect          *rect,
                     const VaRenderOptions *options,
                     const char            *source)
{
  const VaPalette *palette = options->palette;
  double fs = va_render_font_size (options);
  double h1 = va_text_line_height (fs * 1.5, TRUE) * 1.2;
  double h2 = va_text_line_height (fs, FALSE) * 1.3;
  g_autofree char *machine = va_title_block_machine (m);
  g_autofree char *title = g_strdup_printf ("VM Atlas — %s", options->title ? options->title
                                                                           : "i386 kernel memory map");
  g_autofree char *right = NULL;
  GString *line2 = g_string_new (machine);
  double rw;

  cairo_save (cr);
  if (options->op == 0)
    right = g_strdup ("freshly booted (op 0)");
  else
    right = g_strdup_printf ("after op %u", options->op);
  if (options->select)
    g_string_append_printf (line2, " · selected: “%s”", options->select);
  if (source)
    g_string_append_printf (line2, " · %s", source);

  rw = va_text_width (fs * 1.2, TRUE, right);
  va_render_set_color (cr, palette, VA_COLOR_TEXT);
  va_text_draw (cr, rect->x + rect->width, rect->y + h1 / 2, VA_TEXT_RIGHT, fs * 1.2, TRUE, right);
  va_text_draw_fit (cr, rect->x, rect->y + h1 / 2, VA_TEXT_LEFT, fs * 1.5, TRUE,
                    rect->width - rw - 20, title);
  va_render_set_color (cr, palette, VA_COLOR_TEXT_DIM);
  va_text_draw_fit (cr, rect->x, rect->y + h1 + h2 / 2, VA_TEXT_LEFT, fs, FALSE, rect->width,
                    line2->str);
  va_render_set_color (cr, palette, VA_COLOR_GRID);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, rect->x, floor (rect->y + h1 + h2 + 4) + 0.5);
  cairo_line_to (cr, rect->x + rect->width, floor (rect->y + h1 + h2 + 4) + 0.5);
  cairo_stroke (cr);
  g_string_free (line2, TRUE);
  cairo_restore (cr);
}
