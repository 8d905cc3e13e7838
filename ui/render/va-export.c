/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Composes the views into a page and writes it as PNG, SVG or PDF with the
 * same drawing code. */
#define G_LOG_DOMAIN "va-render"

#include "va-export.h"
#include "va-png-writer.h"

#include "va-freelist-view.h"
#include "va-legend.h"
#include "va-links.h"
#include "va-phys-view.h"
#include "va-text.h"
#include "va-virt-view.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARGIN      20.0
#define GAP         16.0
#define LINK_GAP    150.0   /* room for the links between the two maps */
#define MAX_DIM     20000.0

static const char *const view_names[] = { "all", "virtual", "physical", "freelists", "frames" };

gboolean
va_export_view_from_name (const char   *name,
                          VaExportView *view)
{
  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    if (g_str_equal (name, view_names[i]))
      {
        *view = i;
        return TRUE;
      }
  return FALSE;
}

const char *
va_export_view_names (void)
{
  return "all, virtual, physical, freelists, frames";
}

gboolean
va_export_format_from_path (const char     *path,
                            VaExportFormat *format,
                            GError        **error)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');

  if (dot && g_ascii_strcasecmp (dot, ".png") == 0)
    *format = VA_EXPORT_PNG;
  else if (dot && g_ascii_strcasecmp (dot, ".svg") == 0)
    *format = VA_EXPORT_SVG;
  else if (dot && g_ascii_strcasecmp (dot, ".pdf") == 0)
    *format = VA_EXPORT_PDF;
  else
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: unknown image format; the file name must end in .png, .svg or .pdf", path);
      return FALSE;
    }
  return TRUE;
}

static VaLegendParts
legend_parts (VaExportView           view,
              const VaRenderOptions *options)
{
  switch (view)
    {
    case VA_VIEW_VIRTUAL: return VA_LEGEND_VIRTUAL;
    case VA_VIEW_PHYSICAL: return VA_LEGEND_PHYSICAL;
    case VA_VIEW_FREELISTS: return VA_LEGEND_FREELISTS;
    case VA_VIEW_ALL:
    default:
      return VA_LEGEND_VIRTUAL | VA_LEGEND_PHYSICAL | VA_LEGEND_LINKS;
    }
}

static double
default_width (VaExportView view)
{
  switch (view)
    {
    case VA_VIEW_VIRTUAL: return 760;
    case VA_VIEW_PHYSICAL: return 1100;
    case VA_VIEW_FREELISTS: return 1500;
    case VA_VIEW_ALL:
    default: return 1600;
    }
}

void
va_export_natural_size (VaMachine             *m,
                        const VaRenderOptions *options,
                        VaExportView           view,
                        double                *width,
                        double                *height)
{
  double w = default_width (view), inner = w - 2 * MARGIN;
  double top = MARGIN + va_title_block_height (options) + GAP;
  double legend = va_legend_height (m, inner, options, legend_parts (view, options));
  guint32 side = 1;

  *width = w;
  switch (view)
    {
    case VA_VIEW_FRAMES:
      /* a square of one pixel per frame: 1024x1024 for 4 GiB, 4096x4096 for 64 GiB */
      while ((guint64) side * side < m->nr_pfns)
        side <<= 1;
      *width = side;
      *height = (m->nr_pfns + side - 1) / side;
      return;
    case VA_VIEW_VIRTUAL:
      *height = top + 1100 + GAP + legend + MARGIN;
      break;
    case VA_VIEW_PHYSICAL:
      *height = top + 760 + GAP + legend + MARGIN;
      break;
    case VA_VIEW_FREELISTS:
      *height = top + va_freelist_view_height (m, inner, options) + GAP + legend + MARGIN;
      break;
    case VA_VIEW_ALL:
    default:
      *height = top + 1000 + GAP + va_freelist_view_height (m, inner, options) + GAP + legend +
                MARGIN;
      break;
    }
  *height = ceil (*height);
}

void
va_export_page_layout (VaMachine             *m,
                       const VaRenderOptions *options,
                       VaExportView           view,
                       double                 width,
                       double                 height,
                       VaExportPage          *page)
{
  double inner = width - 2 * MARGIN;
  double th = va_title_block_height (options);
  double y = MARGIN + th + GAP;
  double legend_h, bottom, main_h;

  memset (page, 0, sizeof *page);
  page->width = width;
  page->height = height;
  page->legend_parts = legend_parts (view, options);
  page->title = (VaRect) { MARGIN, MARGIN, inner, th };
  legend_h = va_legend_height (m, inner, options, page->legend_parts);
  page->legend = (VaRect) { MARGIN, height - MARGIN - legend_h, inner, legend_h };
  bottom = page->legend.y - GAP;
  main_h = MAX (bottom - y, 50);

  switch (view)
    {
    case VA_VIEW_VIRTUAL:
      page->virt = (VaRect) { MARGIN, y, MIN (inner, 720), main_h };
      break;
    case VA_VIEW_PHYSICAL:
      page->phys = (VaRect) { MARGIN, y, inner, main_h };
      break;
    case VA_VIEW_FREELISTS:
      page->freelists = (VaRect) { MARGIN, y, inner, main_h };
      break;
    case VA_VIEW_ALL:
    default:
      {
        double fl = va_freelist_view_height (m, inner, options);
        double maps_h = MAX (bottom - y - fl - GAP, 200);
        double vw = floor (MIN (MAX (inner * 0.34, 380), 560));

        page->virt = (VaRect) { MARGIN, y, vw, maps_h };
        page->phys = (VaRect) { MARGIN + vw + LINK_GAP, y, inner - vw - LINK_GAP, maps_h };
        page->freelists = (VaRect) { MARGIN, y + maps_h + GAP, inner, fl };
      }
      break;
    }
}

static gboolean
has (const VaRect *r)
{
  return r->width > 0 && r->height > 0;
}

void
va_export_draw (cairo_t               *cr,
                VaMachine             *m,
                const VaRenderOptions *options,
                VaExportView           view,
                double                 width,
                double                 height,
                const char            *source)
{
  VaExportPage page;

  va_export_page_layout (m, options, view, width, height, &page);
  cairo_save (cr);
  va_render_set_color (cr, options->palette, VA_COLOR_BACKGROUND);
  cairo_paint (cr);
  va_title_block_draw (cr, m, &page.title, options, source);
  if (has (&page.phys))
    va_phys_view_draw (cr, m, &page.phys, options);
  if (has (&page.virt) && has (&page.phys))
    va_links_draw (cr, m, &page.virt, &page.phys, options);
  if (has (&page.virt))
    va_virt_view_draw (cr, m, &page.virt, options);
  if (has (&page.freelists))
    va_freelist_view_draw (cr, m, &page.freelists, options);
  va_legend_draw (cr, m, &page.legend, options, page.legend_parts);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

typedef struct {
  FILE *fp;
  int   errsv;
} Sink;

static cairo_status_t
sink_write (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  Sink *sink = closure;

  if (fwrite (data, 1, length, sink->fp) != length)
    {
      sink->errsv = errno ? errno : EIO;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
svg_buffer_write (void                *closure,
                  const unsigned char *data,
                  unsigned int         length)
{
  g_string_append_len (closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Cairo 1.16 writes every label as glyph outlines.  Add them once more as
 * transparent <text> over the glyphs, so the SVG can be searched, selected
 * and read by screen readers, and a document <title>. */
static void
add_label_layer (GString         *svg,
                 const GPtrArray *labels,
                 const char      *title)
{
  const char *end = g_strrstr (svg->str, "</svg>");
  const char *open = strstr (svg->str, "<svg");
  GString *layer = g_string_new ("<g id=\"vmatlas-labels\" fill-opacity=\"0\" "
                                 "font-family=\"DejaVu Sans\">\n");

  for (guint i = 0; i < labels->len; i++)
    g_string_append_printf (layer, "%s\n", (const char *) labels->pdata[i]);
  g_string_append (layer, "</g>\n");
  if (end)
    g_string_insert (svg, end - svg->str, layer->str);
  open = open ? strchr (open, '>') : NULL;
  if (open)
    {
      g_autofree char *t = g_markup_escape_text (title ? title : "VM Atlas memory map", -1);
      g_autofree char *elem = g_strdup_printf ("\n<title>%s</title>", t);

      g_string_insert (svg, open + 1 - svg->str, elem);
    }
  g_string_free (layer, TRUE);
}

static gboolean
cairo_ok (cairo_status_t status,
          const Sink    *sink,
          const char    *path,
          GError       **error)
{
  if (status == CAIRO_STATUS_SUCCESS && sink->errsv == 0)
    return TRUE;
  if (sink->errsv)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (sink->errsv),
                 "cannot write %s: %s", path, g_strerror (sink->errsv));
  else
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                 "cannot write %s: %s", path, cairo_status_to_string (status));
  return FALSE;
}

static gboolean
render_to (Sink                  *sink,
           VaMachine             *m,
           const VaRenderOptions *options,
           VaExportView           view,
           VaExportFormat         format,
           const char            *path,
           double                 width,
           double                 height,
           double                 scale,
           const char            *source,
           GError               **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  g_autoptr(GString) svg = g_string_new (NULL);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  switch (format)
    {
    case VA_EXPORT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (width * scale),
                                            (int) ceil (height * scale));
      cairo_surface_set_device_scale (surface, scale, scale);
      break;
    case VA_EXPORT_SVG:
      /* buffered, so the label layer can go in before </svg> */
      surface = cairo_svg_surface_create_for_stream (svg_buffer_write, svg, width, height);
      break;
    case VA_EXPORT_PDF:
    default:
      surface = cairo_pdf_surface_create_for_stream (sink_write, sink, width, height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                      options->title ? options->title : "VM Atlas");
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "VM Atlas");
      break;
    }
  cr = cairo_create (surface);
  if (format == VA_EXPORT_SVG)
    cairo_set_user_data (cr, &va_text_log_key, labels, NULL);
  va_export_draw (cr, m, options, view, width, height, source);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_flush (surface);
      if (format == VA_EXPORT_PNG)
        status = cairo_surface_write_to_png_stream (surface, sink_write, sink);
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (format == VA_EXPORT_SVG && status == CAIRO_STATUS_SUCCESS)
    {
      add_label_layer (svg, labels, options->title);
      status = sink_write (sink, (const unsigned char *) svg->str, svg->len);
    }
  return cairo_ok (status, sink, path, error);
}

gboolean
va_export_write (VaMachine             *m,
                 const VaRenderOptions *options,
                 VaExportView           view,
                 VaExportFormat         format,
                 const char            *path,
                 double                 width,
                 double                 height,
                 double                 scale,
                 const char            *source,
                 GError               **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  Sink sink = { NULL, 0 };
  mode_t mask;
  int fd, errsv;

  g_return_val_if_fail (m != NULL && options != NULL && path != NULL, FALSE);
  if (view == VA_VIEW_FRAMES)
    {
      if (format != VA_EXPORT_PNG)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "--view frames writes an indexed PNG only; use .png or another view");
          return FALSE;
        }
      return va_phys_export_png (m, path, width, height, options->palette, error);
    }
  if (!(width >= 1 && height >= 1 && width <= MAX_DIM && height <= MAX_DIM) ||
      !(scale > 0 && width * scale <= MAX_DIM && height * scale <= MAX_DIM))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "page %gx%g at scale %g is out of range (1 to %g units and pixels a side)",
                   width, height, scale, MAX_DIM);
      return FALSE;
    }
  fd = g_mkstemp (tmp);
  if (fd < 0)
    {
      errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "cannot write %s: %s", path, g_strerror (errsv));
      return FALSE;
    }
  mask = umask (0);
  umask (mask);
  if (fchmod (fd, 0666 & ~mask) < 0 || !(sink.fp = fdopen (fd, "wb")))
    {
      errsv = errno;
      if (!sink.fp)
        close (fd);
      g_unlink (tmp);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "cannot write %s: %s", path, g_strerror (errsv));
      return FALSE;
    }
  if (!render_to (&sink, m, options, view, format, path, width, height, scale, source, error))
    {
      fclose (sink.fp);
      g_unlink (tmp);
      return FALSE;
    }
  if (fflush (sink.fp) != 0 || fsync (fileno (sink.fp)) != 0)
    {
      errsv = errno;
      fclose (sink.fp);
      g_unlink (tmp);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "cannot write %s: %s", path, g_strerror (errsv));
      return FALSE;
    }
  if (fclose (sink.fp) != 0 || g_rename (tmp, path) != 0)
    {
      errsv = errno;
      g_unlink (tmp);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "cannot write %s: %s", path, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}
