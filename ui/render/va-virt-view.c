/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The virtual map: the 4 GiB address space as one tall bar, top down from
 * 0xFFFFFFFF.  Layout is a pure function of the machine, the rect and the
 * options; drawing and hit testing read the same segments. */
#define G_LOG_DOMAIN "va-render"

#include "va-virt-view.h"

#include "va-text.h"
#include "va-vmalloc.h"

#include <math.h>

#define FOUR_GIB (G_GUINT64_CONSTANT (1) << 32)
#define COMPRESSED_RATIO 0.9    /* drawn at less than this share of true scale: break mark */

/* ------------------------------------------------------------------ */
/* Geometry                                                             */

double
va_virt_view_min_height (const VaRenderOptions *options)
{
  return ceil (va_text_line_height (va_render_font_size (options), FALSE) + 4);
}

static double
header_height (const VaRenderOptions *options)
{
  return ceil (va_text_line_height (va_render_font_size (options) * 1.15, TRUE) * 1.5);
}

static double
address_font (const VaRenderOptions *options)
{
  return va_render_font_size (options) * 0.9;
}

static double
address_column_width (const VaRenderOptions *options)
{
  return ceil (va_text_width (address_font (options), FALSE, "CPU_ENTRY_AREA 0xFFFFFFFF") + 10);
}

void
va_virt_view_bar (VaMachine             *m,
                  const VaRect          *rect,
                  const VaRenderOptions *options,
                  VaRect                *bar)
{
  double lh = va_text_line_height (address_font (options), FALSE);
  double top = floor (rect->y + header_height (options) + lh / 2);
  double bottom = floor (rect->y + rect->height - lh / 2 - 2);
  double colw = MIN (address_column_width (options), rect->width * 0.5);

  bar->x = floor (rect->x + colw);
  bar->width = MAX (floor (rect->width - colw - 2), 20);
  bar->y = top;
  bar->height = MAX (bottom - top, 10);
}

static void
zoom_range (const VaRenderOptions *options,
            guint64               *lo,
            guint64               *hi)
{
  *lo = options ? options->zoom_start : 0;
  *hi = options && options->zoom_end ? MIN (options->zoom_end, FOUR_GIB) : FOUR_GIB;
  if (*hi <= *lo)
    {
      *lo = 0;
      *hi = FOUR_GIB;
    }
}

static gboolean
zoomed (const VaRenderOptions *options)
{
  guint64 lo, hi;

  zoom_range (options, &lo, &hi);
  return lo != 0 || hi != FOUR_GIB;
}

/* ------------------------------------------------------------------ */
/* Layout                                                               */

static int
cmp_u64 (gconstpointer a,
         gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Every address where the kind of region may change, inside [lo, hi]. */
static GArray *
boundaries (VaMachine *m,
            guint64    lo,
            guint64    hi)
{
  const VaLayout *l = &m->layout;
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GPtrArray) areas = va_vmalloc_sorted_areas (m);
  guint64 fixed[] = {
    0, l->page_offset, l->high_memory, l->vmalloc_start, l->vmalloc_end, l->pkmap_base,
    l->pkmap_base + (guint64) l->last_pkmap * VA_PAGE_SIZE,
    l->ldt_base, l->ldt_end, l->cea_base, l->cea_end,
    l->fixaddr_start, l->fixaddr_top, FOUR_GIB, lo, hi,
  };
  GArray *out;

  g_array_append_vals (pts, fixed, G_N_ELEMENTS (fixed));
  for (guint i = 0; i < areas->len; i++)
    {
      const VaVmapArea *a = areas->pdata[i];
      guint64 v[] = { a->start, (guint64) a->start + a->size - VA_PAGE_SIZE,
                      (guint64) a->start + a->size };

      g_array_append_vals (pts, v, a->lazy ? 1 : 3);
      if (a->lazy)
        g_array_append_val (pts, v[2]);
    }
  g_array_sort (pts, cmp_u64);
  out = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (guint i = 0; i < pts->len; i++)
    {
      guint64 p = g_array_index (pts, guint64, i);

      if (p < lo || p > hi)
        continue;
      if (out->len && g_array_index (out, guint64, out->len - 1) == p)
        continue;
      g_array_append_val (out, p);
    }
  g_array_unref (pts);
  return out;
}

static gboolean
mergeable (VaRegion r)
{
  return r != VA_REGION_VMALLOC_AREA && r != VA_REGION_VMALLOC_GUARD &&
         r != VA_REGION_VMALLOC_LAZY;
}

/* Segments bottom up, without geometry. */
static GArray *
make_segments (VaMachine             *m,
               const VaRenderOptions *options,
               double                 height)
{
  guint64 lo, hi;
  g_autoptr(GArray) pts = NULL;
  GArray *segs = g_array_new (FALSE, TRUE, sizeof (VaVirtSegment));
  guint area_pages = 0;

  zoom_range (options, &lo, &hi);
  pts = boundaries (m, lo, hi);
  for (guint i = 0; i + 1 < pts->len; i++)
    {
      guint64 a = g_array_index (pts, guint64, i), b = g_array_index (pts, guint64, i + 1);
      VaLookup look;
      VaVirtSegment seg = { .start = a, .end = b, .page = G_MAXUINT32, .pfn = VA_PFN_NONE };

      va_lookup_address (m, a, &look);
      seg.region = look.region;
      seg.owner = look.owner;
      if (segs->len)
        {
          VaVirtSegment *prev = &g_array_index (segs, VaVirtSegment, segs->len - 1);

          if (prev->region == seg.region && prev->owner == seg.owner && mergeable (seg.region))
            {
              prev->end = b;
              continue;
            }
        }
      if (seg.region == VA_REGION_VMALLOC_AREA)
        area_pages += (b - a) >> VA_PAGE_SHIFT;
      g_array_append_val (segs, seg);
    }

  /* Zoomed in far enough, each page of an area gets its own segment. */
  if (zoomed (options) && area_pages > 0 &&
      (segs->len + area_pages) * va_virt_view_min_height (options) <= height)
    {
      GArray *pages = g_array_new (FALSE, TRUE, sizeof (VaVirtSegment));

      for (guint i = 0; i < segs->len; i++)
        {
          VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);

          if (s->region != VA_REGION_VMALLOC_AREA)
            {
              g_array_append_val (pages, *s);
              continue;
            }
          for (guint64 p = s->start; p < s->end; p += VA_PAGE_SIZE)
            {
              VaVirtSegment one = *s;
              const VaVmapArea *area = va_vmalloc_area_at (m, p);

              one.start = p;
              one.end = p + VA_PAGE_SIZE;
              one.page = area ? (p - area->start) >> VA_PAGE_SHIFT : 0;
              one.pfn = m->vmalloc->pte[(p - m->vmalloc->start) >> VA_PAGE_SHIFT];
              g_array_append_val (pages, one);
            }
        }
      g_array_unref (segs);
      segs = pages;
    }
  return segs;
}

/* Heights: every segment at least @hmin, the rest at one common scale
 * (water filling), so sizes stay in order and small regions stay visible. */
static void
assign_heights (GArray *segs,
                double  total,
                double  hmin,
                double *heights)
{
  guint n = segs->len;
  g_autofree gboolean *fixed = g_new0 (gboolean, n);
  double k = 0;
  gboolean changed = TRUE;

  hmin = MIN (hmin, total / n / 2);
  while (changed)
    {
      double free_h = total, free_s = 0;

      changed = FALSE;
      for (guint i = 0; i < n; i++)
        {
          const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);

          if (fixed[i])
            free_h -= hmin;
          else
            free_s += (double) (s->end - s->start);
        }
      k = free_s > 0 ? free_h / free_s : 0;
      for (guint i = 0; i < n; i++)
        {
          const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);

          if (!fixed[i] && k * (double) (s->end - s->start) < hmin)
            fixed[i] = changed = TRUE;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);

      heights[i] = fixed[i] ? hmin : k * (double) (s->end - s->start);
    }

  /* Whole units where a minimum of whole units fits: largest remainders. */
  if (hmin >= 1 && hmin == floor (hmin) && total == floor (total))
    {
      double sum = 0;
      guint deficit;

      for (guint i = 0; i < n; i++)
        {
          heights[i] = floor (heights[i] + 1e-9);
          sum += heights[i];
        }
      deficit = (guint) MAX (total - sum, 0);
      while (deficit > 0)
        {
          guint best = 0;
          double best_frac = -1;

          for (guint i = 0; i < n; i++)
            {
              const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);
              double want = fixed[i] ? hmin : k * (double) (s->end - s->start);
              double frac = want - heights[i];

              if (frac > best_frac)
                {
                  best_frac = frac;
                  best = i;
                }
            }
          heights[best] += 1;
          deficit--;
        }
    }
}

GArray *
va_virt_view_layout (VaMachine             *m,
                     const VaRect          *rect,
                     const VaRenderOptions *options)
{
  VaRect bar;
  GArray *segs, *out;
  g_autofree double *heights = NULL;
  guint64 lo, hi;
  double y;

  g_return_val_if_fail (m != NULL && rect != NULL, NULL);
  va_virt_view_bar (m, rect, options, &bar);
  segs = make_segments (m, options, bar.height);
  heights = g_new0 (double, segs->len);
  assign_heights (segs, bar.height, va_virt_view_min_height (options), heights);
  zoom_range (options, &lo, &hi);

  /* Top down for the caller: highest addresses first. */
  out = g_array_sized_new (FALSE, TRUE, sizeof (VaVirtSegment), segs->len);
  y = bar.y;
  for (guint i = segs->len; i-- > 0;)
    {
      VaVirtSegment s = g_array_index (segs, VaVirtSegment, i);
      double share = (double) (s.end - s.start) / (double) (hi - lo) * bar.height;

      s.y_top = y;
      s.y_bottom = y + heights[i];
      s.compressed = heights[i] < share * COMPRESSED_RATIO;
      y = s.y_bottom;
      g_array_append_val (out, s);
    }
  g_array_unref (segs);
  return out;
}

double
va_virt_view_segments_addr_y (GArray  *segments,
                              guint64  addr)
{
  for (guint i = 0; i < segments->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segments, VaVirtSegment, i);

      if (addr >= s->start && (addr < s->end || (i == 0 && addr == s->end)))
        return s->y_bottom - (double) (addr - s->start) / (double) (s->end - s->start) *
                             (s->y_bottom - s->y_top);
    }
  return NAN;
}

double
va_virt_view_addr_y (VaMachine             *m,
                     const VaRect          *rect,
                     const VaRenderOptions *options,
                     guint32                addr)
{
  g_autoptr(GArray) segs = va_virt_view_layout (m, rect, options);

  return va_virt_view_segments_addr_y (segs, addr);
}

gboolean
va_virt_view_hit (VaMachine             *m,
                  const VaRect          *rect,
                  const VaRenderOptions *options,
                  double                 x,
                  double                 y,
                  guint32               *addr)
{
  VaRect bar;
  g_autoptr(GArray) segs = NULL;

  va_virt_view_bar (m, rect, options, &bar);
  if (x < bar.x || x > bar.x + bar.width || y < bar.y || y > bar.y + bar.height)
    return FALSE;
  segs = va_virt_view_layout (m, rect, options);
  /* A segment owns (y_top, y_bottom]: its bottom edge is its start address.
   * The topmost one also owns its top edge. */
  for (guint i = 0; i < segs->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);
      double h = s->y_bottom - s->y_top;
      guint64 size = s->end - s->start, off;

      if (!(y <= s->y_bottom && (y > s->y_top || i == 0)) || h <= 0)
        continue;
      off = (guint64) floor ((s->y_bottom - y) / h * (double) size + 1e-6);
      if (off >= size)
        off = size - 1;
      if (addr)
        *addr = (guint32) (s->start + off);
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

static VaColorRole
region_color (VaRegion region)
{
  switch (region)
    {
    case VA_REGION_USER: return VA_COLOR_REGION_USER;
    case VA_REGION_LINEAR: return VA_COLOR_REGION_LINEAR;
    case VA_REGION_VMALLOC_GAP: return VA_COLOR_REGION_GAP;
    case VA_REGION_VMALLOC_AREA: return VA_COLOR_ALLOC_VMALLOC;
    case VA_REGION_VMALLOC_GUARD: return VA_COLOR_REGION_GUARD;
    case VA_REGION_VMALLOC_LAZY: return VA_COLOR_REGION_LAZY;
    case VA_REGION_VMALLOC_FREE: return VA_COLOR_REGION_VMALLOC_FREE;
    case VA_REGION_VMALLOC_END_GAP: return VA_COLOR_REGION_GAP;
    case VA_REGION_PKMAP: return VA_COLOR_REGION_PKMAP;
    case VA_REGION_LDT: return VA_COLOR_REGION_CPU_ENTRY;
    case VA_REGION_CPU_ENTRY: return VA_COLOR_REGION_CPU_ENTRY;
    case VA_REGION_FIXMAP: return VA_COLOR_REGION_FIXMAP;
    case VA_REGION_UNUSED:
    case VA_REGION_TOP:
    default: return VA_COLOR_REGION_UNUSED;
    }
}

char *
va_virt_view_segment_label (const VaVirtSegment *s)
{
  const char *owner = s->owner && s->owner->name ? s->owner->name : NULL;

  switch (s->region)
    {
    case VA_REGION_USER: return g_strdup ("user space");
    case VA_REGION_LINEAR: return g_strdup ("linear map of lowmem");
    case VA_REGION_VMALLOC_GAP: return g_strdup ("VMALLOC_OFFSET gap");
    case VA_REGION_VMALLOC_AREA:
      if (s->page != G_MAXUINT32)
        return s->pfn != VA_PFN_NONE
               ? g_strdup_printf ("%s[%u] → pfn %u", owner ? owner : "vmalloc", s->page, s->pfn)
               : g_strdup_printf ("%s[%u] (not mapped)", owner ? owner : "vmalloc", s->page);
      return owner ? g_strdup_printf ("vmalloc “%s”", owner) : g_strdup ("vmalloc area");
    case VA_REGION_VMALLOC_GUARD:
      return owner ? g_strdup_printf ("guard page of “%s”", owner) : g_strdup ("guard page");
    case VA_REGION_VMALLOC_LAZY:
      return owner ? g_strdup_printf ("lazily freed “%s”", owner) : g_strdup ("lazily freed area");
    case VA_REGION_VMALLOC_FREE: return g_strdup ("free vmalloc space");
    case VA_REGION_VMALLOC_END_GAP: return g_strdup ("gap before PKMAP_BASE");
    case VA_REGION_PKMAP: return g_strdup ("pkmap (kmap window)");
    case VA_REGION_LDT: return g_strdup ("LDT remap");
    case VA_REGION_CPU_ENTRY: return g_strdup ("cpu_entry_area");
    case VA_REGION_UNUSED: return g_strdup ("unused");
    case VA_REGION_FIXMAP: return g_strdup ("fixmap");
    case VA_REGION_TOP: return g_strdup ("not mapped");
    default: return g_strdup ("?");
    }
}

const char *
va_virt_view_boundary_name (VaMachine *m,
                            guint64    addr)
{
  const VaLayout *l = &m->layout;

  if (addr == 0)
    return NULL;
  if (addr == l->page_offset)
    return "PAGE_OFFSET";
  if (addr == l->high_memory)
    return "high_memory";
  if (addr == l->vmalloc_start)
    return "VMALLOC_START";
  if (addr == l->vmalloc_end)
    return "VMALLOC_END";
  if (addr == l->pkmap_base)
    return "PKMAP_BASE";
  if (l->ldt_base && addr == l->ldt_base)
    return "LDT_BASE_ADDR";
  if (l->cea_base && addr == l->cea_base)
    return "CPU_ENTRY_AREA";
  if (addr == l->fixaddr_start)
    return "FIXADDR_START";
  if (addr == l->fixaddr_top)
    return "FIXADDR_TOP";
  return NULL;
}

static gboolean
is_selected (const VaVirtSegment   *s,
             const VaRenderOptions *options)
{
  return options && options->select && s->owner && s->owner->name &&
         g_str_equal (s->owner->name, options->select);
}

/* An axis break across the bar: two zigzags with the background between. */
static void
draw_break (cairo_t         *cr,
            const VaPalette *palette,
            double           x,
            double           width,
            double           y,
            double           amp)
{
  guint teeth = MAX ((guint) (width / (amp * 2)), 2);
  double step = (width + 8) / teeth;

  for (int pass = 0; pass < 2; pass++)
    {
      cairo_new_path (cr);
      cairo_move_to (cr, x - 4, y - amp);
      for (guint i = 0; i < teeth; i++)
        cairo_line_to (cr, x - 4 + (i + 0.5) * step, y - amp + (i % 2 ? -1 : 1) * amp * 0.6);
      cairo_line_to (cr, x + width + 4, y - amp);
      cairo_line_to (cr, x + width + 4, y + amp);
      for (guint i = teeth; i-- > 0;)
        cairo_line_to (cr, x - 4 + (i + 0.5) * step, y + amp + (i % 2 ? -1 : 1) * amp * 0.6);
      cairo_line_to (cr, x - 4, y + amp);
      cairo_close_path (cr);
      if (pass == 0)
        {
          va_render_set_color (cr, palette, VA_COLOR_BACKGROUND);
          cairo_fill_preserve (cr);
          cairo_new_path (cr);
        }
      else
        {
          /* stroke only the two zigzag edges */
          cairo_new_path (cr);
          for (int side = -1; side <= 1; side += 2)
            {
              cairo_move_to (cr, x - 4, y + side * amp);
              for (guint i = 0; i < teeth; i++)
                cairo_line_to (cr, x - 4 + (i + 0.5) * step,
                               y + side * amp + (i % 2 ? -1 : 1) * amp * 0.6);
              cairo_line_to (cr, x + width + 4, y + side * amp);
            }
          va_render_set_color (cr, palette, VA_COLOR_TEXT);
          cairo_set_line_width (cr, 1);
          cairo_stroke (cr);
        }
    }
}

static void
draw_header (cairo_t               *cr,
             const VaRect          *rect,
             const VaRenderOptions *options)
{
  guint64 lo, hi;
  g_autofree char *text = NULL;
  double fs = va_render_font_size (options) * 1.15;

  zoom_range (options, &lo, &hi);
  if (zoomed (options))
    text = g_strdup_printf ("Virtual addresses 0x%08" G_GINT64_MODIFIER "X–0x%08"
                            G_GINT64_MODIFIER "X (zoom)", lo, hi - 1);
  else
    text = g_strdup ("Virtual address space (4 GiB)");
  va_render_set_color (cr, options->palette, VA_COLOR_TEXT);
  va_text_draw_fit (cr, rect->x, rect->y + header_height (options) / 2 - 2, VA_TEXT_LEFT,
                    fs, TRUE, rect->width, text);
}

/* The address of each boundary, left of the bar, bottom up; labels that
 * would overlap the one below are left out (the symbols win). */
static void
draw_addresses (cairo_t               *cr,
                VaMachine             *m,
                GArray                *segs,
                const VaRect          *bar,
                const VaRenderOptions *options)
{
  double fs = address_font (options);
  double lh = va_text_line_height (fs, FALSE);
  const VaVirtSegment *top = &g_array_index (segs, VaVirtSegment, 0);
  const VaVirtSegment *bottom = &g_array_index (segs, VaVirtSegment, segs->len - 1);
  const char *sym;
  double last_y;
  char text[64];

  /* The two ends: the last address at the top, the first at the bottom. */
  va_render_set_color (cr, options->palette, VA_COLOR_TEXT);
  g_snprintf (text, sizeof text, "0x%08X", (guint32) (top->end - 1));
  va_text_draw (cr, bar->x - 6, top->y_top, VA_TEXT_RIGHT, fs, FALSE, text);
  sym = va_virt_view_boundary_name (m, bottom->start);
  g_snprintf (text, sizeof text, "%s%s0x%08X", sym ? sym : "", sym ? " " : "",
              (guint32) bottom->start);
  va_text_draw (cr, bar->x - 6, bottom->y_bottom, VA_TEXT_RIGHT, fs, sym != NULL, text);
  last_y = bottom->y_bottom;
  for (guint i = segs->len - 1; i-- > 0;)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);
      double y = s->y_bottom;

      sym = va_virt_view_boundary_name (m, s->start);
      if (last_y - y < lh * 0.95 || y - top->y_top < lh * 0.95)
        continue;
      g_snprintf (text, sizeof text, "%s%s0x%08X", sym ? sym : "", sym ? " " : "",
                  (guint32) s->start);
      va_render_set_color (cr, options->palette, sym ? VA_COLOR_TEXT : VA_COLOR_TEXT_DIM);
      va_text_draw (cr, bar->x - 6, y, VA_TEXT_RIGHT, fs, sym != NULL, text);
      /* a tick from the label to the bar */
      cairo_move_to (cr, bar->x - 4, y);
      cairo_line_to (cr, bar->x, y);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      last_y = y;
    }
}

void
va_virt_view_draw (cairo_t               *cr,
                   VaMachine             *m,
                   const VaRect          *rect,
                   const VaRenderOptions *options)
{
  const VaPalette *palette = options->palette;
  g_autoptr(GArray) segs = NULL;
  VaRect bar;
  double fs = va_render_font_size (options);
  double lh = va_text_line_height (fs, FALSE);
  double sfs = fs * 0.9;

  g_return_if_fail (cr != NULL && m != NULL && rect != NULL && options != NULL);
  cairo_save (cr);
  va_virt_view_bar (m, rect, options, &bar);
  segs = va_virt_view_layout (m, rect, options);
  draw_header (cr, rect, options);

  for (guint i = 0; i < segs->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);

      va_render_set_color (cr, palette, region_color (s->region));
      cairo_rectangle (cr, bar.x, s->y_top, bar.width, s->y_bottom - s->y_top);
      cairo_fill (cr);
    }

  /* Borders between segments, then the outline. */
  va_render_set_color (cr, palette, VA_COLOR_GRID);
  cairo_set_line_width (cr, 1);
  for (guint i = 1; i < segs->len; i++)
    {
      double y = g_array_index (segs, VaVirtSegment, i).y_top;

      cairo_move_to (cr, bar.x, y + 0.5);
      cairo_line_to (cr, bar.x + bar.width, y + 0.5);
    }
  cairo_stroke (cr);

  for (guint i = 0; i < segs->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);
      double h = s->y_bottom - s->y_top;
      double ymid = (s->y_top + s->y_bottom) / 2;
      g_autofree char *label = va_virt_view_segment_label (s);
      g_autofree char *size = va_text_format_size (s->end - s->start);
      double size_w = va_text_width (sfs, FALSE, size);
      double room = bar.width - 16;

      if (s->compressed)
        {
          if (h >= 3.5 * lh)
            draw_break (cr, palette, bar.x, bar.width, ymid + lh * 1.1, MAX (lh * 0.25, 3));
          else
            {
              /* too short for a band: an axis break "//" across the left edge */
              va_render_set_color (cr, palette, VA_COLOR_TEXT);
              cairo_set_line_width (cr, 1.2);
              for (int k = 0; k < 2; k++)
                {
                  cairo_move_to (cr, bar.x - 5 + k * 3.5, ymid + h * 0.3);
                  cairo_line_to (cr, bar.x + 1 + k * 3.5, ymid - h * 0.3);
                }
              cairo_stroke (cr);
            }
        }
      if (h < lh * 0.9)
        continue;
      va_text_set_color_on (cr, palette, va_palette_get (palette, region_color (s->region)));
      if (room - size_w - 12 > lh * 2)
        {
          va_text_draw (cr, bar.x + bar.width - 6, ymid, VA_TEXT_RIGHT, sfs, FALSE, size);
          room -= size_w + 12;
        }
      va_text_draw_fit (cr, bar.x + (s->compressed ? 10 : 6), ymid, VA_TEXT_LEFT, fs, s->region == VA_REGION_USER ||
                        s->region == VA_REGION_LINEAR, room, label);
    }

  /* Selection: the selected allocation's segments, or its range in the
   * linear map / pkmap window. */
  if (options->select)
    {
      const VaAllocation *a = va_machine_lookup (m, options->select);

      va_render_set_color (cr, palette, VA_COLOR_SELECTION);
      cairo_set_line_width (cr, 3);
      /* one outline around each run of the selection's segments */
      for (guint i = 0; i < segs->len; i++)
        {
          const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);
          double top = s->y_top;

          if (!is_selected (s, options))
            continue;
          while (i + 1 < segs->len && is_selected (&g_array_index (segs, VaVirtSegment, i + 1), options))
            s = &g_array_index (segs, VaVirtSegment, ++i);
          cairo_rectangle (cr, bar.x + 1.5, top + 1.5, bar.width - 3, s->y_bottom - top - 3);
          cairo_stroke (cr);
        }
      if (a && a->state == VA_ALLOC_LIVE && a->virt && a->kind != VA_ALLOC_VMALLOC)
        {
          guint64 len = a->kind == VA_ALLOC_KMALLOC ? MAX (a->size, 1)
                        : a->kind == VA_ALLOC_KMAP ? VA_PAGE_SIZE
                        : (guint64) VA_PAGE_SIZE << a->order;
          double y0 = va_virt_view_segments_addr_y (segs, a->virt);
          double y1 = va_virt_view_segments_addr_y (segs, a->virt + len);

          if (!isnan (y0))
            {
              if (isnan (y1) || y0 - y1 < 4)
                y1 = y0 - 4;
              cairo_rectangle (cr, bar.x + bar.width - 10, y1, 10, y0 - y1);
              cairo_fill (cr);
            }
        }
    }

  va_render_set_color (cr, palette, VA_COLOR_TEXT);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, bar.x + 0.5, bar.y + 0.5, bar.width - 1, bar.height - 1);
  cairo_stroke (cr);
  draw_addresses (cr, m, segs, &bar, options);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------ */
/* Digest                                                               */

static void
digest_add_string (GString    *out,
                   const char *text)
{
  g_string_append (out, text ? text : "");
  g_string_append_c (out, '\0');
}

/* One segment as drawn: place, colour, labels, selection outline. */
static void
digest_segment (GString               *out,
                VaMachine             *m,
                const VaVirtSegment   *s,
                const VaRenderOptions *options)
{
  g_autofree char *label = va_virt_view_segment_label (s);
  guint8 selected = is_selected (s, options);

  va_render_digest_add (out, &s->start, sizeof s->start);
  va_render_digest_add (out, &s->end, sizeof s->end);
  va_render_digest_add (out, &s->region, sizeof s->region);
  va_render_digest_add (out, &s->y_top, sizeof s->y_top);
  va_render_digest_add (out, &s->y_bottom, sizeof s->y_bottom);
  va_render_digest_add (out, &s->compressed, sizeof s->compressed);
  va_render_digest_add (out, &selected, sizeof selected);
  digest_add_string (out, label);
  digest_add_string (out, va_virt_view_boundary_name (m, s->start));
}

void
va_virt_view_digest (VaMachine             *m,
                     const VaRect          *rect,
                     const VaRenderOptions *options,
                     GString               *out)
{
  g_autoptr(GArray) segs = NULL;
  const VaAllocation *a;
  double fs = va_render_font_size (options);
  guint64 lo, hi;

  g_return_if_fail (m != NULL && rect != NULL && options != NULL && out != NULL);
  g_string_truncate (out, 0);
  segs = va_virt_view_layout (m, rect, options);
  zoom_range (options, &lo, &hi);
  va_render_digest_add (out, rect, sizeof *rect);
  va_render_digest_add (out, &fs, sizeof fs);
  va_render_digest_add (out, &lo, sizeof lo);
  va_render_digest_add (out, &hi, sizeof hi);
  digest_add_string (out, options->select);
  for (guint i = 0; i < segs->len; i++)
    digest_segment (out, m, &g_array_index (segs, VaVirtSegment, i), options);
  /* The selection's mark on the linear map or pkmap window. */
  a = options->select ? va_machine_lookup (m, options->select) : NULL;
  if (a && a->state == VA_ALLOC_LIVE)
    {
      va_render_digest_add (out, &a->kind, sizeof a->kind);
      va_render_digest_add (out, &a->virt, sizeof a->virt);
      va_render_digest_add (out, &a->size, sizeof a->size);
      va_render_digest_add (out, &a->order, sizeof a->order);
    }
}
