/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-render.h"

G_BEGIN_DECLS

/* The buddy allocator's free lists: per zone, per order (and per migrate
 * type where the profile has them), the free blocks in list order as a
 * chain of boxes labelled with their head pfn, with the /proc/buddyinfo
 * count of each order.  Zones sit side by side when the rect is wide. */

/* Height the view needs at @width. */
double   va_freelist_view_height (VaMachine             *m,
                                  double                 width,
                                  const VaRenderOptions *options);
void     va_freelist_view_draw   (cairo_t               *cr,
                                  VaMachine             *m,
                                  const VaRect          *rect,
                                  const VaRenderOptions *options);
/* The head pfn of the free block box under (x, y), or VA_PFN_NONE. */
guint32  va_freelist_view_hit    (VaMachine             *m,
                                  const VaRect          *rect,
                                  const VaRenderOptions *options,
                                  double                 x,
                                  double                 y);

/* For animations (the GUI's free-list panel).  The boxes a block would
 * take in row @order of @zone's lists: the first one (the list's head,
 * or where it would be in an empty row) and the one after the last shown
 * (its tail).  FALSE if the zone is not shown. */
gboolean va_freelist_view_row    (VaMachine             *m,
                                  const VaRect          *rect,
                                  const VaRenderOptions *options,
                                  guint                  zone,
                                  guint                  order,
                                  VaRect                *head,
                                  VaRect                *tail);
/* The box of free block @pfn, if it is drawn. */
gboolean va_freelist_view_locate (VaMachine             *m,
                                  const VaRect          *rect,
                                  const VaRenderOptions *options,
                                  guint32                pfn,
                                  VaRect                *box);
/* One block's box, as the view draws it, at @box. */
void     va_freelist_view_draw_block (cairo_t               *cr,
                                      VaMachine             *m,
                                      const VaRect          *rect,
                                      const VaRenderOptions *options,
                                      const VaRect          *box,
                                      guint32                pfn,
                                      guint                  order,
                                      guint                  mt);

G_END_DECLS
