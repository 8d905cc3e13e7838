/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-palette"

#include "va-palette.h"

#include <string.h>

struct _VaPalette {
  VaRgb colors[VA_N_COLORS];
};

/* The built-in copy of data/palette.ini: names and both variants in one
 * table so a role cannot get a name without colours.  The test
 * /render/palette/file-matches-builtin keeps it equal to the file. */
static const struct {
  const char *name;
  guint32     light;
  guint32     dark;
} roles[VA_N_COLORS] = {
  [VA_COLOR_BACKGROUND]          = { "background",          0xFFFFFF, 0x1C1C1C },
  [VA_COLOR_TEXT]                = { "text",                0x1A1A1A, 0xEEEEEE },
  [VA_COLOR_TEXT_DIM]            = { "text-dim",            0x666666, 0xAAAAAA },
  [VA_COLOR_GRID]                = { "grid",                0x888888, 0x777777 },
  [VA_COLOR_SELECTION]           = { "selection",           0xEE3377, 0xEE3377 },
  [VA_COLOR_LINK]                = { "link",                0x0077BB, 0x33BBEE },
  [VA_COLOR_FREE_LOW]            = { "free-low",            0xEEDD88, 0x3B3A22 },
  [VA_COLOR_FREE_HIGH]           = { "free-high",           0xCCEEFF, 0x1F5068 },
  [VA_COLOR_FREE_CMA]            = { "free-cma",            0xFFAABB, 0x5C3A45 },
  [VA_COLOR_PCP]                 = { "pcp",                 0x44BB99, 0x44BB99 },
  [VA_COLOR_ISOLATED]            = { "isolated",            0xAA4499, 0xAA4499 },
  [VA_COLOR_ALLOC_PAGES]         = { "alloc-pages",         0xE69F00, 0xE69F00 },
  [VA_COLOR_ALLOC_KMALLOC]       = { "alloc-kmalloc",       0xD55E00, 0xD55E00 },
  [VA_COLOR_ALLOC_VMALLOC]       = { "alloc-vmalloc",       0x0072B2, 0x0072B2 },
  [VA_COLOR_ALLOC_KMAP]          = { "alloc-kmap",          0xCC79A7, 0xCC79A7 },
  [VA_COLOR_ALLOC_CMA]           = { "alloc-cma",           0x009E73, 0x009E73 },
  [VA_COLOR_ALLOC_WORKLOAD]      = { "alloc-workload",      0x56B4E9, 0x56B4E9 },
  [VA_COLOR_ALLOC_MOVABLE]       = { "alloc-movable",       0x999933, 0x999933 },
  [VA_COLOR_RESERVED_KERNEL]     = { "reserved-kernel",     0x332288, 0xE0E0E0 },
  [VA_COLOR_RESERVED_MEMMAP]     = { "reserved-memmap",     0x882255, 0xB0B0B0 },
  [VA_COLOR_RESERVED]            = { "reserved",            0x4D4D4D, 0x888888 },
  [VA_COLOR_HOLE]                = { "hole",                0xBBBBBB, 0x000000 },
  [VA_COLOR_ZONE_DMA]            = { "zone-dma",            0xEE6677, 0xEE6677 },
  [VA_COLOR_ZONE_NORMAL]         = { "zone-normal",         0x228833, 0x228833 },
  [VA_COLOR_ZONE_HIGHMEM]        = { "zone-highmem",        0x66CCEE, 0x66CCEE },
  [VA_COLOR_REGION_USER]         = { "region-user",         0xDDDDDD, 0x444444 },
  [VA_COLOR_REGION_LINEAR]       = { "region-linear",       0x77AADD, 0x4477AA },
  [VA_COLOR_REGION_GAP]          = { "region-gap",          0xF4F4F4, 0x2A2A2A },
  [VA_COLOR_REGION_VMALLOC_FREE] = { "region-vmalloc-free", 0xEEDD88, 0x5A5230 },
  [VA_COLOR_REGION_GUARD]        = { "region-guard",        0x1A1A1A, 0xEEEEEE },
  [VA_COLOR_REGION_LAZY]         = { "region-lazy",         0xEE8866, 0xEE8866 },
  [VA_COLOR_REGION_PKMAP]        = { "region-pkmap",        0xCC79A7, 0xCC79A7 },
  [VA_COLOR_REGION_FIXMAP]       = { "region-fixmap",       0x44BB99, 0x44BB99 },
  [VA_COLOR_REGION_CPU_ENTRY]    = { "region-cpu-entry",    0xAAAA00, 0xAAAA00 },
  [VA_COLOR_REGION_UNUSED]       = { "region-unused",       0xEEEEEE, 0x303030 },
};

static VaRgb
rgb_from_hex (guint32 hex)
{
  return (VaRgb) {
    ((hex >> 16) & 0xff) / 255.0,
    ((hex >> 8) & 0xff) / 255.0,
    (hex & 0xff) / 255.0,
  };
}

/* Strictly "#rrggbb": the file is ours, so anything else is a typo worth
 * reporting rather than guessing at. */
static gboolean
parse_hex_color (const char *text,
                 guint32    *out)
{
  guint32 value = 0;

  if (text[0] != '#' || strlen (text) != 7)
    return FALSE;
  for (guint i = 1; i < 7; i++)
    {
      int digit = g_ascii_xdigit_value (text[i]);

      if (digit < 0)
        return FALSE;
      value = (value << 4) | (guint32) digit;
    }
  *out = value;
  return TRUE;
}

static gboolean
role_from_name (const char  *name,
                VaColorRole *out)
{
  for (guint r = 0; r < VA_N_COLORS; r++)
    if (g_str_equal (roles[r].name, name))
      {
        *out = r;
        return TRUE;
      }
  return FALSE;
}

/* A misspelt key would otherwise only show up as "missing" for the role it
 * was meant to set; naming it points at the actual typo. */
static gboolean
check_no_unknown_keys (GKeyFile   *file,
                       const char *path,
                       const char *group,
                       GError    **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);
  VaColorRole role;

  for (guint i = 0; keys && keys[i]; i++)
    if (!role_from_name (keys[i], &role))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     "%s: [%s] %s: not a colour role", path, group, keys[i]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
read_role (GKeyFile   *file,
           const char *path,
           const char *group,
           VaColorRole role,
           VaRgb      *out,
           GError    **error)
{
  const char *key = roles[role].name;
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);
  guint32 hex;

  if (value == NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                   "%s: [%s] %s: missing", path, group, key);
      return FALSE;
    }
  if (!parse_hex_color (g_strstrip (value), &hex))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "%s: [%s] %s: “%s” is not a colour; expected #rrggbb",
                   path, group, key, value);
      return FALSE;
    }
  *out = rgb_from_hex (hex);
  return TRUE;
}

/**
 * va_palette_load:
 * @path: a palette file (data/palette.ini)
 * @dark: read the [dark] group instead of [light]
 * @error: return location; the message names the file, group and key
 *
 * Every role must be present and every key must be a role, so the file and
 * the enum cannot drift apart silently.
 */
VaPalette *
va_palette_load (const char *path,
                 gboolean    dark,
                 GError    **error)
{
  const char *group = dark ? "dark" : "light";
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(VaPalette) palette = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (!g_key_file_has_group (file, group))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                   "%s: no [%s] group", path, group);
      return NULL;
    }
  if (!check_no_unknown_keys (file, path, group, error))
    return NULL;

  palette = g_new0 (VaPalette, 1);
  for (guint r = 0; r < VA_N_COLORS; r++)
    if (!read_role (file, path, group, r, &palette->colors[r], error))
      return NULL;
  return g_steal_pointer (&palette);
}

VaPalette *
va_palette_default (gboolean dark)
{
  VaPalette *palette = g_new0 (VaPalette, 1);

  for (guint r = 0; r < VA_N_COLORS; r++)
    palette->colors[r] = rgb_from_hex (dark ? roles[r].dark : roles[r].light);
  return palette;
}

VaPalette *
va_palette_copy (const VaPalette *palette)
{
  g_return_val_if_fail (palette != NULL, NULL);
  return g_memdup2 (palette, sizeof *palette);
}

void
va_palette_free (VaPalette *palette)
{
  g_free (palette);
}

VaRgb
va_palette_get (const VaPalette *palette,
                VaColorRole      role)
{
  static const VaRgb black = { 0, 0, 0 };

  g_return_val_if_fail (palette != NULL, black);
  g_return_val_if_fail (role < VA_N_COLORS, black);

  return palette->colors[role];
}

const char *
va_palette_role_name (VaColorRole role)
{
  g_return_val_if_fail (role < VA_N_COLORS, NULL);

  return roles[role].name;
}
