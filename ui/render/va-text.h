/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "va-render.h"

G_BEGIN_DECLS

/* Text for the views: one pinned face (DejaVu Sans, Debian's fonts-dejavu-core)
 * and fixed font options, so an export looks the same on every machine. */
#define VA_TEXT_FAMILY "DejaVu Sans"

typedef enum {
  VA_TEXT_LEFT,
  VA_TEXT_RIGHT,
  VA_TEXT_CENTER,
} VaTextAlign;

PangoLayout *va_text_layout      (cairo_t     *cr,
                                  double       size,
                                  gboolean     bold,
                                  const char  *text);
/* The same layout from the shaping cache, owned by it and valid until the
 * next va_text call; for text drawn by hand (rotated, on a box) that is
 * drawn again every frame. */
PangoLayout *va_text_layout_cached (cairo_t    *cr,
                                    double      size,
                                    gboolean    bold,
                                    const char *text);
/* Logical size of @text in user units. */
void         va_text_extents     (cairo_t     *cr,
                                  double       size,
                                  gboolean     bold,
                                  const char  *text,
                                  double      *width,
                                  double      *height);
/* Height of one line at @size, without a cairo_t (for layouts). */
double       va_text_line_height (double       size,
                                  gboolean     bold);
double       va_text_width       (double       size,
                                  gboolean     bold,
                                  const char  *text);
/* Draws @text with its vertical centre at @y; @x is the left edge, right
 * edge or centre by @align.  Returns the width drawn. */
double       va_text_draw        (cairo_t     *cr,
                                  double       x,
                                  double       y,
                                  VaTextAlign  align,
                                  double       size,
                                  gboolean     bold,
                                  const char  *text);
/* Like va_text_draw() but elides the text at the end to @max_width;
 * draws nothing and returns FALSE if not even "…" fits. */
gboolean     va_text_draw_fit    (cairo_t     *cr,
                                  double       x,
                                  double       y,
                                  VaTextAlign  align,
                                  double       size,
                                  gboolean     bold,
                                  double       max_width,
                                  const char  *text);

/* Loads the faces the views use at @font_size (the options' base size)
 * for the calling thread on another thread, which the calling thread's
 * first text waits for: the GUI's main thread then finds them loaded
 * while it was busy with GTK. */
void         va_text_warm_up     (double       font_size);
/* Waits for the calling thread's warm-up, if any. */
void         va_text_warm_up_finish (void);

/* Text colour readable on a fill of @role: the text colour, or the
 * background colour on dark fills. */
void         va_text_set_color_on (cairo_t         *cr,
                                   const VaPalette *palette,
                                   VaRgb            fill);
double       va_render_font_size (const VaRenderOptions *options);
/* "4 KiB", "8 MiB", "3 GiB", "1.5 MiB" */
char        *va_text_format_size (guint64      bytes);

/* Set on a cairo_t (a GPtrArray of char*) to collect the labels drawn, as
 * SVG <text> elements in device coordinates. */
extern const cairo_user_data_key_t va_text_log_key;

G_END_DECLS
