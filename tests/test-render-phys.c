/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The physical map: palette file vs built-in table, frame classes of known
 * frames, the indexed PNG fast path decoded back, the Cairo view's pixels
 * (HighMem below the max_low_pfn line), hit testing, atomic PNG writes, and
 * the raster's incremental update. */
#include "va-box-filter.h"
#include "va-cma.h"
#include "va-frame-classes.h"
#include "va-phys-raster.h"
#include "va-phys-view.h"
#include "va-png-writer.h"
#include "va-runner.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "va-test-util.h"

#include <glib/gstdio.h>

/*** Helpers ***/


/* 1 GiB on 2.6.9: 896 MiB lowmem + 128 MiB HighMem; an order-3 block that
 * stays allocated, one that was freed, and a vmalloc area (HighMem pages). */
static const char scenario_1g[] =
  "machine ram=1G profile=linux-2.6.9\n"
  "alloc p order=3 gfp=GFP_KERNEL\n"
  "alloc q order=3 gfp=GFP_KERNEL\n"
  "vmalloc v 64K\n"
  "free q\n";

typedef struct {
  guint8 r, g, b;
} Rgb8;

static Rgb8
rgb8 (VaRgb c)
{
  return (Rgb8) { (guint8) (c.r * 255 + 0.5), (guint8) (c.g * 255 + 0.5), (guint8) (c.b * 255 + 0.5) };
}

static Rgb8
role_rgb8 (const VaPalette *p,
           VaColorRole      role)
{
  return rgb8 (va_palette_get (p, role));
}

/* The free ramp, computed here rather than through va_frame_class_rgb()
 * so the test checks the interpolation too. */
static Rgb8
free_rgb8 (const VaPalette *p,
           guint            order,
           guint            max_order)
{
  VaRgb lo = va_palette_get (p, VA_COLOR_FREE_LOW), hi = va_palette_get (p, VA_COLOR_FREE_HIGH);
  double t = (double) order / (max_order - 1);

  return rgb8 ((VaRgb) { lo.r + (hi.r - lo.r) * t, lo.g + (hi.g - lo.g) * t,
                         lo.b + (hi.b - lo.b) * t });
}

static Rgb8
pixel_at (cairo_surface_t *s,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (s);
  guint32 px;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (s));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (s));
  memcpy (&px, data + (gsize) y * cairo_image_surface_get_stride (s) + (gsize) x * 4, 4);
  return (Rgb8) { (px >> 16) & 0xff, (px >> 8) & 0xff, px & 0xff };
}

#define assert_rgb(got, want) G_STMT_START {                                        \
    Rgb8 g_ = (got), w_ = (want);                                                    \
    if (g_.r != w_.r || g_.g != w_.g || g_.b != w_.b)                                \
      g_error ("%s:%d: pixel #%02x%02x%02x, expected #%02x%02x%02x",                 \
               __FILE__, __LINE__, g_.r, g_.g, g_.b, w_.r, w_.g, w_.b);              \
  } G_STMT_END

static char *
palette_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "palette.ini", NULL);
}

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("vmatlas-render-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d))
    n++;
  return n;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_chmod (dir, 0755);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/*** Palette ***/

static void
test_palette_file_matches_builtin (void)
{
  g_autofree char *path = palette_path ();

  for (int dark = 0; dark <= 1; dark++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VaPalette) file = va_palette_load (path, dark, &error);
      g_autoptr(VaPalette) builtin = va_palette_default (dark);

      g_assert_no_error (error);
      for (guint r = 0; r < VA_N_COLORS; r++)
        {
          Rgb8 a = role_rgb8 (file, r), b = role_rgb8 (builtin, r);

          if (a.r != b.r || a.g != b.g || a.b != b.b)
            g_error ("[%s] %s: palette.ini #%02x%02x%02x, built-in #%02x%02x%02x",
                     dark ? "dark" : "light", va_palette_role_name (r), a.r, a.g, a.b, b.r, b.g, b.b);
        }
    }
}

static void
assert_load_error (const char *contents,
                   gint        code,
                   const char *const *needles)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "bad.ini", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VaPalette) p = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  p = va_palette_load (path, FALSE, &error);
  g_assert_null (p);
  g_assert_error (error, G_KEY_FILE_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
  for (guint i = 0; needles[i]; i++)
    if (!strstr (error->message, needles[i]))
      g_error ("“%s” does not mention “%s”", error->message, needles[i]);
  remove_dir (dir);
}

/* A valid [light] group with @key's value replaced (or dropped if NULL). */
static char *
light_group_with (const char *key,
                  const char *value)
{
  g_autoptr(VaPalette) p = va_palette_default (FALSE);
  GString *s = g_string_new ("[light]\n");

  for (guint r = 0; r < VA_N_COLORS; r++)
    {
      const char *name = va_palette_role_name (r);
      Rgb8 c = role_rgb8 (p, r);

      if (g_str_equal (name, key))
        {
          if (value)
            g_string_append_printf (s, "%s=%s\n", name, value);
        }
      else
        g_string_append_printf (s, "%s=#%02x%02x%02x\n", name, c.r, c.g, c.b);
    }
  return g_string_free (s, FALSE);
}

static void
test_palette_errors (void)
{
  g_autofree char *missing = light_group_with ("alloc-vmalloc", NULL);
  g_autofree char *bad = light_group_with ("free-low", "#12345");
  g_autofree char *named = light_group_with ("hole", "grey");
  g_autofree char *valid = light_group_with ("pcp", "#00ff00");
  g_autofree char *extra = g_strconcat (valid, "free-lo=#ffffff\n", NULL);
  g_autoptr(GError) error = NULL;

  assert_load_error (missing, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     (const char *[]) { "[light]", "alloc-vmalloc", NULL });
  assert_load_error (bad, G_KEY_FILE_ERROR_INVALID_VALUE,
                     (const char *[]) { "[light]", "free-low", "#12345", "#rrggbb", NULL });
  assert_load_error (named, G_KEY_FILE_ERROR_INVALID_VALUE,
                     (const char *[]) { "[light]", "hole", "grey", NULL });
  assert_load_error (extra, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     (const char *[]) { "[light]", "free-lo", NULL });
  assert_load_error ("[dark]\nbackground=#000000\n", G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                     (const char *[]) { "[light]", NULL });
  assert_load_error ("not a key file", G_KEY_FILE_ERROR_PARSE, (const char *[]) { NULL });

  g_assert_null (va_palette_load ("/nonexistent/palette.ini", FALSE, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/palette.ini"));
}

static double
lightness (VaRgb c)
{
  double v[3] = { c.r, c.g, c.b }, y;

  for (guint i = 0; i < 3; i++)
    v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow ((v[i] + 0.055) / 1.055, 2.4);
  y = 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  return y > 0.008856 ? 116 * cbrt (y) - 16 : 903.3 * y;
}

/* Greyscale print: free, allocated and reserved frames must stay apart in
 * lightness (CIE L*) alone, whatever hue each has. */
static void
test_palette_greyscale_bands (void)
{
  static const VaColorRole free_roles[] = { VA_COLOR_FREE_LOW, VA_COLOR_FREE_HIGH, VA_COLOR_FREE_CMA };
  static const VaColorRole used_roles[] = {
    VA_COLOR_PCP, VA_COLOR_ISOLATED, VA_COLOR_ALLOC_PAGES, VA_COLOR_ALLOC_KMALLOC,
    VA_COLOR_ALLOC_VMALLOC, VA_COLOR_ALLOC_KMAP, VA_COLOR_ALLOC_CMA, VA_COLOR_ALLOC_WORKLOAD,
    VA_COLOR_ALLOC_MOVABLE,
  };
  static const VaColorRole reserved_roles[] = {
    VA_COLOR_RESERVED_KERNEL, VA_COLOR_RESERVED_MEMMAP, VA_COLOR_RESERVED,
  };
  g_autoptr(VaPalette) p = va_palette_default (FALSE);
  double free_min = 100, used_min = 100, used_max = 0, reserved_max = 0;

  for (guint i = 0; i < G_N_ELEMENTS (free_roles); i++)
    free_min = MIN (free_min, lightness (va_palette_get (p, free_roles[i])));
  for (guint i = 0; i < G_N_ELEMENTS (used_roles); i++)
    {
      used_min = MIN (used_min, lightness (va_palette_get (p, used_roles[i])));
      used_max = MAX (used_max, lightness (va_palette_get (p, used_roles[i])));
    }
  for (guint i = 0; i < G_N_ELEMENTS (reserved_roles); i++)
    reserved_max = MAX (reserved_max, lightness (va_palette_get (p, reserved_roles[i])));

  g_assert_cmpfloat (free_min - used_max, >=, 5);
  g_assert_cmpfloat (used_min - reserved_max, >=, 10);
}

/*** Frame classes ***/

static void
assert_frames_class (VaMachine *m,
                     guint32    pfn,
                     guint32    n,
                     guint8     cls)
{
  g_autofree guint8 *classes = g_malloc (m->nr_pfns);

  va_frame_classes_fill (m, classes);
  for (guint32 i = pfn; i < pfn + n; i++)
    if (classes[i] != cls)
      g_error ("pfn %u: class %u, expected %u", i, classes[i], cls);
}

static void
test_classes_known_frames (void)
{
  g_autoptr(VaMachine) m = va_test_run (scenario_1g);
  g_autofree guint8 *classes = g_malloc (m->nr_pfns);
  const VaAllocation *p = va_test_lookup (m, "p"), *q = va_test_lookup (m, "q");
  const VaAllocation *v = va_test_lookup (m, "v");
  guint32 head = va_machine_block_head (m, q->pfn);

  va_frame_classes_fill (m, classes);
  assert_frames_class (m, p->pfn, 8, VA_COLOR_ALLOC_PAGES);
  for (guint32 i = 0; i < v->nr_pages; i++)
    {
      g_assert_cmpuint (v->pfns[i], >=, m->layout.max_low_pfn);   /* HighMem */
      g_assert_cmpuint (classes[v->pfns[i]], ==, VA_COLOR_ALLOC_VMALLOC);
    }
  g_assert_cmpuint (m->pages[head].state, ==, VA_PAGE_FREE);
  assert_frames_class (m, head, 1u << m->pages[head].order,
                       VA_FRAME_CLASS_FREE (m->pages[head].order));
  assert_frames_class (m, m->kernel_start_pfn, m->kernel_end_pfn - m->kernel_start_pfn,
                       VA_COLOR_RESERVED_KERNEL);
  assert_frames_class (m, m->mem_map_start_pfn, m->mem_map_end_pfn - m->mem_map_start_pfn,
                       VA_COLOR_RESERVED_MEMMAP);
  g_assert_cmpuint (classes[0], ==, VA_COLOR_RESERVED);             /* the BIOS page */
  g_assert_cmpuint (classes[0xa0], ==, VA_COLOR_RESERVED);          /* ISA hole, 640 KiB */

  /* The head walk agrees with asking frame by frame (tails via their head). */
  for (guint32 pfn = 0; pfn < m->nr_pfns; pfn++)
    if (classes[pfn] != va_frame_class (m, pfn))
      g_error ("pfn %u: fill %u, va_frame_class %u", pfn, classes[pfn], va_frame_class (m, pfn));
}

static void
test_classes_cma (void)
{
  g_autoptr(VaMachine) m = va_test_run (
    "machine ram=512M profile=linux-6.1 cma=16M\n"
    "cma_alloc c 64\n"
    "alloc u order=0 gfp=GFP_HIGHUSER_MOVABLE\n");
  const VaAllocation *c = va_test_lookup (m, "c"), *u = va_test_lookup (m, "u");
  g_autofree guint8 *classes = g_malloc (m->nr_pfns);
  const VaCmaArea *area;
  guint32 free_in_area = 0;

  g_assert_nonnull (m->cma);
  area = g_ptr_array_index (m->cma->areas, 0);
  va_frame_classes_fill (m, classes);
  for (guint32 i = 0; i < c->nr_pages; i++)
    g_assert_cmpuint (classes[c->pfns ? c->pfns[i] : c->pfn + i], ==, VA_COLOR_ALLOC_CMA);
  g_assert_cmpuint (classes[u->pfn], ==, VA_COLOR_ALLOC_MOVABLE);
  for (guint32 pfn = area->base_pfn; pfn < area->base_pfn + area->count; pfn++)
    {
      guint32 h = va_machine_block_head (m, pfn);

      if (m->pages[h].state == VA_PAGE_FREE)
        {
          g_assert_cmpuint (classes[pfn], ==, VA_COLOR_FREE_CMA);
          free_in_area++;
        }
    }
  g_assert_cmpuint (free_in_area, >, 0);
}

/*** The PNG fast path ***/

static cairo_surface_t *
load_png (const char *path)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  return s;
}

static Rgb8
png_frame (cairo_surface_t *s,
           guint32          pfn)
{
  int w = cairo_image_surface_get_width (s);

  return pixel_at (s, pfn % w, pfn / w);
}

static void
test_export_png_pixels (void)
{
  g_autoptr(VaMachine) m = va_test_run (scenario_1g);
  g_autoptr(VaPalette) pal = va_palette_default (FALSE);
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "phys.png", NULL);
  g_autoptr(GError) error = NULL;
  const VaAllocation *p = va_test_lookup (m, "p"), *q = va_test_lookup (m, "q");
  const VaAllocation *v = va_test_lookup (m, "v");
  guint32 head = va_machine_block_head (m, q->pfn);
  guint max_order = m->profile->max_order;
  g_autofree char *bytes = NULL;
  gsize len;
  cairo_surface_t *s;

  /* 512 x 520: one frame per pixel (262144 frames) and 8 spare rows. */
  g_assert_true (va_phys_export_png (m, path, 512, 520, pal, &error));
  g_assert_no_error (error);

  /* An 8-bit palette PNG: IHDR bit depth and colour type 3. */
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 26);
  g_assert_cmpint (bytes[24], ==, 8);
  g_assert_cmpint (bytes[25], ==, 3);

  s = load_png (path);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 512);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 520);
  for (guint32 i = 0; i < 8; i++)
    assert_rgb (png_frame (s, p->pfn + i), role_rgb8 (pal, VA_COLOR_ALLOC_PAGES));
  for (guint32 i = 0; i < v->nr_pages; i++)
    assert_rgb (png_frame (s, v->pfns[i]), role_rgb8 (pal, VA_COLOR_ALLOC_VMALLOC));
  assert_rgb (png_frame (s, q->pfn), free_rgb8 (pal, m->pages[head].order, max_order));
  assert_rgb (png_frame (s, m->kernel_start_pfn), role_rgb8 (pal, VA_COLOR_RESERVED_KERNEL));
  assert_rgb (png_frame (s, m->mem_map_start_pfn), role_rgb8 (pal, VA_COLOR_RESERVED_MEMMAP));
  assert_rgb (pixel_at (s, 5, 515), role_rgb8 (pal, VA_COLOR_BACKGROUND));
  cairo_surface_destroy (s);

  /* Smaller than the machine: every 4th frame. */
  g_assert_true (va_phys_export_png (m, path, 256, 256, pal, &error));
  g_assert_no_error (error);
  s = load_png (path);
  {
    g_autofree guint8 *classes = g_malloc (m->nr_pfns);

    va_frame_classes_fill (m, classes);
    for (guint32 i = 0; i < 256 * 256; i += 997)
      assert_rgb (pixel_at (s, i % 256, i / 256),
                  rgb8 (va_frame_class_rgb (pal, classes[i * 4], max_order)));
  }
  cairo_surface_destroy (s);
  g_assert_cmpuint (count_entries (dir), ==, 1);   /* no temporary files left */
  remove_dir (dir);
}

/*** The Cairo view ***/

static cairo_surface_t *
render_view (VaMachine       *m,
             const VaPalette *pal,
             const VaRect    *rect,
             gboolean         pageblocks)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) rect->width,
                                                   (int) rect->height);
  cairo_t *cr = cairo_create (s);
  VaRenderOptions options;

  va_render_options_init (&options, pal);
  options.show_pageblocks = pageblocks;
  va_phys_view_draw (cr, m, rect, &options);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static Rgb8
view_frame (cairo_surface_t *s,
            VaMachine       *m,
            const VaRect    *rect,
            guint32          pfn)
{
  double x, y;

  va_phys_view_frame_point (m, rect, pfn, &x, &y);
  return pixel_at (s, (int) floor (x), (int) floor (y));
}

static void
test_view_pixels (void)
{
  g_autoptr(VaMachine) m = va_test_run (scenario_1g);
  g_autoptr(VaPalette) pal = va_palette_default (FALSE);
  const VaRect rect = { 0, 0, 1100, 1100 };
  const VaAllocation *v = va_test_lookup (m, "v");
  guint32 mlp = m->layout.max_low_pfn;
  VaPhysLayout l;
  cairo_surface_t *s;
  double line_y, x, y;

  va_phys_view_layout (m, &rect, &l);
  g_assert_cmpuint (l.columns, ==, 512);       /* 2 x 2 cells: 1024 x 1024 */
  g_assert_cmpfloat (l.cell, ==, 2);
  g_assert_cmpuint (mlp % l.columns, ==, 0);   /* 896 MiB starts a row */

  s = render_view (m, pal, &rect, FALSE);
  assert_rgb (view_frame (s, m, &rect, m->kernel_start_pfn + 1),
              role_rgb8 (pal, VA_COLOR_RESERVED_KERNEL));
  assert_rgb (view_frame (s, m, &rect, m->mem_map_start_pfn + 1),
              role_rgb8 (pal, VA_COLOR_RESERVED_MEMMAP));

  /* The max_low_pfn line lies on the first HighMem row; vmalloc's HighMem
   * pages are drawn below it in the vmalloc colour. */
  line_y = l.map.y + (mlp / l.columns) * l.cell;
  assert_rgb (pixel_at (s, (int) l.map.x + 10, (int) line_y), role_rgb8 (pal, VA_COLOR_TEXT));
  for (guint32 i = 0; i < v->nr_pages; i++)
    {
      va_phys_view_frame_point (m, &rect, v->pfns[i], &x, &y);
      g_assert_cmpfloat (y, >, line_y);
      if (y > line_y + l.cell)      /* below the row the line covers */
        assert_rgb (view_frame (s, m, &rect, v->pfns[i]), role_rgb8 (pal, VA_COLOR_ALLOC_VMALLOC));
    }
  /* Frames past the last row are background, and the zone strip is there. */
  assert_rgb (pixel_at (s, (int) l.map.x + 10, (int) (l.map.y + l.map.height) + 5),
              role_rgb8 (pal, VA_COLOR_BACKGROUND));
  assert_rgb (pixel_at (s, (int) l.map.x - 4, (int) (line_y + 50)),
              role_rgb8 (pal, VA_COLOR_ZONE_HIGHMEM));
  assert_rgb (pixel_at (s, (int) l.map.x - 4, (int) (line_y - 50)),
              role_rgb8 (pal, VA_COLOR_ZONE_NORMAL));
  cairo_surface_destroy (s);

  /* Pageblocks (a profile with mobility grouping): a grid-coloured border
   * and, in the block's corner, a mark in its migrate type's colour. */
  {
    static const VaColorRole mt_role[VA_MT_TYPES] = {
      [VA_MT_UNMOVABLE] = VA_COLOR_ALLOC_KMALLOC, [VA_MT_MOVABLE] = VA_COLOR_ALLOC_MOVABLE,
      [VA_MT_RECLAIMABLE] = VA_COLOR_ALLOC_PAGES, [VA_MT_HIGHATOMIC] = VA_COLOR_SELECTION,
      [VA_MT_CMA] = VA_COLOR_ALLOC_CMA, [VA_MT_ISOLATE] = VA_COLOR_ISOLATED,
    };
    g_autoptr(VaMachine) m61 = va_test_run ("machine ram=64M profile=linux-6.1\n");
    const VaRect small = { 0, 0, 600, 600 };
    guint32 block = 1u << m61->pageblock_order;

    va_phys_view_layout (m61, &small, &l);
    s = render_view (m61, pal, &small, TRUE);
    for (guint32 pfn = block; pfn < m61->nr_pfns; pfn += block)
      {
        double bx = l.map.x + (pfn % l.columns) * l.cell, by = l.map.y + (pfn / l.columns) * l.cell;

        assert_rgb (pixel_at (s, (int) bx + 40, (int) by), role_rgb8 (pal, VA_COLOR_GRID));
        assert_rgb (pixel_at (s, (int) bx + 1, (int) by + 1),
                    role_rgb8 (pal, mt_role[va_machine_pageblock_mt (m61, pfn)]));
      }
    cairo_surface_destroy (s);
  }
}

static void
test_view_layout_and_hit (void)
{
  g_autoptr(VaMachine) m = va_test_run (scenario_1g);
  g_autoptr(VaMachine) small = va_test_run ("machine ram=64M profile=linux-2.6.9\n");
  const VaRect hd = { 0, 0, 1920, 1080 }, box = { 10, 20, 600, 600 };
  VaPhysLayout l;
  double x, y;

  va_phys_view_layout (m, &hd, &l);
  g_assert_cmpuint (l.columns * l.rows, >=, m->nr_pfns);
  g_assert_cmpfloat (l.map.x + l.map.width, <=, hd.width);
  g_assert_cmpfloat (l.map.y + l.map.height, <=, hd.height);

  va_phys_view_layout (small, &box, &l);
  g_assert_cmpfloat (l.cell, >=, 4);       /* 16384 frames get big cells */
  g_assert_cmpfloat (l.cell, ==, floor (l.cell));

  for (guint32 pfn = 0; pfn < small->nr_pfns; pfn += 331)
    {
      va_phys_view_frame_point (small, &box, pfn, &x, &y);
      g_assert_cmpuint (va_phys_view_hit (small, &box, x, y), ==, pfn);
    }
  g_assert_cmpuint (va_phys_view_hit (small, &box, 0, 0), ==, VA_PFN_NONE);
  g_assert_cmpuint (va_phys_view_hit (small, &box, l.map.x + 1, l.map.y + l.map.height + 1),
                    ==, VA_PFN_NONE);
}

/* A migration's outline: at t = 0 where the block is, at t = 1 where it
 * lands, and on the way its extents cover both ends (the dashed outline
 * left behind and the path). */
static void
test_view_mark_flight (void)
{
  g_autoptr(VaMachine) small = va_test_run ("machine ram=64M profile=linux-2.6.9\n");
  g_autoptr(VaPalette) palette = va_palette_default (FALSE);
  const VaRect box = { 10, 20, 600, 600 };
  VaRenderOptions options;
  VaRect at_from, at_to, start, end, mid;

  va_render_options_init (&options, palette);
  options.has_mark = TRUE;
  options.mark_order = 2;
  options.mark_pfn = 1024;
  g_assert_true (va_phys_view_mark_extents (small, &box, &options, &at_from));
  options.mark_pfn = 9000;
  g_assert_true (va_phys_view_mark_extents (small, &box, &options, &at_to));

  options.mark_pfn = 1024;
  options.mark_flies = TRUE;
  options.mark_to_pfn = 9000;
  options.mark_t = 0;
  g_assert_true (va_phys_view_mark_extents (small, &box, &options, &start));
  g_assert_cmpmem (&start, sizeof start, &at_from, sizeof at_from);
  options.mark_t = 0.5;
  g_assert_true (va_phys_view_mark_extents (small, &box, &options, &mid));
  options.mark_t = 1;
  g_assert_true (va_phys_view_mark_extents (small, &box, &options, &end));
  /* from the start's corner to the landing's */
  g_assert_cmpfloat (end.x, ==, MIN (at_from.x, at_to.x));
  g_assert_cmpfloat (end.y, ==, MIN (at_from.y, at_to.y));
  g_assert_cmpfloat (end.x + end.width, ==, MAX (at_from.x + at_from.width, at_to.x + at_to.width));
  g_assert_cmpfloat (end.y + end.height, ==, MAX (at_from.y + at_from.height, at_to.y + at_to.height));
  /* half way it has left the start but not yet landed */
  g_assert_cmpfloat (mid.height, >, at_from.height);
  g_assert_cmpfloat (mid.height, <, end.height);
}

/* A zoomed view of 64 frames around allocation p: cells at least 8 times
 * the full view's, p's frame in the allocation colour, hits that round-trip
 * inside the window, and nothing drawn for a frame outside it. */
static void
test_view_zoom (void)
{
  g_autoptr(VaMachine) m = va_test_run (scenario_1g);
  g_autoptr(VaPalette) pal = va_palette_default (FALSE);
  const VaRect rect = { 0, 0, 600, 600 };
  const VaAllocation *p = va_test_lookup (m, "p");
  VaRenderOptions options;
  VaPhysLayout full, zoom;
  cairo_surface_t *s;
  cairo_t *cr;
  Rgb8 at_p;
  double x, y;

  va_render_options_init (&options, pal);
  g_assert_cmpuint (options.phys_first, ==, 0);
  g_assert_cmpuint (options.phys_count, ==, 0);
  options.phys_first = p->pfn + 5;          /* not aligned: the view aligns it */
  options.phys_count = 64;

  va_phys_view_layout (m, &rect, &full);
  va_phys_view_layout_zoomed (m, &rect, &options, &zoom);
  g_assert_cmpfloat (zoom.cell, >=, 8 * full.cell);
  g_assert_cmpuint (zoom.first % zoom.columns, ==, 0);
  g_assert_cmpuint (zoom.first, <=, options.phys_first);
  g_assert_cmpuint (zoom.first + zoom.count, >=, options.phys_first + options.phys_count);
  g_assert_cmpuint (zoom.rows, ==, (zoom.count + zoom.columns - 1) / zoom.columns);
  g_assert_cmpfloat (zoom.map.y + zoom.map.height, <=, rect.height);

  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) rect.width, (int) rect.height);
  cr = cairo_create (s);
  va_phys_view_draw (cr, m, &rect, &options);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);

  /* p's first frame: the window's first frames precede it, so it is in. */
  va_phys_view_frame_point_zoomed (m, &rect, &options, p->pfn + 6, &x, &y);
  at_p = pixel_at (s, (int) floor (x), (int) floor (y));
  assert_rgb (at_p, pixel_at (s, (int) floor (x - zoom.cell / 4), (int) floor (y + zoom.cell / 4)));
  g_assert_cmpuint (va_phys_view_hit_zoomed (m, &rect, &options, x, y), ==, p->pfn + 6);
  {
    guint8 *classes = g_malloc (m->nr_pfns);
    g_autofree guint32 *lut = g_new (guint32, 256);
    guint32 px;

    va_frame_classes_fill (m, classes);
    va_frame_class_lut (pal, m->profile->max_order, lut);
    px = lut[classes[p->pfn + 6]];
    assert_rgb (at_p, ((Rgb8) { (px >> 16) & 0xff, (px >> 8) & 0xff, px & 0xff }));
    assert_rgb (at_p, role_rgb8 (pal, VA_COLOR_ALLOC_PAGES));
    g_free (classes);
  }

  for (guint32 pfn = zoom.first; pfn < zoom.first + zoom.count; pfn++)
    {
      va_phys_view_frame_point_zoomed (m, &rect, &options, pfn, &x, &y);
      g_assert_cmpuint (va_phys_view_hit_zoomed (m, &rect, &options, x, y), ==, pfn);
    }

  /* Outside the window: no cell, and links pin to the top or bottom edge. */
  va_phys_view_frame_point_zoomed (m, &rect, &options, zoom.first + zoom.count + 1000, &x, &y);
  g_assert_cmpfloat (y, ==, zoom.map.y + zoom.map.height);
  assert_rgb (pixel_at (s, (int) zoom.map.x + 2, (int) (zoom.map.y + zoom.map.height) + 2),
              role_rgb8 (pal, VA_COLOR_BACKGROUND));
  va_phys_view_frame_point_zoomed (m, &rect, &options, m->kernel_start_pfn + 1, &x, &y);
  g_assert_cmpfloat (y, ==, zoom.map.y);
  g_assert_cmpuint (va_phys_view_hit_zoomed (m, &rect, &options, zoom.map.x + 1,
                                             zoom.map.y + zoom.map.height + 1), ==, VA_PFN_NONE);
  /* The kernel image lies far below the window: no pixel of the map shows
   * its colour, nor the colour of frame 0 (reserved). */
  g_assert_cmpuint (m->kernel_start_pfn + 64, <, zoom.first);
  for (int py = (int) zoom.map.y; py < (int) (zoom.map.y + zoom.map.height); py++)
    for (int px = (int) zoom.map.x; px < (int) (zoom.map.x + zoom.map.width); px++)
      {
        Rgb8 c = pixel_at (s, px, py), k = role_rgb8 (pal, VA_COLOR_RESERVED_KERNEL);

        if (c.r == k.r && c.g == k.g && c.b == k.b)
          g_error ("kernel image frame drawn in a window of pfns %u..%u", zoom.first,
                   zoom.first + zoom.count - 1);
      }
  cairo_surface_destroy (s);
}

/*** Atomic PNG writes ***/

static const VaRgb two_colors[2] = { { 0, 0, 0 }, { 1, 1, 1 } };

static gboolean
write_test_png (const char *path,
                guint32     side,
                GError    **error)
{
  g_autofree guint8 *indices = g_malloc (side * side);

  /* Noise, so the file cannot shrink below the size limit test's limit. */
  for (guint32 i = 0; i < side * side; i++)
    indices[i] = (g_test_rand_int () >> 7) & 1;
  return va_png_write_indexed (path, side, side, indices, two_colors, 2, 1, error);
}

static void
test_png_readonly_dir (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root can write to read-only directories");
      remove_dir (dir);
      return;
    }
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  g_assert_false (write_test_png (path, 64, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpuint (count_entries (dir), ==, 0);
  remove_dir (dir);
}

static void
test_png_missing_dir (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (write_test_png ("/nonexistent-vmatlas/out.png", 64, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent-vmatlas/out.png"));
}

/* A write that fails half way (file size limit: EFBIG) leaves the old file
 * byte for byte and no temporary file.  Works as root too. */
static void
test_png_failed_write_keeps_old (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit old_limit, limit;
  gsize before_len, after_len;
  void (*old_handler) (int);

  g_assert_true (write_test_png (path, 64, &error));
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  limit = old_limit;
  limit.rlim_cur = 4096;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_assert_false (write_test_png (path, 512, &error));
  setrlimit (RLIMIT_FSIZE, &old_limit);
  signal (SIGXFSZ, old_handler);

  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);   /* EFBIG has no GFileError */
  g_assert_nonnull (strstr (error->message, g_strerror (EFBIG)));
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpuint (count_entries (dir), ==, 1);
  remove_dir (dir);
}

/* Overwriting renames a new file into place: a hard link to the old file
 * still holds the old bytes, so readers never see a half-written image. */
static void
test_png_overwrite_is_rename (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  g_autofree char *old_path = g_build_filename (dir, "old.png", NULL);
  g_autofree char *before = NULL, *old = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_len, old_len;
  GStatBuf st_old, st_new;

  g_assert_true (write_test_png (path, 64, &error));
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  g_assert_cmpint (link (path, old_path), ==, 0);
  g_assert_cmpint (g_stat (path, &st_old), ==, 0);

  g_assert_true (write_test_png (path, 128, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st_new), ==, 0);
  g_assert_cmpuint (st_old.st_ino, !=, st_new.st_ino);
  g_assert_true (g_file_get_contents (old_path, &old, &old_len, NULL));
  g_assert_cmpmem (before, before_len, old, old_len);
  g_assert_cmpuint (count_entries (dir), ==, 2);
  remove_dir (dir);
}

/*** The raster ***/

static void
assert_same_pixels (cairo_surface_t *a,
                    cairo_surface_t *b)
{
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  g_assert_cmpint (cairo_image_surface_get_width (a), ==, cairo_image_surface_get_width (b));
  g_assert_cmpmem (cairo_image_surface_get_data (a),
                   cairo_image_surface_get_stride (a) * cairo_image_surface_get_height (a),
                   cairo_image_surface_get_data (b),
                   cairo_image_surface_get_stride (b) * cairo_image_surface_get_height (b));
}

static void
test_raster_incremental (void)
{
  g_autoptr(VaMachine) m = va_test_run ("machine ram=256M profile=linux-2.6.9\n");
  g_autoptr(VaPalette) pal = va_palette_default (FALSE);
  g_autoptr(VaPhysRaster) raster = va_phys_raster_new ();
  g_autoptr(VaPhysRaster) fresh = va_phys_raster_new ();
  g_autofree guint8 *before = g_malloc (m->nr_pfns);
  g_autoptr(VaOp) op = va_op_new (VA_OP_VMALLOC);
  g_autoptr(GError) error = NULL;
  VaOpResult result = { 0 };
  cairo_surface_t *reduced;
  guint32 changed = 0;
  const guint32 columns = 256;

  g_assert_cmpuint (va_phys_raster_update (raster, m, pal, columns), ==, m->nr_pfns);
  reduced = va_phys_raster_get_reduced (raster, 0.25);
  g_assert_cmpint (cairo_image_surface_get_width (reduced), ==, columns / 4);
  g_assert_cmpuint (va_phys_raster_update (raster, m, pal, columns), ==, 0);
  g_assert_true (va_phys_raster_get_reduced (raster, 0.25) == reduced);   /* still cached */
  memcpy (before, va_phys_raster_get_classes (raster), m->nr_pfns);
  /* scratch touched on a thread meanwhile: the update waits, then counts
   * and paints exactly the frames that changed */
  va_phys_raster_warm_up (raster);
  va_phys_raster_warm_up (raster);

  op->name = g_strdup ("v");
  op->size = 40 * VA_PAGE_SIZE;
  g_assert_true (va_machine_apply (m, op, &result, &error));
  g_assert_false (result.failed);
  va_op_result_clear (&result);

  {
    g_autofree guint8 *after = g_malloc (m->nr_pfns);

    va_frame_classes_fill (m, after);
    for (guint32 i = 0; i < m->nr_pfns; i++)
      changed += before[i] != after[i];
  }
  g_assert_cmpuint (changed, >=, 40);
  va_phys_raster_invalidate (raster);
  g_assert_false (va_phys_raster_is_valid (raster));
  g_assert_cmpuint (va_phys_raster_update (raster, m, pal, columns), ==, changed);
  g_assert_true (va_phys_raster_is_valid (raster));

  /* The incrementally updated image equals one painted from scratch. */
  g_assert_cmpuint (va_phys_raster_update (fresh, m, pal, columns), ==, m->nr_pfns);
  assert_same_pixels (va_phys_raster_get_surface (raster), va_phys_raster_get_surface (fresh));

  /* Another palette or width repaints everything. */
  {
    g_autoptr(VaPalette) dark = va_palette_default (TRUE);

    g_assert_cmpuint (va_phys_raster_update (raster, m, dark, columns), ==, m->nr_pfns);
    g_assert_cmpuint (va_phys_raster_update (raster, m, dark, columns * 2), ==, m->nr_pfns);
  }
}

/* The box filter: each reduced pixel is the area-weighted mean of the
 * source pixels it covers; a flat area stays exactly flat; the edge pixel
 * of a size that does not divide averages only the pixels there are. */
static void
test_box_filter_means (void)
{
  /* 5 x 2 source, scale 0.5: reduced 3 x 1 */
  guint32 src[10] = { 0x000000, 0x0000ff, 0x00ff00, 0x00ff00, 0xff0000,
                      0x000000, 0x0000ff, 0x00ff00, 0x00ff00, 0xff0000 };
  guint32 dst[3] = { 0 };
  g_autoptr(VaBoxFilter) f = va_box_filter_new (5, 2, 0.5);

  g_assert_cmpuint (va_box_filter_get_width (f), ==, 3);
  g_assert_cmpuint (va_box_filter_get_height (f), ==, 1);
  va_box_filter_rows (f, (const guint8 *) src, 5 * 4, (guint8 *) dst, 3 * 4, 0, 1);
  g_assert_cmphex (dst[0], ==, 0x000080);   /* mean of 0 and 255 in blue, rounded */
  g_assert_cmphex (dst[1], ==, 0x00ff00);   /* flat green */
  g_assert_cmphex (dst[2], ==, 0xff0000);   /* the edge: one source column */

  /* a third: reduced pixel 0 covers source [0, 3) */
  {
    guint32 row[3] = { 0x0000ff, 0x0000ff, 0x000000 }, out = 0;
    g_autoptr(VaBoxFilter) t = va_box_filter_new (3, 1, 1.0 / 3);

    va_box_filter_rows (t, (const guint8 *) row, 12, (guint8 *) &out, 4, 0, 1);
    g_assert_cmphex (out, ==, 0x0000aa);
  }
}

/* After an op only the reduced rows around its frames are filtered again;
 * they come out exactly as in a reduced image made whole, also at scales
 * whose step is not exact in pixman's fixed point (0.3). */
static void
test_raster_reduced_incremental (void)
{
  const double cells[] = { 0.25, 0.3, 0.07 };

  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    {
      g_autoptr(VaMachine) m = va_test_run ("machine ram=1G profile=linux-2.6.9\n");
      g_autoptr(VaPalette) pal = va_palette_default (FALSE);
      g_autoptr(VaPhysRaster) raster = va_phys_raster_new ();

      va_phys_raster_update (raster, m, pal, 512);
      va_phys_raster_get_reduced (raster, cells[c]);
      for (guint k = 0; k < 6; k++)
        {
          g_autoptr(VaOp) op = va_op_new (VA_OP_VMALLOC);
          g_autoptr(VaPhysRaster) fresh = va_phys_raster_new ();
          g_autoptr(GError) error = NULL;
          VaOpResult result = { 0 };

          op->name = g_strdup_printf ("v%u", k);
          op->size = (1 + k * 9) * VA_PAGE_SIZE;
          g_assert_true (va_machine_apply (m, op, &result, &error));
          va_op_result_clear (&result);
          g_assert_cmpuint (va_phys_raster_update (raster, m, pal, 512), >, 0);
          va_phys_raster_update (fresh, m, pal, 512);
          assert_same_pixels (va_phys_raster_get_reduced (raster, cells[c]),
                              va_phys_raster_get_reduced (fresh, cells[c]));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/palette/file-matches-builtin", test_palette_file_matches_builtin);
  g_test_add_func ("/render/palette/errors", test_palette_errors);
  g_test_add_func ("/render/palette/greyscale-bands", test_palette_greyscale_bands);
  g_test_add_func ("/render/classes/known-frames", test_classes_known_frames);
  g_test_add_func ("/render/classes/cma", test_classes_cma);
  g_test_add_func ("/render/view/mark-flight", test_view_mark_flight);
  g_test_add_func ("/render/export/png-pixels", test_export_png_pixels);
  g_test_add_func ("/render/view/pixels", test_view_pixels);
  g_test_add_func ("/render/view/layout-and-hit", test_view_layout_and_hit);
  g_test_add_func ("/render/view/zoom", test_view_zoom);
  g_test_add_func ("/render/png/readonly-dir", test_png_readonly_dir);
  g_test_add_func ("/render/png/missing-dir", test_png_missing_dir);
  g_test_add_func ("/render/png/failed-write-keeps-old", test_png_failed_write_keeps_old);
  g_test_add_func ("/render/png/overwrite-is-rename", test_png_overwrite_is_rename);
  g_test_add_func ("/render/raster/incremental", test_raster_incremental);
  g_test_add_func ("/render/raster/reduced-incremental", test_raster_reduced_incremental);
  g_test_add_func ("/render/raster/box-filter-means", test_box_filter_means);
  return g_test_run ();
}
