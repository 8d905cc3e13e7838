/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"
#include "va-palette.h"

G_BEGIN_DECLS

/* What the physical map shows for one page frame, as one byte so a whole
 * machine's frames fit a byte array (and a PNG's palette indices).
 *
 * Classes below VA_N_COLORS are palette roles (VA_COLOR_ALLOC_VMALLOC, …).
 * Free buddy blocks get one class per order, VA_FRAME_CLASS_FREE (order),
 * coloured on a ramp from VA_COLOR_FREE_LOW (order 0) to VA_COLOR_FREE_HIGH
 * (MAX_ORDER - 1), so a fragmented zone looks different from a whole one. */
#define VA_FRAME_CLASS_FREE(order)  ((guint8) (VA_N_COLORS + (order)))
#define VA_N_FRAME_CLASSES          (VA_N_COLORS + VA_MAX_ORDER_LIMIT)

G_STATIC_ASSERT (VA_N_FRAME_CLASSES <= 256);

static inline gboolean
va_frame_class_is_free_order (guint8 cls)
{
  return cls >= VA_N_COLORS && cls < VA_N_FRAME_CLASSES;
}

/* The class of the block whose head is @head_pfn (a tail is looked up). */
guint8  va_frame_class       (const VaMachine *m,
                              guint32          head_pfn);
/* One class per frame into @out (m->nr_pfns bytes): heads painted over
 * their 1 << order frames. */
void    va_frame_classes_fill (const VaMachine *m,
                               guint8          *out);
/* The palette role a legend shows for @cls (free orders: VA_COLOR_FREE_LOW). */
VaColorRole va_frame_class_role (guint8        cls);
/* The colour of @cls; free orders are interpolated along the ramp for a
 * machine whose MAX_ORDER is @max_order. */
VaRgb   va_frame_class_rgb   (const VaPalette *palette,
                              guint8           cls,
                              guint            max_order);
/* 256 opaque 0xffrrggbb pixels (cairo RGB24/ARGB32), one per class;
 * classes past VA_N_FRAME_CLASSES get the background. */
void    va_frame_class_lut   (const VaPalette *palette,
                              guint            max_order,
                              guint32          lut[256]);

G_END_DECLS
