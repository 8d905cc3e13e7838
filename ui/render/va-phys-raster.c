/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-phys-raster"

#include "va-phys-raster.h"
#include "va-background-thread.h"
#include "va-box-filter.h"
#include "va-frame-classes.h"
#include "va-profile.h"

#include <math.h>
#include <string.h>

struct _VaPhysRaster {
  cairo_surface_t *surface;     /* columns x rows, RGB24 */
  guint8          *classes;     /* what the surface shows, one per frame */
  guint8          *next;        /* scratch: the classes being computed */
  GThread         *next_touch;  /* va_phys_raster_warm_up()'s, until joined */
  guint32          nr_pfns;     /* the machine's; classes cover all of them */
  guint32          first;       /* the surface shows frames [first, first + count) */
  guint32          count;
  guint32          columns;
  guint32          rows;
  guint            max_order;   /* the free ramp depends on it */
  VaRgb            colors[VA_N_COLORS];
  guint32          lut[256];    /* class -> pixel */
  gboolean         valid;       /* FALSE: the machine changed since the last update */
  cairo_surface_t *reduced;     /* the surface box-filtered to reduced_cell, or NULL */
  VaBoxFilter     *reduce;      /* its filter, with it */
  double           reduced_cell;
  /* Rows of the surface painted since @reduced was made (one flag a
   * row): only the reduced rows they reach are filtered again. */
  guint8          *dirty_rows;
  gboolean         dirty;
  /* Rows painted since va_phys_raster_take_damage() last asked (one flag
   * a row), or all of them: what a cached picture of the map must redraw. */
  guint8          *damage_rows;
  gboolean         damage_all;
};

VaPhysRaster *
va_phys_raster_new (void)
{
  return g_new0 (VaPhysRaster, 1);
}

static void
join_next_touch (VaPhysRaster *raster)
{
  if (raster->next_touch)
    g_thread_join (g_steal_pointer (&raster->next_touch));
}

void
va_phys_raster_free (VaPhysRaster *raster)
{
  if (raster == NULL)
    return;
  join_next_touch (raster);
  g_clear_pointer (&raster->surface, cairo_surface_destroy);
  g_clear_pointer (&raster->reduced, cairo_surface_destroy);
  g_clear_pointer (&raster->reduce, va_box_filter_free);
  g_free (raster->classes);
  g_free (raster->next);
  g_free (raster->dirty_rows);
  g_free (raster->damage_rows);
  g_free (raster);
}

void
va_phys_raster_invalidate (VaPhysRaster *raster)
{
  g_return_if_fail (raster != NULL);

  raster->valid = FALSE;
}

gboolean
va_phys_raster_is_valid (const VaPhysRaster *raster)
{
  g_return_val_if_fail (raster != NULL, FALSE);

  return raster->valid;
}

cairo_surface_t *
va_phys_raster_get_surface (const VaPhysRaster *raster)
{
  g_return_val_if_fail (raster != NULL, NULL);

  return raster->surface;
}

guint32
va_phys_raster_get_columns (const VaPhysRaster *raster)
{
  g_return_val_if_fail (raster != NULL, 0);

  return raster->columns;
}

guint32
va_phys_raster_get_n_frames (const VaPhysRaster *raster)
{
  g_return_val_if_fail (raster != NULL, 0);

  return raster->nr_pfns;
}

guint32
va_phys_raster_get_first (const VaPhysRaster *raster)
{
  g_return_val_if_fail (raster != NULL, 0);

  return raster->first;
}

guint32
va_phys_raster_get_count (const VaPhysRaster *raster)
{
  g_return_val_if_fail (raster != NULL, 0);

  return raster->count;
}

const guint8 *
va_phys_raster_get_classes (const VaPhysRaster *raster)
{
  g_return_val_if_fail (raster != NULL, NULL);

  return raster->classes;
}

/* (Re)allocates the class arrays for @nr_pfns frames and the surface for
 * frames [@first, @first + @count) in @columns columns; TRUE when it did,
 * which means every pixel is stale. */
static gboolean
ensure_geometry (VaPhysRaster *raster,
                 guint32       nr_pfns,
                 guint32       first,
                 guint32       count,
                 guint32       columns)
{
  if (raster->surface && raster->nr_pfns == nr_pfns && raster->columns == columns &&
      raster->first == first && raster->count == count)
    return FALSE;

  g_clear_pointer (&raster->surface, cairo_surface_destroy);
  raster->nr_pfns = nr_pfns;
  raster->first = first;
  raster->count = count;
  raster->columns = columns;
  raster->rows = MAX ((count + columns - 1) / columns, 1);
  raster->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) columns,
                                                (int) raster->rows);
  g_free (raster->dirty_rows);
  raster->dirty_rows = g_new0 (guint8, raster->rows);
  raster->dirty = FALSE;
  g_free (raster->damage_rows);
  raster->damage_rows = g_new0 (guint8, raster->rows);
  return TRUE;
}

/* TRUE when the colours changed since the last update (a new palette, a
 * dark/light switch, or a profile with another MAX_ORDER for the ramp). */
static gboolean
ensure_colors (VaPhysRaster    *raster,
               const VaPalette *palette,
               guint            max_order)
{
  VaRgb colors[VA_N_COLORS];

  for (guint r = 0; r < VA_N_COLORS; r++)
    colors[r] = va_palette_get (palette, r);
  if (raster->max_order == max_order && memcmp (colors, raster->colors, sizeof colors) == 0)
    return FALSE;

  memcpy (raster->colors, colors, sizeof colors);
  raster->max_order = max_order;
  va_frame_class_lut (palette, max_order, raster->lut);
  return TRUE;
}

static inline guint32 *
pixel_row (cairo_surface_t *surface,
           guint32          row)
{
  return (guint32 *) (void *) (cairo_image_surface_get_data (surface) +
                               (gsize) row * cairo_image_surface_get_stride (surface));
}

static guint32
paint_all (VaPhysRaster *raster)
{
  const guint8 *cls = raster->next + raster->first;
  guint32 background = raster->lut[VA_COLOR_BACKGROUND];

  for (guint32 row = 0; row < raster->rows; row++)
    {
      guint32 *px = pixel_row (raster->surface, row);
      guint32 first = row * raster->columns;
      guint32 n = first < raster->count ? MIN (raster->columns, raster->count - first) : 0;

      for (guint32 c = 0; c < n; c++)
        px[c] = raster->lut[cls[first + c]];
      for (guint32 c = n; c < raster->columns; c++)   /* past the last frame */
        px[c] = background;
    }
  return raster->count;
}

static void
clear_dirty (VaPhysRaster *raster)
{
  if (raster->dirty)
    memset (raster->dirty_rows, 0, raster->rows);
  raster->dirty = FALSE;
}

static inline void
paint_frame (VaPhysRaster *raster,
             guint32       pfn)
{
  guint32 i = pfn - raster->first;
  guint32 y = i / raster->columns;

  pixel_row (raster->surface, y)[i % raster->columns] = raster->lut[raster->next[pfn]];
  raster->dirty_rows[y] = TRUE;
  raster->damage_rows[y] = TRUE;
  raster->dirty = TRUE;
}

/* The incremental path: compare eight classes at a time, since after an
 * op almost every word is unchanged, and repaint only differing frames.
 * Only the window's frames are compared: the others have no pixel. */
static guint32
paint_changed (VaPhysRaster *raster)
{
  const guint8 *old = raster->classes, *now = raster->next;
  guint32 n = raster->first + raster->count, pfn = raster->first, painted = 0;

  for (; pfn + 8 <= n; pfn += 8)
    {
      guint64 a, b;

      memcpy (&a, old + pfn, 8);
      memcpy (&b, now + pfn, 8);
      if (G_LIKELY (a == b))
        continue;
      for (guint32 i = pfn; i < pfn + 8; i++)
        if (old[i] != now[i])
          {
            paint_frame (raster, i);
            painted++;
          }
    }
  for (; pfn < n; pfn++)
    if (old[pfn] != now[pfn])
      {
        paint_frame (raster, pfn);
        painted++;
      }
  return painted;
}

guint32
va_phys_raster_update (VaPhysRaster    *raster,
                       const VaMachine *m,
                       const VaPalette *palette,
                       guint32          columns)
{
  g_return_val_if_fail (m != NULL, 0);

  return va_phys_raster_update_window (raster, m, palette, columns, 0, m->nr_pfns);
}

/* The update after the classes are in raster->next: the machine is not
 * read here. */
static guint32
update_from_next (VaPhysRaster    *raster,
                  guint32          nr_pfns,
                  guint            max_order,
                  const VaPalette *palette,
                  guint32          columns,
                  guint32          first,
                  guint32          count)
{
  gboolean full;
  guint32 painted;
  guint8 *swap;

  /* Clamped so a stale window (a smaller machine after a switch) still
   * indexes inside the class arrays. */
  first = MIN (first, nr_pfns);
  count = MIN (count, nr_pfns - first);
  full = ensure_geometry (raster, nr_pfns, first, count, columns);
  full |= ensure_colors (raster, palette, max_order);
  if (cairo_surface_status (raster->surface) != CAIRO_STATUS_SUCCESS)
    {
      g_warning ("physical map raster %u x %u: %s", raster->columns, raster->rows,
                 cairo_status_to_string (cairo_surface_status (raster->surface)));
      raster->valid = FALSE;
      return 0;
    }

  cairo_surface_flush (raster->surface);
  if (full)
    {
      /* Every pixel is new: the reduced image is made again whole. */
      painted = paint_all (raster);
      g_clear_pointer (&raster->reduced, cairo_surface_destroy);
      clear_dirty (raster);
      raster->damage_all = TRUE;
    }
  else
    painted = paint_changed (raster);
  cairo_surface_mark_dirty (raster->surface);
  swap = raster->classes;
  raster->classes = raster->next;
  raster->next = swap;
  raster->valid = TRUE;
  return painted;
}

/* (Re)sizes the class arrays for @nr_pfns frames. */
static void
ensure_classes (VaPhysRaster *raster,
                guint32       nr_pfns)
{
  join_next_touch (raster);
  if (raster->classes && raster->nr_pfns == nr_pfns)
    return;
  raster->classes = g_realloc (raster->classes, nr_pfns);
  raster->next = g_realloc (raster->next, nr_pfns);
}

void
va_phys_raster_warm_up (VaPhysRaster *raster)
{
  g_return_if_fail (raster != NULL);

  /* Until the first change after the first picture, the scratch array has
   * never been written: its pages would fault in that frame (2.5 ms for
   * a 4 GiB machine's 1 MiB here). */
  if (raster->next && raster->next_touch == NULL)
    raster->next_touch = va_background_touch (raster->next, raster->nr_pfns);
}

guint32
va_phys_raster_update_window (VaPhysRaster    *raster,
                              const VaMachine *m,
                              const VaPalette *palette,
                              guint32          columns,
                              guint32          first,
                              guint32          count)
{
  g_return_val_if_fail (raster != NULL, 0);
  g_return_val_if_fail (m != NULL, 0);
  g_return_val_if_fail (palette != NULL, 0);
  g_return_val_if_fail (columns > 0, 0);

  ensure_classes (raster, m->nr_pfns);
  va_frame_classes_fill (m, raster->next);
  return update_from_next (raster, m->nr_pfns, m->profile->max_order, palette, columns, first,
                           count);
}

guint32
va_phys_raster_update_from_classes (VaPhysRaster    *raster,
                                    const guint8    *classes,
                                    guint32          nr_pfns,
                                    guint            max_order,
                                    const VaPalette *palette,
                                    guint32          columns,
                                    guint32          first,
                                    guint32          count)
{
  g_return_val_if_fail (raster != NULL, 0);
  g_return_val_if_fail (classes != NULL || nr_pfns == 0, 0);
  g_return_val_if_fail (palette != NULL, 0);
  g_return_val_if_fail (columns > 0, 0);

  ensure_classes (raster, nr_pfns);
  memcpy (raster->next, classes, nr_pfns);
  return update_from_next (raster, nr_pfns, max_order, palette, columns, first, count);
}

/* Rows of the reduced image around a changed one: a reduced row reads
 * only the source rows it covers, so one is enough to absorb rounding. */
#define REDUCE_MARGIN 1

/* Filters the surface into rows [@y0, @y1) of the reduced image. */
static void
reduce_rows (VaPhysRaster *raster,
             int           y0,
             int           y1)
{
  cairo_surface_flush (raster->surface);
  cairo_surface_flush (raster->reduced);
  va_box_filter_rows (raster->reduce, cairo_image_surface_get_data (raster->surface),
                      cairo_image_surface_get_stride (raster->surface),
                      cairo_image_surface_get_data (raster->reduced),
                      cairo_image_surface_get_stride (raster->reduced), y0, y1);
  cairo_surface_mark_dirty_rectangle (raster->reduced, 0, y0,
                                      cairo_image_surface_get_width (raster->reduced), y1 - y0);
}

typedef void (*RowsFunc) (VaPhysRaster *raster,
                          int           y0,
                          int           y1,
                          gpointer      data);

/* The rows [y0, y1) of the raster drawn at @cell pixels a frame (clamped
 * to @height) that the flagged rows reach, @margin rows more each side, in
 * runs: an op often touches frames far apart (a low block and a HighMem
 * one). */
static void
foreach_run (VaPhysRaster *raster,
             const guint8 *flags,
             double        cell,
             int           margin,
             int           height,
             RowsFunc      func,
             gpointer      data)
{
  int run0 = 0, run1 = -1;

  for (guint32 y = 0; y < raster->rows; y++)
    {
      int y0, y1;

      if (!flags[y])
        continue;
      y0 = MAX ((int) floor (y * cell) - margin, 0);
      y1 = MIN ((int) ceil ((y + 1) * cell) + margin, height);
      if (y0 > run1)
        {
          if (run1 > run0)
            func (raster, run0, run1, data);
          run0 = y0;
        }
      run1 = MAX (run1, y1);
    }
  if (run1 > run0)
    func (raster, run0, run1, data);
}

static void
reduce_run (VaPhysRaster *raster,
            int           y0,
            int           y1,
            gpointer      data)
{
  reduce_rows (raster, y0, y1);
}

/* The rows of the reduced image the painted rows reach. */
static void
reduce_dirty (VaPhysRaster *raster)
{
  foreach_run (raster, raster->dirty_rows, raster->reduced_cell, REDUCE_MARGIN,
               cairo_image_surface_get_height (raster->reduced), reduce_run, NULL);
  clear_dirty (raster);
}

cairo_surface_t *
va_phys_raster_get_reduced (VaPhysRaster *raster,
                            double        cell)
{
  int width, height;

  g_return_val_if_fail (raster != NULL, NULL);
  g_return_val_if_fail (raster->surface != NULL, NULL);
  g_return_val_if_fail (cell > 0 && cell < 1, NULL);

  if (raster->reduced && raster->reduced_cell == cell)
    {
      if (raster->dirty)
        reduce_dirty (raster);
      return raster->reduced;
    }

  g_clear_pointer (&raster->reduced, cairo_surface_destroy);
  g_clear_pointer (&raster->reduce, va_box_filter_free);
  raster->reduce = va_box_filter_new (raster->columns, raster->rows, cell);
  width = va_box_filter_get_width (raster->reduce);
  height = va_box_filter_get_height (raster->reduce);
  raster->reduced = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  raster->reduced_cell = cell;
  reduce_rows (raster, 0, height);
  clear_dirty (raster);
  return raster->reduced;
}

typedef struct {
  VaPhysRasterRowsFunc func;
  gpointer             data;
} DamageClosure;

static void
damage_run (VaPhysRaster *raster,
            int           y0,
            int           y1,
            gpointer      data)
{
  DamageClosure *c = data;

  c->func (y0, y1, c->data);
}

void
va_phys_raster_take_damage (VaPhysRaster         *raster,
                            double                cell,
                            VaPhysRasterRowsFunc  func,
                            gpointer              data)
{
  DamageClosure closure = { func, data };
  int height;

  g_return_if_fail (raster != NULL);
  g_return_if_fail (cell > 0);
  g_return_if_fail (func != NULL);

  if (raster->surface == NULL)
    return;
  height = (int) ceil (raster->rows * cell);
  /* A reduced image made anew (first use, another cell) is new whole. */
  if (raster->damage_all || (cell < 1 && (raster->reduced == NULL || raster->reduced_cell != cell)))
    func (0, height, data);
  else
    foreach_run (raster, raster->damage_rows, cell, cell < 1 ? REDUCE_MARGIN : 0, height,
                 damage_run, &closure);
  memset (raster->damage_rows, 0, raster->rows);
  raster->damage_all = FALSE;
}
