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
VaZoneType  va_gfp_zone         (const VaProfile *profile,
                                 guint32          gfp);
guint       va_gfp_migratetype  (const VaProfile *profile,
                                 guint32          gfp);
void        va_gfp_zonelist     (const VaProfile *profile,
                                 const VaZone    *zones,
                                 guint32          gfp,
                                 VaZonelist      *out);

G_END_DECLS
