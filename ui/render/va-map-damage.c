/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-render"

#include "va-map-damage.h"

#include "va-links.h"
#include "va-phys-view.h"
#include "va-profile.h"
#include "va-virt-view.h"

#include <math.h>
#include <string.h>

typedef enum {
  PART_KEY,          /* machine, layout, palette, zoom, size: all of it */
  PART_VIRT,         /* the virtual map */
  PART_BAND,         /* the linear map's band between the maps */
  PART_SELECTION,    /* the selection's links */
  PART_PAGEBLOCKS,   /* migrate types of the pageblocks */
  N_PARTS,
} Part;

struct _VaMapDamage {
  gboolean  valid;              /* FALSE: nothing is known of the picture */
  GString  *digest[N_PARTS];    /* what the picture shows */
  GString  *next[N_PARTS];      /* scratch: what it should show */
  gboolean  has_mark;
  VaRect    mark;               /* the micro-step's outline, as painted */
};

VaMapDamage *
va_map_damage_new (void)
{
  VaMapDamage *damage = g_new0 (VaMapDamage, 1);

  for (guint i = 0; i < N_PARTS; i++)
    {
      damage->digest[i] = g_string_new (NULL);
      damage->next[i] = g_string_new (NULL);
    }
  return damage;
}

void
va_map_damage_free (VaMapDamage *damage)
{
  if (damage == NULL)
    return;
  for (guint i = 0; i < N_PARTS; i++)
    {
      g_string_free (damage->digest[i], TRUE);
      g_string_free (damage->next[i], TRUE);
    }
  g_free (damage);
}

void
va_map_damage_reset (VaMapDamage *damage)
{
  g_return_if_fail (damage != NULL);
  damage->valid = FALSE;
}

/* What every part reads and a change of which is a new picture. */
static void
digest_key (GString               *out,
            VaMachine             *m,
            const VaRect          *virt_rect,
            const VaRect          *phys_rect,
            const VaRenderOptions *options,
            int                    size[2])
{
  const VaLayout *l = &m->layout;

  g_string_truncate (out, 0);
  va_render_digest_add (out, &m->profile, sizeof m->profile);
  va_render_digest_add (out, &m->nr_pfns, sizeof m->nr_pfns);
  va_render_digest_add (out, &m->pageblock_order, sizeof m->pageblock_order);
  va_render_digest_add (out, &l->page_offset, sizeof l->page_offset);
  /* max_pfn .. pmd_size: the boundaries, all guint32, no padding */
  va_render_digest_add (out, &l->max_pfn, G_STRUCT_OFFSET (VaLayout, ram_bytes) - G_STRUCT_OFFSET (VaLayout, max_pfn));
  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      va_render_digest_add (out, &m->zones[z].start_pfn, sizeof m->zones[z].start_pfn);
      va_render_digest_add (out, &m->zones[z].end_pfn, sizeof m->zones[z].end_pfn);
      va_render_digest_add (out, &m->zones[z].spanned, sizeof m->zones[z].spanned);
    }
  for (guint c = 0; c < VA_N_COLORS; c++)
    {
      VaRgb rgb = va_palette_get (options->palette, c);

      va_render_digest_add (out, &rgb, sizeof rgb);
    }
  va_render_digest_add (out, &options->font_size, sizeof options->font_size);
  va_render_digest_add (out, &options->show_pageblocks, sizeof options->show_pageblocks);
  va_render_digest_add (out, &options->zoom_start, sizeof options->zoom_start);
  va_render_digest_add (out, &options->zoom_end, sizeof options->zoom_end);
  va_render_digest_add (out, &options->phys_first, sizeof options->phys_first);
  va_render_digest_add (out, &options->phys_count, sizeof options->phys_count);
  va_render_digest_add (out, virt_rect, sizeof *virt_rect);
  va_render_digest_add (out, phys_rect, sizeof *phys_rect);
  va_render_digest_add (out, size, 2 * sizeof *size);
}

static void
digest_pageblocks (GString               *out,
                   VaMachine             *m,
                   const VaRenderOptions *options)
{
  g_string_truncate (out, 0);
  if (options->show_pageblocks && m->profile->has_migratetypes)
    va_render_digest_add (out, m->pageblock_mt, (m->nr_pfns >> m->pageblock_order) + 1);
}

/* Takes the new digests; TRUE for each part whose changed. */
static void
swap_digests (VaMapDamage *damage,
              gboolean     changed[N_PARTS])
{
  for (guint i = 0; i < N_PARTS; i++)
    {
      GString *old = damage->digest[i];

      changed[i] = !damage->valid || !g_string_equal (old, damage->next[i]);
      damage->digest[i] = damage->next[i];
      damage->next[i] = old;
    }
}

static void
add_columns (GArray *rects,
             double  x0,
             double  x1,
             int     height)
{
  cairo_rectangle_int_t r = { (int) floor (x0), 0, 0, height };

  r.width = (int) ceil (x1) - r.x;
  if (r.width > 0)
    g_array_append_val (rects, r);
}

static void
add_rect (GArray       *rects,
          const VaRect *rect)
{
  cairo_rectangle_int_t r = { (int) floor (rect->x), (int) floor (rect->y), 0, 0 };

  r.width = (int) ceil (rect->x + rect->width) - r.x;
  r.height = (int) ceil (rect->y + rect->height) - r.y;
  g_array_append_val (rects, r);
}

/* The micro-step's outline: where it was and where it is now, if moved. */
static void
add_mark (VaMapDamage           *damage,
          GArray                *region,
          VaMachine             *m,
          const VaRect          *phys_rect,
          const VaRenderOptions *options)
{
  VaRect mark;
  gboolean has = va_phys_view_mark_extents (m, phys_rect, options, &mark);

  if (has == damage->has_mark && (!has || memcmp (&mark, &damage->mark, sizeof mark) == 0))
    return;
  if (damage->has_mark)
    add_rect (region, &damage->mark);
  if (has)
    add_rect (region, &mark);
  damage->has_mark = has;
  damage->mark = mark;
}

GArray *
va_map_damage_collect (VaMapDamage           *damage,
                       VaMachine             *m,
                       const VaRect          *virt_rect,
                       const VaRect          *phys_rect,
                       const VaRenderOptions *options,
                       VaPhysRaster          *raster,
                       int                    width,
                       int                    height)
{
  GArray *region = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_int_t));
  cairo_rectangle_int_t all = { 0, 0, width, height };
  gboolean changed[N_PARTS];
  int size[2] = { width, height };
  VaPhysLayout pl;
  VaRect bar;

  g_return_val_if_fail (damage != NULL && m != NULL && options != NULL, region);

  va_phys_view_update_raster (m, phys_rect, options, raster, region);
  digest_key (damage->next[PART_KEY], m, virt_rect, phys_rect, options, size);
  va_virt_view_digest (m, virt_rect, options, damage->next[PART_VIRT]);
  va_links_digest (m, virt_rect, phys_rect, options, damage->next[PART_BAND],
                   damage->next[PART_SELECTION]);
  digest_pageblocks (damage->next[PART_PAGEBLOCKS], m, options);
  swap_digests (damage, changed);
  damage->valid = TRUE;
  add_mark (damage, region, m, phys_rect, options);
  if (changed[PART_KEY])
    {
      g_array_set_size (region, 0);
      g_array_append_val (region, all);
      return region;
    }

  va_virt_view_bar (m, virt_rect, options, &bar);
  va_phys_view_layout_zoomed (m, phys_rect, options, &pl);
  if (changed[PART_VIRT])
    add_columns (region, 0, virt_rect->x + virt_rect->width + VA_RENDER_SLACK, height);
  if (changed[PART_BAND])
    add_columns (region, bar.x + bar.width - 1, pl.map.x + 1, height);
  if (changed[PART_SELECTION])
    add_columns (region, bar.x + bar.width - 1, width, height);
  if (changed[PART_PAGEBLOCKS])
    add_columns (region, phys_rect->x - VA_RENDER_SLACK, width, height);
  return region;
}
