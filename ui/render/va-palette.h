/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every colour the maps use, by role.  Loaded from data/palette.ini (one
 * [light] and one [dark] group), so the views never hard-code a colour. */
typedef enum {
  VA_COLOR_BACKGROUND,
  VA_COLOR_TEXT,
  VA_COLOR_TEXT_DIM,
  VA_COLOR_GRID,
  VA_COLOR_SELECTION,
  VA_COLOR_LINK,
  /* frame classes of the physical map */
  VA_COLOR_FREE_LOW,        /* free, order 0 (gradient to FREE_HIGH by order) */
  VA_COLOR_FREE_HIGH,       /* free, MAX_ORDER - 1 */
  VA_COLOR_FREE_CMA,
  VA_COLOR_PCP,
  VA_COLOR_ISOLATED,
  VA_COLOR_ALLOC_PAGES,
  VA_COLOR_ALLOC_KMALLOC,
  VA_COLOR_ALLOC_VMALLOC,
  VA_COLOR_ALLOC_KMAP,
  VA_COLOR_ALLOC_CMA,
  VA_COLOR_ALLOC_WORKLOAD,
  VA_COLOR_ALLOC_MOVABLE,
  VA_COLOR_RESERVED_KERNEL,
  VA_COLOR_RESERVED_MEMMAP,
  VA_COLOR_RESERVED,
  VA_COLOR_HOLE,
  VA_COLOR_ZONE_DMA,
  VA_COLOR_ZONE_NORMAL,
  VA_COLOR_ZONE_HIGHMEM,
  /* regions of the virtual map */
  VA_COLOR_REGION_USER,
  VA_COLOR_REGION_LINEAR,
  VA_COLOR_REGION_GAP,
  VA_COLOR_REGION_VMALLOC_FREE,
  VA_COLOR_REGION_GUARD,
  VA_COLOR_REGION_LAZY,
  VA_COLOR_REGION_PKMAP,
  VA_COLOR_REGION_FIXMAP,
  VA_COLOR_REGION_CPU_ENTRY,
  VA_COLOR_REGION_UNUSED,
  VA_N_COLORS,
} VaColorRole;

typedef struct {
  double r, g, b;           /* 0..1 */
} VaRgb;

typedef struct _VaPalette VaPalette;

VaPalette   *va_palette_load      (const char       *path,
                                   gboolean          dark,
                                   GError          **error);
VaPalette   *va_palette_default   (gboolean          dark);   /* the built-in copy of data/palette.ini */
VaPalette   *va_palette_copy      (const VaPalette  *palette);
void         va_palette_free      (VaPalette        *palette);
VaRgb        va_palette_get       (const VaPalette  *palette,
                                   VaColorRole       role);
const char  *va_palette_role_name (VaColorRole       role);   /* key in palette.ini */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaPalette, va_palette_free)

G_END_DECLS
