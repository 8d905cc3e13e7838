/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-profile.h"
#include "va-zone.h"

G_BEGIN_DECLS

/* The zones an allocation may use, in the order it tries them. */
typedef struct {
  VaZoneType zones[VA_NR_ZONES];
  guint      n;
  VaZoneType classzone;   /* 6.1 highest_zoneidx, 2.6.9 alloc_type, 2.4 classzone */
} VaZonelist;

gboolean    va_gfp_parse        (const VaProfile *profile,
                                 const char      *text,
                                 guint32         *gfp,
                                 GError         **error);
char       *va_gfp_format       (const VaProfile *profile,
                                 guint32          gfp);
void        va_gfp_zonelist     (const VaProfile *profile,
                                 const VaZone    *zones,
                                 guint32          gfp,
                                 VaZonelist      *out);

/* Inline, as in the kernel: every allocation asks both. */

/* models include/linux/gfp.h: gfp_zone() (6.1 GFP_ZONE_TABLE on i386) and
 * build_zonelists()'s choice of list (2.4, 2.6.9): DMA wins, then HighMem;
 * 6.1's __GFP_MOVABLE|__GFP_HIGHMEM reaches ZONE_MOVABLE. */
static inline VaZoneType
va_gfp_zone (const VaProfile *profile,
             guint32          gfp)
{
  if (gfp & profile->gfp_dma)
    return VA_ZONE_DMA;
  if (gfp & profile->gfp_highmem)
    {
      if (profile->gfp_movable && (gfp & profile->gfp_movable))
        return VA_ZONE_MOVABLE;
      return VA_ZONE_HIGHMEM;
    }
  return VA_ZONE_NORMAL;
}

/* models include/linux/gfp.h: gfp_migratetype() */
static inline guint
va_gfp_migratetype (const VaProfile *profile,
                    guint32          gfp)
{
  if (!profile->has_migratetypes)
    return 0;
  if (gfp & profile->gfp_movable)
    return VA_MT_MOVABLE;
  if (gfp & profile->gfp_reclaimable)
    return VA_MT_RECLAIMABLE;
  return VA_MT_UNMOVABLE;
}

G_END_DECLS
