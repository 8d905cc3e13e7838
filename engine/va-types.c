/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-types"

#include "va-types.h"

#include <string.h>

/* mm/page_alloc.c: zone_names[] */
static const char *const zone_names[VA_NR_ZONES] = {
  "DMA", "Normal", "HighMem", "Movable",
};

/* mm/page_alloc.c: migratetype_names[] (6.1) */
static const char *const migratetype_names[VA_MT_TYPES] = {
  "Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};

const char *
va_zone_name (VaZoneType zone)
{
  g_return_val_if_fail (zone < VA_NR_ZONES, "?");
  return zone_names[zone];
}

const char *
va_migratetype_name (VaMigrateType mt)
{
  g_return_val_if_fail (mt < VA_MT_TYPES, "?");
  return migratetype_names[mt];
}

gboolean
va_zone_from_name (const char *name,
                   VaZoneType *out)
{
  for (guint i = 0; i < VA_NR_ZONES; i++)
    if (g_ascii_strcasecmp (zone_names[i], name) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}
