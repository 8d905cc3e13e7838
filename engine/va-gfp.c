/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-gfp"

#include "va-gfp.h"
#include "va-config.h"

#include <string.h>

/* Looks up one flag name of @len bytes (no copy: parsing runs for every
 * replayed op). */
static gboolean
lookup_name (const VaProfile *profile,
             const char      *name,
             gsize            len,
             guint32         *bits)
{
  for (const VaGfpName *g = profile->gfp_names; g->name; g++)
    if (strncmp (g->name, name, len) == 0 && g->name[len] == '\0')
      {
        *bits = g->bits;
        return TRUE;
      }
  return FALSE;
}

static GString *
list_names (const VaProfile *profile)
{
  GString *s = g_string_new (NULL);

  for (const VaGfpName *g = profile->gfp_names; g->name; g++)
    if (g->name[0] == 'G')
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", g->name);
  g_string_append (s, " and the __GFP_* bits");
  return s;
}

/* Checks the combinations the kernel refuses: GFP_ZONE_BAD in 6.1's
 * GFP_ZONE_TABLE (two zone modifiers) and both mobility bits at once. */
static gboolean
check_combination (const VaProfile *profile,
                   guint32          gfp,
                   const char      *text,
                   GError         **error)
{
  if ((gfp & profile->gfp_dma) && (gfp & profile->gfp_highmem))
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "gfp=%s: __GFP_DMA and __GFP_HIGHMEM name two zones; use one", text);
      return FALSE;
    }
  if (profile->gfp_movable && (gfp & profile->gfp_movable) && (gfp & profile->gfp_reclaimable))
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "gfp=%s: __GFP_MOVABLE and __GFP_RECLAIMABLE together are invalid "
                   "(gfp_migratetype() warns)", text);
      return FALSE;
    }
  return TRUE;
}

/* "GFP_KERNEL|__GFP_ZERO", names as this profile's kernel defines them. */
gboolean
va_gfp_parse (const VaProfile *profile,
              const char      *text,
              guint32         *gfp,
              GError         **error)
{
  guint32 mask = 0;
  const char *p;

  g_return_val_if_fail (profile != NULL && text != NULL && gfp != NULL, FALSE);

  for (p = text;;)
    {
      const char *end = strchr (p, '|');
      gsize len = end ? (gsize) (end - p) : strlen (p);
      guint32 bits;

      while (len && g_ascii_isspace (*p))
        p++, len--;
      while (len && g_ascii_isspace (p[len - 1]))
        len--;
      if (!lookup_name (profile, p, len, &bits))
        {
          g_autoptr(GString) names = list_names (profile);
          g_autofree char *name = g_strndup (p, len);

          g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                       "gfp: “%s” is not a GFP flag of %s; known: %s",
                       name, profile->name, names->str);
          return FALSE;
        }
      mask |= bits;
      if (end == NULL)
        break;
      p = end + 1;
    }
  if (!check_combination (profile, mask, text, error))
    return FALSE;
  *gfp = mask;
  return TRUE;
}

/* The profile's own composite name when one matches, else bits joined by |. */
char *
va_gfp_format (const VaProfile *profile,
               guint32          gfp)
{
  GString *s = g_string_new (NULL);
  guint32 rest = gfp;
  const VaGfpName *best = NULL;

  for (const VaGfpName *g = profile->gfp_names; g->name; g++)
    if (g->name[0] == 'G' && (g->bits & ~gfp) == 0 &&
        (best == NULL || __builtin_popcount (g->bits) > __builtin_popcount (best->bits)))
      best = g;
  if (best)
    {
      g_string_append (s, best->name);
      rest &= ~best->bits;
    }
  for (const VaGfpName *g = profile->gfp_names; g->name && rest; g++)
    if (g->name[0] == '_' && __builtin_popcount (g->bits) == 1 && (rest & g->bits))
      {
        g_string_append_printf (s, "%s%s", s->len ? "|" : "", g->name);
        rest &= ~g->bits;
      }
  if (rest || s->len == 0)
    g_string_append_printf (s, "%s0x%x", s->len ? "|" : "", rest);
  return g_string_free (s, FALSE);
}

/* models mm/page_alloc.c: build_zonelists() + the zonelist walk: from the
 * highest allowed zone down to DMA, skipping zones without pages. */
void
va_gfp_zonelist (const VaProfile *profile,
                 const VaZone    *zones,
                 guint32          gfp,
                 VaZonelist      *out)
{
  VaZoneType high = va_gfp_zone (profile, gfp);

  out->n = 0;
  for (gint z = high; z >= 0; z--)
    if (z < (gint) profile->nr_zones && va_zone_populated (&zones[z]))
      out->zones[out->n++] = z;
  /* 6.1 checks lowmem_reserve[highest_zoneidx]; 2.6.9's alloc_type is the
   * first zone actually in the list. */
  if (profile->gen == VA_GEN_6_1 || out->n == 0)
    out->classzone = high;
  else
    out->classzone = out->zones[0];
}
