/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-lookup.h"
#include "va-render.h"

G_BEGIN_DECLS

/* The 4 GiB virtual address space as one tall bar, 0xFFFFFFFF at the top,
 * as in the classic textbook figure.  Regions keep a minimum height so a
 * 4 KiB guard page stays visible beside 3 GiB of user space; a break mark
 * shows where a region was drawn shorter than its share. */
typedef struct {
  guint32  start;
  guint64  end;           /* exclusive */
  VaRegion region;
  double   y_top, y_bottom;
  gboolean compressed;    /* drawn shorter than its share: break mark */
  const VaAllocation *owner;   /* vmalloc areas and guards */
  guint32  page;          /* page-by-page zoom: index of the page in its area, else G_MAXUINT32 */
  guint32  pfn;           /* page-by-page zoom: the frame behind that page, else VA_PFN_NONE */
} VaVirtSegment;

/* Where the bar is inside @rect (left of it: the address column). */
void     va_virt_view_bar     (VaMachine             *m,
                               const VaRect          *rect,
                               const VaRenderOptions *options,
                               VaRect                *bar);
/* va_virt_view_addr_y() on a layout already made (NAN if @addr is not in it). */
double   va_virt_view_segments_addr_y (GArray         *segments,
                                       guint64         addr);
/* Smallest height a region is drawn with (one line of text). */
double   va_virt_view_min_height (const VaRenderOptions *options);
/* The label drawn inside a segment: "vmalloc “a”", "guard page", … */
char    *va_virt_view_segment_label (const VaVirtSegment *segment);
/* The kernel symbol of a boundary address ("PAGE_OFFSET"), or NULL. */
const char *va_virt_view_boundary_name (VaMachine     *m,
                                        guint64        addr);

GArray  *va_virt_view_layout  (VaMachine             *m,
                               const VaRect          *rect,
                               const VaRenderOptions *options);   /* VaVirtSegment, top down */
void     va_virt_view_draw    (cairo_t               *cr,
                               VaMachine             *m,
                               const VaRect          *rect,
                               const VaRenderOptions *options);
/* Everything va_virt_view_draw() reads, as bytes in @out: for one
 * palette, equal digests mean equal pictures, so a cached picture redraws
 * the map only when its digest changed. */
void     va_virt_view_digest  (VaMachine             *m,
                               const VaRect          *rect,
                               const VaRenderOptions *options,
                               GString               *out);
/* The address under y (inside the bar), FALSE outside it. */
gboolean va_virt_view_hit     (VaMachine             *m,
                               const VaRect          *rect,
                               const VaRenderOptions *options,
                               double                 x,
                               double                 y,
                               guint32               *addr);
/* The y of address @addr on the bar (for links). */
double   va_virt_view_addr_y  (VaMachine             *m,
                               const VaRect          *rect,
                               const VaRenderOptions *options,
                               guint32                addr);

G_END_DECLS
