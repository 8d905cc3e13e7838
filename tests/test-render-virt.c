/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The virtual map: layout (minimum heights, guard pages, break marks),
 * hit testing at every boundary, zoom, labels, and pixels. */
#include "va-freelist-view.h"
#include "va-lookup.h"
#include "va-vmalloc.h"
#include "va-test-render.h"
#include "va-test-util.h"
#include "va-text.h"
#include "va-virt-view.h"

#include <math.h>

static const VaRect view_rect = { 10, 10, 520, 900 };

static VaMachine *
guard_machine (void)
{
  return va_test_run ("machine ram=1G profile=linux-2.6.9\n"
                      "vmalloc a 100\nvmalloc b 100\nvmalloc c 64K\nalloc k order=2 gfp=GFP_KERNEL\n");
}

static void
options_init (VaRenderOptions *o,
              VaPalette      **palette)
{
  *palette = va_palette_default (FALSE);
  va_render_options_init (o, *palette);
}

/* The default options and the layout of the whole view, where most tests
 * start. */
static GArray *
default_layout (VaMachine        *m,
                VaRenderOptions  *o,
                VaPalette       **palette)
{
  options_init (o, palette);
  return va_virt_view_layout (m, &view_rect, o);
}

/* Segments tile the bar top down, addresses from the top of the range down. */
static void
check_tiling (VaMachine             *m,
              const VaRenderOptions *o,
              GArray                *segs,
              guint64                lo,
              guint64                hi)
{
  VaRect bar;
  double hmin = va_virt_view_min_height (o);

  va_virt_view_bar (m, &view_rect, o, &bar);
  g_assert_cmpuint (segs->len, >, 0);
  g_assert_cmpuint (g_array_index (segs, VaVirtSegment, 0).end, ==, hi);
  g_assert_cmpuint (g_array_index (segs, VaVirtSegment, segs->len - 1).start, ==, lo);
  g_assert_cmpfloat (g_array_index (segs, VaVirtSegment, 0).y_top, ==, bar.y);
  g_assert_cmpfloat (fabs (g_array_index (segs, VaVirtSegment, segs->len - 1).y_bottom -
                           (bar.y + bar.height)), <, 1e-6);
  for (guint i = 0; i < segs->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);

      g_assert_cmpuint (s->start, <, s->end);
      g_assert_cmpfloat (s->y_bottom - s->y_top, >=, hmin);
      if (i > 0)
        {
          const VaVirtSegment *above = &g_array_index (segs, VaVirtSegment, i - 1);

          g_assert_cmpuint (s->end, ==, above->start);
          g_assert_cmpfloat (s->y_top, ==, above->y_bottom);
        }
    }
}

static const VaVirtSegment *
find_segment (GArray  *segs,
              guint64  addr)
{
  for (guint i = 0; i < segs->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);

      if (addr >= s->start && addr < s->end)
        return s;
    }
  return NULL;
}

static void
test_layout_whole (void)
{
  g_autoptr(VaMachine) m = guard_machine ();
  g_autoptr(VaPalette) palette = NULL;
  VaRenderOptions o;
  g_autoptr(GArray) segs = NULL;
  const VaLayout *l = &m->layout;
  double hmin;

  segs = default_layout (m, &o, &palette);
  hmin = va_virt_view_min_height (&o);
  check_tiling (m, &o, segs, 0, G_GUINT64_CONSTANT (1) << 32);

  /* the classic regions, each its own segment with its own bounds */
  g_assert_cmpint (find_segment (segs, 0)->region, ==, VA_REGION_USER);
  g_assert_cmpuint (find_segment (segs, 0)->end, ==, l->page_offset);
  g_assert_cmpint (find_segment (segs, l->page_offset)->region, ==, VA_REGION_LINEAR);
  g_assert_cmpuint (find_segment (segs, l->page_offset)->end, ==, l->high_memory);
  g_assert_cmpint (find_segment (segs, l->high_memory)->region, ==, VA_REGION_VMALLOC_GAP);
  g_assert_cmpuint (find_segment (segs, l->high_memory)->end, ==, l->vmalloc_start);
  g_assert_cmpint (find_segment (segs, l->pkmap_base)->region, ==, VA_REGION_PKMAP);
  g_assert_cmpint (find_segment (segs, l->fixaddr_start)->region, ==, VA_REGION_FIXMAP);

  /* every area's guard page: its own segment, at least the minimum height */
  for (const char *const *n = (const char *const[]) { "a", "b", "c", NULL }; *n; n++)
    {
      const VaAllocation *a = va_machine_lookup (m, *n);
      const VaVmapArea *area = va_vmalloc_area_at (m, a->virt);
      guint64 guard = (guint64) area->start + area->size - VA_PAGE_SIZE;
      const VaVirtSegment *g = find_segment (segs, guard);
      const VaVirtSegment *body = find_segment (segs, a->virt);

      g_assert_cmpint (g->region, ==, VA_REGION_VMALLOC_GUARD);
      g_assert_cmpuint (g->start, ==, guard);
      g_assert_cmpuint (g->end, ==, guard + VA_PAGE_SIZE);
      g_assert_true (g->owner == a);
      g_assert_cmpfloat (g->y_bottom - g->y_top, >=, hmin);
      g_assert_cmpint (body->region, ==, VA_REGION_VMALLOC_AREA);
      g_assert_cmpuint (body->start, ==, a->virt);
      g_assert_cmpuint (body->end, ==, guard);
      /* a bigger region is never drawn shorter than a smaller one */
      g_assert_cmpfloat (body->y_bottom - body->y_top, >=, g->y_bottom - g->y_top);
    }

  /* distortion is marked: user space and the linear map are drawn far below
   * their share, the small regions above it are not compressed */
  g_assert_true (find_segment (segs, 0)->compressed);
  g_assert_true (find_segment (segs, l->page_offset)->compressed);
  g_assert_false (find_segment (segs, l->high_memory)->compressed);
  g_assert_false (find_segment (segs, l->vmalloc_start)->compressed);
  /* sizes stay in order: 3 GiB user space is the tallest */
  g_assert_cmpfloat (find_segment (segs, 0)->y_bottom - find_segment (segs, 0)->y_top, >,
                     find_segment (segs, l->page_offset)->y_bottom - find_segment (segs, l->page_offset)->y_top);
}

static void
test_hit_boundaries (void)
{
  g_autoptr(VaMachine) m = guard_machine ();
  g_autoptr(VaPalette) palette = NULL;
  VaRenderOptions o;
  g_autoptr(GArray) segs = NULL;
  VaRect bar;
  guint32 addr;

  segs = default_layout (m, &o, &palette);
  va_virt_view_bar (m, &view_rect, &o, &bar);
  for (guint i = 0; i < segs->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);
      double y0 = va_virt_view_addr_y (m, &view_rect, &o, s->start);
      double y1 = va_virt_view_addr_y (m, &view_rect, &o, (guint32) (s->end - 1));

      g_assert_cmpfloat (y0, ==, s->y_bottom);
      g_assert_true (va_virt_view_hit (m, &view_rect, &o, bar.x + 3, y0, &addr));
      g_assert_cmphex (addr, ==, s->start);
      g_assert_true (va_virt_view_hit (m, &view_rect, &o, bar.x + bar.width - 1, y1, &addr));
      g_assert_cmphex (addr, >=, s->start);
      g_assert_cmphex (addr, <, s->end);
      /* and the middle of the segment is inside it */
      g_assert_true (va_virt_view_hit (m, &view_rect, &o, bar.x + 3, (s->y_top + s->y_bottom) / 2, &addr));
      g_assert_cmphex (addr, >=, s->start);
      g_assert_cmphex (addr, <, s->end);
    }
  g_assert_true (va_virt_view_hit (m, &view_rect, &o, bar.x + 3, bar.y, &addr));
  g_assert_cmphex (addr, ==, 0xFFFFFFFF);
  g_assert_false (va_virt_view_hit (m, &view_rect, &o, bar.x - 5, bar.y + 20, &addr));
  g_assert_false (va_virt_view_hit (m, &view_rect, &o, bar.x + 3, bar.y + bar.height + 2, &addr));
}

static void
test_zoom_vmalloc (void)
{
  g_autoptr(VaMachine) m = guard_machine ();
  g_autoptr(VaPalette) palette = NULL;
  VaRenderOptions o;
  g_autoptr(GArray) segs = NULL;
  g_autoptr(GArray) pages = NULL;
  const VaAllocation *c = va_machine_lookup (m, "c");
  guint n_area = 0;

  options_init (&o, &palette);
  o.zoom_start = m->layout.vmalloc_start;
  o.zoom_end = m->layout.vmalloc_end;
  segs = va_virt_view_layout (m, &view_rect, &o);
  check_tiling (m, &o, segs, m->layout.vmalloc_start, m->layout.vmalloc_end);
  g_assert_cmpint (g_array_index (segs, VaVirtSegment, 0).region, ==, VA_REGION_VMALLOC_FREE);
  g_assert_true (g_array_index (segs, VaVirtSegment, 0).compressed);

  /* a small range: page by page, each page with its frame */
  o.zoom_end = (guint64) m->layout.vmalloc_start + 0x16000;
  pages = va_virt_view_layout (m, &view_rect, &o);
  check_tiling (m, &o, pages, m->layout.vmalloc_start, o.zoom_end);
  for (guint i = 0; i < pages->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (pages, VaVirtSegment, i);

      if (s->region != VA_REGION_VMALLOC_AREA)
        continue;
      g_assert_cmpuint (s->end - s->start, ==, VA_PAGE_SIZE);
      n_area++;
      if (s->owner == c)
        g_assert_cmpuint (s->pfn, ==, c->pfns[s->page]);
      g_assert_false (s->compressed);
    }
  g_assert_cmpuint (n_area, ==, 18);   /* a, b: one page each; c: 16 */
}

static void
test_profile_61 (void)
{
  g_autoptr(VaMachine) m = va_test_run ("machine ram=1G profile=linux-6.1\n"
                                        "vmalloc a 100\nvmalloc b 8K\nvfree a\n");
  g_autoptr(VaPalette) palette = NULL;
  VaRenderOptions o;
  g_autoptr(GArray) segs = NULL;
  gboolean cea = FALSE, ldt = FALSE, lazy = FALSE;

  segs = default_layout (m, &o, &palette);
  check_tiling (m, &o, segs, 0, G_GUINT64_CONSTANT (1) << 32);
  for (guint i = 0; i < segs->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);
      VaLookup look;

      cea |= s->region == VA_REGION_CPU_ENTRY;
      ldt |= s->region == VA_REGION_LDT;
      lazy |= s->region == VA_REGION_VMALLOC_LAZY;
      /* every segment agrees with the engine's lookup at both ends */
      va_lookup_address (m, s->start, &look);
      g_assert_cmpint (look.region, ==, s->region);
      va_lookup_address (m, (guint32) (s->end - 1), &look);
      g_assert_cmpint (look.region, ==, s->region);
    }
  g_assert_true (cea);
  g_assert_true (ldt);
  g_assert_true (lazy);
}

static void
test_labels (void)
{
  g_autoptr(VaMachine) m = guard_machine ();
  g_autoptr(VaPalette) palette = NULL;
  VaRenderOptions o;
  g_autoptr(GArray) segs = NULL;
  const VaAllocation *a = va_machine_lookup (m, "a");
  g_autofree char *guard = NULL, *body = NULL, *user = NULL;

  segs = default_layout (m, &o, &palette);
  guard = va_virt_view_segment_label (find_segment (segs, a->virt + VA_PAGE_SIZE));
  body = va_virt_view_segment_label (find_segment (segs, a->virt));
  user = va_virt_view_segment_label (find_segment (segs, 0));
  g_assert_cmpstr (guard, ==, "guard page of “a”");
  g_assert_cmpstr (body, ==, "vmalloc “a”");
  g_assert_cmpstr (user, ==, "user space");
  g_assert_cmpstr (va_virt_view_boundary_name (m, m->layout.page_offset), ==, "PAGE_OFFSET");
  g_assert_cmpstr (va_virt_view_boundary_name (m, m->layout.vmalloc_start), ==, "VMALLOC_START");
  g_assert_cmpstr (va_virt_view_boundary_name (m, m->layout.high_memory), ==, "high_memory");
}

static void
test_draw_pixels (void)
{
  g_autoptr(VaMachine) m = guard_machine ();
  g_autoptr(VaPalette) palette = NULL;
  VaRenderOptions o;
  g_autoptr(GArray) segs = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 560, 940);
  cairo_t *cr = cairo_create (surface);
  const VaAllocation *a = va_machine_lookup (m, "a");
  const VaVirtSegment *g, *body, *user;
  VaRect bar;
  guint text_pixels = 0;

  options_init (&o, &palette);
  va_render_set_color (cr, palette, VA_COLOR_BACKGROUND);
  cairo_paint (cr);
  va_virt_view_draw (cr, m, &view_rect, &o);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  segs = va_virt_view_layout (m, &view_rect, &o);
  va_virt_view_bar (m, &view_rect, &o, &bar);

  g = find_segment (segs, a->virt + VA_PAGE_SIZE);
  body = find_segment (segs, a->virt);
  user = find_segment (segs, 0);
  g_assert_cmphex (va_test_pixel (surface, bar.x + 3, (g->y_top + g->y_bottom) / 2), ==,
                   va_test_rgb24 (palette, VA_COLOR_REGION_GUARD));
  g_assert_cmphex (va_test_pixel (surface, bar.x + 3, (body->y_top + body->y_bottom) / 2), ==,
                   va_test_rgb24 (palette, VA_COLOR_ALLOC_VMALLOC));
  g_assert_cmphex (va_test_pixel (surface, bar.x + 3, user->y_bottom - 4), ==,
                   va_test_rgb24 (palette, VA_COLOR_REGION_USER));
  /* the label is drawn: text pixels in the guard segment's row */
  for (int x = bar.x + 8; x < bar.x + bar.width / 2; x++)
    for (int y = g->y_top + 2; y < g->y_bottom - 2; y++)
      text_pixels += va_test_pixel (surface, x, y) != va_test_rgb24 (palette, VA_COLOR_REGION_GUARD);
  g_assert_cmpuint (text_pixels, >, 20);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The virtual map drawn by a thread of its own (a text cache of its own),
 * after a warm-up of that cache when @warm: the bytes of the picture. */
static gpointer
draw_in_thread (gpointer warm)
{
  g_autoptr(VaMachine) m = guard_machine ();
  g_autoptr(VaPalette) palette = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 560, 940);
  cairo_t *cr = cairo_create (surface);
  VaRenderOptions o;
  GBytes *bytes;

  if (warm)
    va_text_warm_up (VA_RENDER_DEFAULT_FONT_SIZE);
  options_init (&o, &palette);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  va_virt_view_draw (cr, m, &view_rect, &o);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       cairo_image_surface_get_stride (surface) * cairo_image_surface_get_height (surface));
  cairo_surface_destroy (surface);
  return bytes;
}

/* A warm-up (va_text_warm_up(): the faces loaded on another thread with
 * the caller's cache) changes nothing the caller then draws. */
static void
test_warm_up_same_picture (void)
{
  g_autoptr(GBytes) cold = g_thread_join (g_thread_new ("cold", draw_in_thread, NULL));
  g_autoptr(GBytes) warm = g_thread_join (g_thread_new ("warm", draw_in_thread, GINT_TO_POINTER (1)));

  g_assert_true (g_bytes_equal (cold, warm));
}

static void
test_freelist_hit (void)
{
  g_autoptr(VaMachine) m = guard_machine ();
  g_autoptr(VaPalette) palette = NULL;
  VaRenderOptions o;
  VaRect r = { 0, 0, 1400, 0 };
  guint found = 0;

  options_init (&o, &palette);
  r.height = va_freelist_view_height (m, r.width, &o);
  g_assert_cmpfloat (r.height, >, 100);
  for (double y = 0; y < r.height; y += 3)
    for (double x = 0; x < r.width; x += 5)
      {
        guint32 pfn = va_freelist_view_hit (m, &r, &o, x, y);

        if (pfn == VA_PFN_NONE)
          continue;
        g_assert_cmpuint (pfn, <, m->nr_pfns);
        g_assert_cmpint (m->pages[pfn].state, ==, VA_PAGE_FREE);
        found++;
      }
  g_assert_cmpuint (found, >, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/virt/layout/whole", test_layout_whole);
  g_test_add_func ("/virt/hit/boundaries", test_hit_boundaries);
  g_test_add_func ("/virt/zoom/vmalloc", test_zoom_vmalloc);
  g_test_add_func ("/virt/layout/linux-6.1", test_profile_61);
  g_test_add_func ("/virt/labels", test_labels);
  g_test_add_func ("/virt/text/warm-up-same-picture", test_warm_up_same_picture);
  g_test_add_func ("/virt/draw/pixels", test_draw_pixels);
  g_test_add_func ("/freelist/hit", test_freelist_hit);
  return g_test_run ();
}
