/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-map-zoom"

#include "va-map-zoom.h"

#define FULL_RANGE ((gint64) 1 << 32)
#define PAGE_MASK  ((gint64) VA_PAGE_SIZE - 1)

void
va_map_zoom_get_virt (const VaRenderOptions *options,
                      guint64               *start,
                      guint64               *end)
{
  g_return_if_fail (options != NULL);
  *start = options->zoom_start;
  *end = options->zoom_end ? MIN (options->zoom_end, (guint64) FULL_RANGE) : (guint64) FULL_RANGE;
}

void
va_map_zoom_get_phys (const VaRenderOptions *options,
                      const VaMachine       *m,
                      guint32               *first,
                      guint32               *count)
{
  guint32 n = MAX (m->nr_pfns, 1);

  g_return_if_fail (options != NULL);
  /* As va_phys_view_layout_zoomed() reads them. */
  *first = MIN (options->phys_first, n - 1);
  *count = options->phys_count && options->phys_count < n - *first ? options->phys_count : n - *first;
}

/* [*start, *start + len) moved inside [0, limit), len clamped to
 * [min, limit]. */
static void
clamp_window (gint64 *start,
              gint64 *len,
              gint64  min,
              gint64  limit)
{
  *len = CLAMP (*len, MIN (min, limit), limit);
  *start = CLAMP (*start, 0, limit - *len);
}

void
va_map_zoom_set_virt (VaRenderOptions *options,
                      gint64           start,
                      gint64           end)
{
  gint64 len = end - start;

  g_return_if_fail (options != NULL);
  /* Whole pages, so the page-by-page view lines up with its rows. */
  len = (len + PAGE_MASK) & ~PAGE_MASK;
  start &= ~PAGE_MASK;
  clamp_window (&start, &len, VA_MAP_ZOOM_MIN_VIRT, FULL_RANGE);
  if (len >= FULL_RANGE)
    start = len = 0;
  options->zoom_start = (guint32) start;
  options->zoom_end = (guint64) (start + len);
}

void
va_map_zoom_set_phys (VaRenderOptions *options,
                      const VaMachine *m,
                      gint64           first,
                      gint64           count)
{
  gint64 n = m->nr_pfns;

  g_return_if_fail (options != NULL);
  clamp_window (&first, &count, VA_MAP_ZOOM_MIN_FRAMES, MAX (n, 1));
  if (count >= n)
    first = count = 0;
  options->phys_first = (guint32) first;
  options->phys_count = (guint32) count;
}

/* The window of @len around @anchor that keeps @anchor at the same
 * fraction of it as in [start, start + len * factor). */
static gint64
zoomed_start (gint64 start,
              double factor,
              gint64 anchor)
{
  return anchor - (gint64) ((anchor - start) / factor);
}

void
va_map_zoom_virt (VaRenderOptions *options,
                  double           factor,
                  guint64          anchor)
{
  guint64 start, end;
  gint64 len;

  g_return_if_fail (options != NULL);
  g_return_if_fail (factor > 0);
  va_map_zoom_get_virt (options, &start, &end);
  len = (gint64) ((end - start) / factor);
  len = MAX (len, (gint64) VA_MAP_ZOOM_MIN_VIRT);
  start = zoomed_start (start, (double) (end - start) / len, anchor);
  va_map_zoom_set_virt (options, start, start + len);
}

void
va_map_zoom_phys (VaRenderOptions *options,
                  const VaMachine *m,
                  double           factor,
                  guint32          anchor)
{
  guint32 first, count;
  gint64 len, start;

  g_return_if_fail (options != NULL);
  g_return_if_fail (factor > 0);
  va_map_zoom_get_phys (options, m, &first, &count);
  len = MAX ((gint64) (count / factor), (gint64) VA_MAP_ZOOM_MIN_FRAMES);
  start = zoomed_start (first, (double) count / len, anchor);
  va_map_zoom_set_phys (options, m, start, len);
}

void
va_map_zoom_fit_virt (VaRenderOptions *options,
                      guint64          start,
                      guint64          end,
                      double           margin)
{
  gint64 span = end - start;
  gint64 len = MAX ((gint64) (span * margin), (gint64) VA_MAP_ZOOM_MIN_VIRT);

  g_return_if_fail (options != NULL);
  g_return_if_fail (end > start);
  va_map_zoom_set_virt (options, (gint64) start - (len - span) / 2,
                        (gint64) start - (len - span) / 2 + len);
}

void
va_map_zoom_fit_phys (VaRenderOptions *options,
                      const VaMachine *m,
                      guint32          first,
                      guint32          count,
                      double           margin)
{
  gint64 len = MAX ((gint64) (count * margin), (gint64) VA_MAP_ZOOM_MIN_FRAMES);

  g_return_if_fail (options != NULL);
  g_return_if_fail (count > 0);
  va_map_zoom_set_phys (options, m, (gint64) first - (len - count) / 2, len);
}

gboolean
va_map_zoom_reset (VaRenderOptions *options)
{
  gboolean zoomed;

  g_return_val_if_fail (options != NULL, FALSE);
  zoomed = options->zoom_start || options->zoom_end || options->phys_first || options->phys_count;
  options->zoom_start = 0;
  options->zoom_end = 0;
  options->phys_first = 0;
  options->phys_count = 0;
  return zoomed;
}
