/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <cairo.h>

#include "va-machine.h"
#include "va-palette.h"

G_BEGIN_DECLS

/* Columns a map's drawing may reach past its rect: the virtual map's break
 * marks stick out of its bar, the micro-step's outline out of the grid.
 * A repaint of a map's columns takes this much more. */
#define VA_RENDER_SLACK 8

/* The type size of va_render_options_init(). */
#define VA_RENDER_DEFAULT_FONT_SIZE 10.0

/* What every view needs besides the machine: the palette, the selection,
 * type size, and the texts of the title block.  Plain data: the GUI keeps
 * one per canvas, export builds one from the command line. */
typedef struct {
  const VaPalette *palette;
  const char      *title;          /* scenario title, may be NULL */
  guint            op;             /* op number shown in the title block */
  const char      *select;         /* allocation name to highlight and link, or NULL */
  double           font_size;      /* base size in user units (points for PDF/SVG) */
  gboolean         show_pageblocks;/* physical map: pageblock borders and migrate types */
  guint32          zoom_start;     /* virtual map: first address of a zoomed range (0 = whole) */
  guint64          zoom_end;       /* exclusive; 0 = whole 4 GiB */
  guint32          phys_first;     /* physical map: first frame of a zoomed range */
  guint32          phys_count;     /* frames in it; 0 = from phys_first to the end (0/0: all) */
  gboolean         has_mark;       /* physical map: outline the block of the current micro-step */
  guint32          mark_pfn;       /* its first frame */
  guint            mark_order;     /* and its order (1 << mark_order frames) */
  gboolean         mark_flies;     /* a migration: the outline travels to mark_to_pfn */
  guint32          mark_to_pfn;    /* the block's new first frame */
  double           mark_t;         /* how far it has come, 0 to 1 */
} VaRenderOptions;

typedef struct {
  double x, y, width, height;
} VaRect;

void va_render_options_init (VaRenderOptions *options,
                             const VaPalette *palette);

static inline void
va_render_set_color (cairo_t         *cr,
                     const VaPalette *palette,
                     VaColorRole      role)
{
  VaRgb c = va_palette_get (palette, role);

  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

/* Whether @cr's clip reaches the columns [@x0, @x1) at all: a repaint of
 * a few rows or columns skips the parts it cannot touch. */
gboolean va_render_clip_meets_columns (cairo_t *cr,
                                       double   x0,
                                       double   x1);

/* Appends @n bytes of @data to a digest (a GString of what a view reads,
 * compared to know whether its picture changed). */
static inline void
va_render_digest_add (GString      *out,
                      gconstpointer data,
                      gsize         n)
{
  g_string_append_len (out, data, (gssize) n);
}

G_END_DECLS
