/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-render.h"

G_BEGIN_DECLS

typedef enum {
  VA_VIEW_ALL,         /* title, virtual | links | physical, free lists, legend */
  VA_VIEW_VIRTUAL,
  VA_VIEW_PHYSICAL,
  VA_VIEW_FREELISTS,
  VA_VIEW_FRAMES,      /* the bare frame map, one pixel per frame: indexed PNG fast path */
} VaExportView;

typedef enum {
  VA_EXPORT_PNG,
  VA_EXPORT_SVG,
  VA_EXPORT_PDF,
} VaExportFormat;

/* Where each part goes on a page; empty rects for parts not shown. */
typedef struct {
  double width, height;
  VaRect title;
  VaRect virt;
  VaRect phys;
  VaRect freelists;
  VaRect legend;
  guint  legend_parts;   /* VaLegendParts */
} VaExportPage;

gboolean     va_export_view_from_name   (const char            *name,
                                         VaExportView          *view);
const char  *va_export_view_names       (void);   /* "all, virtual, physical, freelists, frames" */
/* From the file name's extension (.png, .svg, .pdf, any case). */
gboolean     va_export_format_from_path (const char            *path,
                                         VaExportFormat        *format,
                                         GError               **error);
/* The page size a view wants when no --size is given. */
void         va_export_natural_size     (VaMachine             *m,
                                         const VaRenderOptions *options,
                                         VaExportView           view,
                                         double                *width,
                                         double                *height);
void         va_export_page_layout      (VaMachine             *m,
                                         const VaRenderOptions *options,
                                         VaExportView           view,
                                         double                 width,
                                         double                 height,
                                         VaExportPage          *page);
/* Draws the whole page (background included) into @cr. */
void         va_export_draw             (cairo_t               *cr,
                                         VaMachine             *m,
                                         const VaRenderOptions *options,
                                         VaExportView           view,
                                         double                 width,
                                         double                 height,
                                         const char            *source);
/* Writes @path atomically: a temporary file in the same folder, renamed
 * over @path once complete; on any error nothing is left behind.  @scale
 * is the PNG device scale (pixels per unit); SVG and PDF are in points. */
gboolean     va_export_write            (VaMachine             *m,
                                         const VaRenderOptions *options,
                                         VaExportView           view,
                                         VaExportFormat         format,
                                         const char            *path,
                                         double                 width,
                                         double                 height,
                                         double                 scale,
                                         const char            *source,
                                         GError               **error);

G_END_DECLS
