/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-render.h"

G_BEGIN_DECLS

/* Which parts of the legend to show: those of the views on the page. */
typedef enum {
  VA_LEGEND_VIRTUAL   = 1 << 0,
  VA_LEGEND_PHYSICAL  = 1 << 1,
  VA_LEGEND_FREELISTS = 1 << 2,
  VA_LEGEND_LINKS     = 1 << 3,
} VaLegendParts;

/* The key to every colour and mark, flowing left to right and wrapping. */
double  va_legend_height       (VaMachine             *m,
                                double                 width,
                                const VaRenderOptions *options,
                                VaLegendParts          parts);
void    va_legend_draw         (cairo_t               *cr,
                                VaMachine             *m,
                                const VaRect          *rect,
                                const VaRenderOptions *options,
                                VaLegendParts          parts);

/* The title block: scenario title, machine (RAM, profile, PAE, split,
 * vmalloc=, cma=), op number, source file and selection, so an exported
 * image explains itself. */
double  va_title_block_height  (const VaRenderOptions *options);
void    va_title_block_draw    (cairo_t               *cr,
                                VaMachine             *m,
                                const VaRect          *rect,
                                const VaRenderOptions *options,
                                const char            *source);
char   *va_title_block_machine (VaMachine             *m);

G_END_DECLS
