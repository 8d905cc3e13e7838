/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The physical map's overview: cairo's own downscale (CAIRO_FILTER_GOOD, a
 * pixman separable convolution) cost ~1 M instructions for a few reduced
 * rows, a third of the canvas's repaint work while playing; the same box
 * in integer arithmetic is a few multiply-adds a source pixel. */
#define G_LOG_DOMAIN "va-render"

#include "va-box-filter.h"

#include <math.h>
#include <string.h>

/* Weights of one axis sum to this (12 bits: a channel times a horizontal
 * weight times a vertical one stays within 64 bits with room to spare). */
#define WEIGHT_ONE 4096

typedef struct {
  guint32 *first;     /* per reduced pixel: its first source pixel */
  guint32 *count;     /* how many source pixels it reads */
  guint32 *offset;    /* where its weights start in @weights */
  guint32 *weights;   /* WEIGHT_ONE in all per reduced pixel */
  guint32  size;      /* reduced pixels */
  guint32  max_count;
} Axis;

struct _VaBoxFilter {
  Axis     x, y;
  guint32  src_width;
  /* Scratch: two source rows filtered along x (packed, see pack()), the
   * row each holds (a row on the boundary of two reduced rows is read by
   * both), and one reduced row being summed, 3 channels a pixel. */
  guint64 *hrow[2];
  gint64   hrow_src[2];
  guint64 *acc;
};

/* The source interval [i / scale, (i + 1) / scale) of reduced pixel @i,
 * clamped to the source; each source pixel weighted by its overlap,
 * rounded so the weights sum to WEIGHT_ONE exactly (the remainder to the
 * heaviest, so a flat area stays flat). */
static void
axis_init (Axis    *axis,
           guint32  src,
           double   scale)
{
  GArray *weights = g_array_new (FALSE, FALSE, sizeof (guint32));

  axis->size = MAX ((guint32) ceil (src * scale), 1);
  axis->first = g_new (guint32, axis->size);
  axis->count = g_new (guint32, axis->size);
  axis->offset = g_new (guint32, axis->size);
  axis->max_count = 0;
  for (guint32 i = 0; i < axis->size; i++)
    {
      double a = i / scale, b = MIN ((i + 1) / scale, (double) src);
      guint32 j0 = MIN ((guint32) floor (a), src - 1);
      guint32 j1 = MAX ((guint32) ceil (b), j0 + 1);
      guint32 sum = 0, heaviest = 0;

      axis->first[i] = j0;
      axis->count[i] = j1 - j0;
      axis->offset[i] = weights->len;
      axis->max_count = MAX (axis->max_count, j1 - j0);
      for (guint32 j = j0; j < j1; j++)
        {
          double overlap = MIN (b, j + 1.0) - MAX (a, (double) j);
          guint32 w = b > a ? (guint32) floor (overlap / (b - a) * WEIGHT_ONE + 0.5) : WEIGHT_ONE;

          g_array_append_val (weights, w);
          sum += w;
          if (w > g_array_index (weights, guint32, axis->offset[i] + heaviest))
            heaviest = j - j0;
        }
      g_array_index (weights, guint32, axis->offset[i] + heaviest) += WEIGHT_ONE - sum;
    }
  axis->weights = (guint32 *) g_array_free (weights, FALSE);
}

static void
axis_clear (Axis *axis)
{
  g_free (axis->first);
  g_free (axis->count);
  g_free (axis->offset);
  g_free (axis->weights);
}

VaBoxFilter *
va_box_filter_new (guint32 src_width,
                   guint32 src_height,
                   double  scale)
{
  VaBoxFilter *filter;

  g_return_val_if_fail (src_width > 0 && src_height > 0, NULL);
  g_return_val_if_fail (scale > 0 && scale < 1, NULL);

  filter = g_new0 (VaBoxFilter, 1);
  filter->src_width = src_width;
  axis_init (&filter->x, src_width, scale);
  axis_init (&filter->y, src_height, scale);
  for (guint i = 0; i < 2; i++)
    {
      filter->hrow[i] = g_new (guint64, filter->x.size);
      filter->hrow_src[i] = -1;
    }
  filter->acc = g_new (guint64, 3 * (gsize) filter->x.size);
  return filter;
}

void
va_box_filter_free (VaBoxFilter *filter)
{
  if (filter == NULL)
    return;
  axis_clear (&filter->x);
  axis_clear (&filter->y);
  g_free (filter->hrow[0]);
  g_free (filter->hrow[1]);
  g_free (filter->acc);
  g_free (filter);
}

guint32
va_box_filter_get_width (const VaBoxFilter *filter)
{
  g_return_val_if_fail (filter != NULL, 0);
  return filter->x.size;
}

guint32
va_box_filter_get_height (const VaBoxFilter *filter)
{
  g_return_val_if_fail (filter != NULL, 0);
  return filter->y.size;
}

/* The three channels of an xRGB pixel in 21-bit lanes of one word, so a
 * tap is one multiply-add: a lane sums at most 255 x WEIGHT_ONE < 2^21. */
#define LANE_BITS 21
#define LANE_MASK ((G_GUINT64_CONSTANT (1) << LANE_BITS) - 1)

static inline guint64
pack (guint32 px)
{
  return (guint64) ((px >> 16) & 0xff) << (2 * LANE_BITS) | (guint64) ((px >> 8) & 0xff) << LANE_BITS |
         (px & 0xff);
}

/* Source row @src_y filtered along x, from the scratch rows if one holds
 * it (the previous reduced row's last), else into the other one. */
static const guint64 *
filtered_row (VaBoxFilter  *filter,
              const guint8 *src,
              int           src_stride,
              guint32       src_y)
{
  const Axis *x = &filter->x;
  const guint32 *row = (const guint32 *) (src + (gsize) src_y * src_stride);
  guint slot;

  for (slot = 0; slot < 2; slot++)
    if (filter->hrow_src[slot] == src_y)
      return filter->hrow[slot];
  slot = filter->hrow_src[0] < filter->hrow_src[1] ? 0 : 1;   /* the older one */
  for (guint32 i = 0; i < x->size; i++)
    {
      const guint32 *px = row + x->first[i];
      const guint32 *w = x->weights + x->offset[i];
      guint64 sum = 0;

      for (guint32 k = 0; k < x->count[i]; k++)
        sum += w[k] * pack (px[k]);
      filter->hrow[slot][i] = sum;
    }
  filter->hrow_src[slot] = src_y;
  return filter->hrow[slot];
}

#define ROUND_SHIFT(v) ((guint32) (((v) + ((guint64) WEIGHT_ONE * WEIGHT_ONE / 2)) / ((guint64) WEIGHT_ONE * WEIGHT_ONE)))

void
va_box_filter_rows (VaBoxFilter       *filter,
                    const guint8      *src,
                    int                src_stride,
                    guint8            *dst,
                    int                dst_stride,
                    guint32            y0,
                    guint32            y1)
{
  guint32 width;

  g_return_if_fail (filter != NULL && src != NULL && dst != NULL);
  g_return_if_fail (y0 <= y1 && y1 <= filter->y.size);

  width = filter->x.size;
  /* The source may have changed since the last call. */
  filter->hrow_src[0] = filter->hrow_src[1] = -1;
  for (guint32 y = y0; y < y1; y++)
    {
      const guint32 *wy = filter->y.weights + filter->y.offset[y];
      guint32 *out = (guint32 *) (dst + (gsize) y * dst_stride);

      memset (filter->acc, 0, 3 * sizeof (guint64) * width);
      for (guint32 k = 0; k < filter->y.count[y]; k++)
        {
          const guint64 *h = filtered_row (filter, src, src_stride, filter->y.first[y] + k);

          for (guint32 i = 0; i < width; i++)
            {
              filter->acc[3 * i] += (guint64) wy[k] * (h[i] >> (2 * LANE_BITS));
              filter->acc[3 * i + 1] += (guint64) wy[k] * ((h[i] >> LANE_BITS) & LANE_MASK);
              filter->acc[3 * i + 2] += (guint64) wy[k] * (h[i] & LANE_MASK);
            }
        }
      for (guint32 i = 0; i < width; i++)
        out[i] = ROUND_SHIFT (filter->acc[3 * i]) << 16 | ROUND_SHIFT (filter->acc[3 * i + 1]) << 8 |
                 ROUND_SHIFT (filter->acc[3 * i + 2]);
    }
}
