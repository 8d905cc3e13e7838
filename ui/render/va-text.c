/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pango text for the views, with a pinned font and fixed font options. */
#define G_LOG_DOMAIN "va-render"

#include "va-text.h"
#include "va-background-thread.h"

#include <math.h>
#include <string.h>

static void
setup_context (PangoContext *context)
{
  cairo_font_options_t *fo = cairo_font_options_create ();

  /* No hinting and no subpixel order: glyph shapes then do not depend on
   * the machine's fontconfig settings, and PNG, SVG and PDF agree. */
  cairo_font_options_set_antialias (fo, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, fo);
  cairo_font_options_destroy (fo);
}

static void
set_font (PangoLayout *layout,
          double       size,
          gboolean     bold)
{
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, VA_TEXT_FAMILY);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
}

PangoLayout *
va_text_layout (cairo_t    *cr,
                double      size,
                gboolean    bold,
                const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);

  setup_context (pango_layout_get_context (layout));
  pango_layout_context_changed (layout);
  set_font (layout, size, bold);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Layouts by font, width and text, shaped once: the views are drawn anew
 * after every op and show mostly the same labels, and shaping them again
 * each time was a fifth of a playback frame.  Borrowed layouts drawn with
 * one Pango context per thread (as Pango's font maps are), brought up to
 * date with the cairo_t of each use: a context change (another matrix or
 * surface font options) makes Pango lay the cached layouts out again, so
 * a layout always looks as a new one would. */
#define LAYOUT_CACHE_MAX 4096

typedef struct {
  PangoContext         *context;
  GHashTable           *layouts;        /* "size bold width text" -> PangoLayout */
  /* What the context was last brought up to date with. */
  cairo_matrix_t        matrix;
  cairo_font_options_t *surface_options;
  /* Loading this cache's fonts for its thread (va_text_warm_up()), which
   * joins it before its first use of the cache. */
  GThread              *warm_up;
} LayoutCache;

static void
layout_cache_free (gpointer data)
{
  LayoutCache *cache = data;

  if (cache->warm_up)
    g_thread_join (cache->warm_up);
  g_hash_table_unref (cache->layouts);
  g_object_unref (cache->context);
  cairo_font_options_destroy (cache->surface_options);
  g_free (cache);
}

/* pango_cairo_update_context() marks the context changed on every call,
 * even for the same matrix and font options, which would lay every cached
 * layout out again; so it is called only when one of them differs (the
 * context's own font options are set once, and a translation does not
 * count). */
static void
update_context (LayoutCache *cache,
                cairo_t     *cr)
{
  cairo_font_options_t *options = cairo_font_options_create ();
  cairo_matrix_t matrix;

  cairo_get_matrix (cr, &matrix);
  matrix.x0 = matrix.y0 = 0;
  cairo_surface_get_font_options (cairo_get_target (cr), options);
  if (cache->surface_options && cairo_font_options_equal (options, cache->surface_options) &&
      memcmp (&matrix, &cache->matrix, sizeof matrix) == 0)
    {
      cairo_font_options_destroy (options);
      return;
    }
  pango_cairo_update_context (cr, cache->context);
  cache->matrix = matrix;
  g_clear_pointer (&cache->surface_options, cairo_font_options_destroy);
  cache->surface_options = options;
}

static GPrivate layout_cache_key = G_PRIVATE_INIT (layout_cache_free);

/* The calling thread's cache.  Its font map is its own, not the thread's
 * default one: on the GUI's main thread that is GTK's, which a warm-up
 * thread could not use while GTK does. */
static LayoutCache *
layout_cache (void)
{
  LayoutCache *cache = g_private_get (&layout_cache_key);

  if (cache == NULL)
    {
      g_autoptr(PangoFontMap) font_map = pango_cairo_font_map_new ();

      cache = g_new0 (LayoutCache, 1);
      cache->context = pango_font_map_create_context (font_map);
      setup_context (cache->context);
      cache->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_private_set (&layout_cache_key, cache);
    }
  if (cache->warm_up)
    g_thread_join (g_steal_pointer (&cache->warm_up));
  return cache;
}

/* @text at @size, elided at the end to @max_width when that is > 0; owned
 * by @cache, valid until the next call. */
static PangoLayout *
cached_layout_in (LayoutCache *cache,
                  cairo_t     *cr,
                  double       size,
                  gboolean     bold,
                  double       max_width,
                  const char  *text)
{
  g_autofree char *key = g_strdup_printf ("%a %d %a %s", size, bold, max_width, text);
  PangoLayout *layout;

  update_context (cache, cr);
  layout = g_hash_table_lookup (cache->layouts, key);
  if (layout)
    return layout;
  if (g_hash_table_size (cache->layouts) >= LAYOUT_CACHE_MAX)
    g_hash_table_remove_all (cache->layouts);
  layout = pango_layout_new (cache->context);
  set_font (layout, size, bold);
  pango_layout_set_text (layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  g_hash_table_insert (cache->layouts, g_steal_pointer (&key), layout);
  return layout;
}

/* The same from the calling thread's cache. */
static PangoLayout *
cached_layout (cairo_t    *cr,
               double      size,
               gboolean    bold,
               double      max_width,
               const char *text)
{
  return cached_layout_in (layout_cache (), cr, size, bold, max_width, text);
}

/* ------------------------------------------------------------------ */
/* Warm-up                                                              */

/* The views' sizes, as factors of the base size: addresses, segment sizes
 * and free-list counts (0.9), names (1), headers (1.15). */
static const double warm_up_scales[] = { 0.9, 1.0, 1.15 };

typedef struct {
  LayoutCache *cache;
  double       font_size;
} WarmUp;

/* Loads each face at each size, with the glyph images of the text a view
 * shows (ASCII and a few signs) and the ellipsis an elided label adds.
 * Only this thread touches @cache until its owner joins it. */
static gpointer
warm_up_thread (gpointer data)
{
  g_autofree WarmUp *w = data;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 64, 16);
  cairo_t *cr = cairo_create (surface);
  char sample[128];
  guint n = 0;

  for (char c = ' '; c <= '~'; c++)
    sample[n++] = c;
  strcpy (sample + n, "…–→·×");
  for (guint i = 0; i < G_N_ELEMENTS (warm_up_scales); i++)
    for (int bold = 0; bold <= 1; bold++)
      {
        double size = w->font_size * warm_up_scales[i];

        pango_cairo_show_layout (cr, cached_layout_in (w->cache, cr, size, bold, 0, sample));
        pango_cairo_show_layout (cr, cached_layout_in (w->cache, cr, size, bold, 40, sample));
      }
  g_hash_table_remove_all (w->cache->layouts);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return NULL;
}

void
va_text_warm_up (double font_size)
{
  LayoutCache *cache = layout_cache ();
  WarmUp *w = g_new (WarmUp, 1);

  g_return_if_fail (font_size > 0);

  *w = (WarmUp) { cache, font_size };
  cache->warm_up = va_background_thread_new ("va-text-warm-up", warm_up_thread, w);
}

void
va_text_warm_up_finish (void)
{
  layout_cache ();
}

PangoLayout *
va_text_layout_cached (cairo_t    *cr,
                       double      size,
                       gboolean    bold,
                       const char *text)
{
  g_return_val_if_fail (cr != NULL && text != NULL, NULL);
  return cached_layout (cr, size, bold, 0, text);
}

void
va_text_extents (cairo_t    *cr,
                 double      size,
                 gboolean    bold,
                 const char *text,
                 double     *width,
                 double     *height)
{
  PangoLayout *layout = cached_layout (cr, size, bold, 0, text);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if (width)
    *width = (double) logical.width / PANGO_SCALE;
  if (height)
    *height = (double) logical.height / PANGO_SCALE;
}

/* A context for measuring text outside a draw.  Created once and never
 * drawn on, so it holds no state a view could read or change. */
static cairo_t *
scratch_cr (void)
{
  static gsize once;
  static cairo_t *cr;

  if (g_once_init_enter (&once))
    {
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);

      cr = cairo_create (s);
      cairo_surface_destroy (s);
      g_once_init_leave (&once, 1);
    }
  return cr;
}

/* An SVG export collects the labels it draws (va-export.c): Cairo writes
 * text as glyph outlines, so the export adds them again as real text. */
const cairo_user_data_key_t va_text_log_key;

static void
log_text (cairo_t    *cr,
          double      x,
          double      y,
          double      size,
          const char *text)
{
  GPtrArray *log = cairo_get_user_data (cr, &va_text_log_key);
  double dx = x, dy = y, ds = size, zero = 0;

  if (log == NULL)
    return;
  cairo_user_to_device (cr, &dx, &dy);
  cairo_user_to_device_distance (cr, &zero, &ds);
  g_ptr_array_add (log, g_strdup_printf ("<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\">%s</text>",
                                         dx, dy, ABS (ds), text));
}

/* The height of a line in the face it is drawn with: a face no text uses
 * would cost a font load (fontconfig substitution, metrics, glyphs) for
 * one number. */
double
va_text_line_height (double   size,
                     gboolean bold)
{
  double h;

  va_text_extents (scratch_cr (), size, bold, "Ag", NULL, &h);
  return h;
}

double
va_text_width (double      size,
               gboolean    bold,
               const char *text)
{
  double w;

  va_text_extents (scratch_cr (), size, bold, text, &w, NULL);
  return w;
}

static double
draw_layout (cairo_t     *cr,
             PangoLayout *layout,
             double       x,
             double       y,
             VaTextAlign  align)
{
  PangoRectangle logical;
  double w, h;

  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;
  if (align == VA_TEXT_RIGHT)
    x -= w;
  else if (align == VA_TEXT_CENTER)
    x -= w / 2;
  cairo_move_to (cr, x, y - h / 2);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
  if (cairo_get_user_data (cr, &va_text_log_key))
    {
      g_autofree char *escaped = g_markup_escape_text (pango_layout_get_text (layout), -1);

      log_text (cr, x, y + h / 4, h * 0.8, escaped);
    }
  return w;
}

double
va_text_draw (cairo_t     *cr,
              double       x,
              double       y,
              VaTextAlign  align,
              double       size,
              gboolean     bold,
              const char  *text)
{
  return draw_layout (cr, cached_layout (cr, size, bold, 0, text), x, y, align);
}

gboolean
va_text_draw_fit (cairo_t     *cr,
                  double       x,
                  double       y,
                  VaTextAlign  align,
                  double       size,
                  gboolean     bold,
                  double       max_width,
                  const char  *text)
{
  PangoLayout *layout = cached_layout (cr, size, bold, 0, text);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if ((double) logical.width / PANGO_SCALE > max_width)
    {
      double dots;

      va_text_extents (cr, size, bold, "…", &dots, NULL);
      if (dots > max_width)
        return FALSE;
      layout = cached_layout (cr, size, bold, max_width, text);
    }
  draw_layout (cr, layout, x, y, align);
  return TRUE;
}

static double
luminance (VaRgb c)
{
  return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

void
va_text_set_color_on (cairo_t         *cr,
                      const VaPalette *palette,
                      VaRgb            fill)
{
  VaRgb text = va_palette_get (palette, VA_COLOR_TEXT);
  VaRgb bg = va_palette_get (palette, VA_COLOR_BACKGROUND);
  VaRgb c = fabs (luminance (text) - luminance (fill)) >= fabs (luminance (bg) - luminance (fill))
            ? text : bg;

  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

double
va_render_font_size (const VaRenderOptions *options)
{
  return options && options->font_size > 0 ? options->font_size : 11.0;
}

char *
va_text_format_size (guint64 bytes)
{
  static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
  double v = bytes;
  guint u = 0;

  if (bytes < 1024)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", bytes);
  while (v >= 1024 && u + 1 < G_N_ELEMENTS (units))
    {
      v /= 1024;
      u++;
    }
  if (v == (guint64) v)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", (guint64) v, units[u]);
  return g_strdup_printf ("%.1f %s", v, units[u]);
}
