/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `vmatlas export` through the real binary ($VMATLAS): PNG pixels where the
 * layout says regions are, SVG well-formed at the right size, PDF with one
 * page of the right MediaBox, bad input leaving no file, golden images.
 *
 * SVG text: cairo 1.16 writes glyph outlines (<symbol id="glyph…">); the
 * export adds every label once more as transparent <text> in a
 * "vmatlas-labels" group (searchable, selectable, read by screen readers),
 * and the test reads the labels from there. */
#include "va-export.h"
#include "va-test-render.h"
#include "va-test-util.h"
#include "va-virt-view.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmpdir;

static const char *
vmatlas (void)
{
  const char *v = g_getenv ("VMATLAS");

  if (v == NULL)
    g_error ("set VMATLAS to the vmatlas binary");
  return v;
}

static char *
scenario_path (const char *name)
{
  const char *src = g_getenv ("VMATLAS_SRCDIR");

  return g_build_filename (src ? src : "..", "data", "scenarios", name, NULL);
}

/* Runs vmatlas with @args (NULL-terminated); returns the exit status. */
static int
run (char **out,
     char **err,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;
  const char *a;
  int status;

  g_ptr_array_add (argv, (char *) vmatlas ());
  va_start (ap, err);
  while ((a = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static VaMachine *
run_scenario (const char *name,
              guint       until,
              VaScenario **scenario_out)
{
  g_autofree char *path = scenario_path (name);
  g_autoptr(GError) error = NULL;
  VaScenario *s = va_scenario_load (path, &error);

  g_assert_no_error (error);
  *scenario_out = s;
  return va_test_run_scenario (s, until);
}

static void
test_png (void)
{
  g_autofree char *scn = scenario_path ("vmalloc-guard-pages.vms");
  g_autofree char *out = g_build_filename (tmpdir, "guard.png", NULL);
  g_autofree char *so = NULL, *se = NULL;
  g_autoptr(VaScenario) scenario = NULL;
  g_autoptr(VaMachine) m = run_scenario ("vmalloc-guard-pages.vms", 3, &scenario);
  g_autoptr(VaPalette) palette = va_palette_default (FALSE);
  g_autoptr(GArray) segs = NULL;
  VaRenderOptions o;
  VaExportPage page;
  VaRect bar;
  cairo_surface_t *png;
  const VaAllocation *c = va_machine_lookup (m, "c");

  g_assert_cmpint (run (&so, &se, "export", scn, "-o", out, "--until", "3", "--select", "c",
                        "--size", "1200x1000", "--scale", "2", NULL), ==, 0);
  g_assert_cmpstr (so, ==, "");
  png = cairo_image_surface_create_from_png (out);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 2400);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 2000);

  /* where the layout puts c's guard page and its first page */
  va_render_options_init (&o, palette);
  o.title = va_scenario_get_title (scenario);
  o.op = m->op_count;
  o.select = "c";
  va_export_page_layout (m, &o, VA_VIEW_ALL, 1200, 1000, &page);
  segs = va_virt_view_layout (m, &page.virt, &o);
  va_virt_view_bar (m, &page.virt, &o, &bar);
  for (guint i = 0; i < segs->len; i++)
    {
      const VaVirtSegment *s = &g_array_index (segs, VaVirtSegment, i);
      int y = (int) ((s->y_top + s->y_bottom) / 2 * 2);
      int x = (int) ((bar.x + 3) * 2);

      if (s->region == VA_REGION_VMALLOC_GUARD && s->owner == c)
        g_assert_cmphex (va_test_pixel (png, x, y), ==,
                         va_test_rgb24 (palette, VA_COLOR_REGION_GUARD));
      else if (s->region == VA_REGION_VMALLOC_AREA && s->owner != c)
        g_assert_cmphex (va_test_pixel (png, x, y), ==,
                         va_test_rgb24 (palette, VA_COLOR_ALLOC_VMALLOC));
      else if (s->region == VA_REGION_VMALLOC_GAP)
        g_assert_cmphex (va_test_pixel (png, x, y), ==,
                         va_test_rgb24 (palette, VA_COLOR_REGION_GAP));
    }
  /* the page background */
  g_assert_cmphex (va_test_pixel (png, 2, 2), ==, va_test_rgb24 (palette, VA_COLOR_BACKGROUND));
  cairo_surface_destroy (png);
}

typedef struct {
  guint    elements;
  guint    paths;
  guint    glyphs;
  char    *width, *height;
  gboolean in_text;
  GString *labels;    /* the <text> contents, one per line */
} SvgStats;

static void
svg_end (GMarkupParseContext *context,
         const char          *name,
         gpointer             data,
         GError             **error)
{
  SvgStats *st = data;

  if (g_str_equal (name, "text"))
    {
      st->in_text = FALSE;
      g_string_append_c (st->labels, '\n');
    }
}

static void
svg_text (GMarkupParseContext *context,
          const char          *text,
          gsize                len,
          gpointer             data,
          GError             **error)
{
  SvgStats *st = data;

  if (st->in_text)
    g_string_append_len (st->labels, text, len);
}

static void
svg_start (GMarkupParseContext *context,
           const char          *name,
           const char         **names,
           const char         **values,
           gpointer             data,
           GError             **error)
{
  SvgStats *st = data;

  if (st->elements++ == 0)
    {
      g_assert_cmpstr (name, ==, "svg");
      for (guint i = 0; names[i]; i++)
        {
          if (g_str_equal (names[i], "width"))
            st->width = g_strdup (values[i]);
          else if (g_str_equal (names[i], "height"))
            st->height = g_strdup (values[i]);
        }
    }
  if (g_str_equal (name, "path"))
    st->paths++;
  if (g_str_equal (name, "text"))
    st->in_text = TRUE;
  for (guint i = 0; names[i]; i++)
    if (g_str_equal (name, "symbol") && g_str_equal (names[i], "id") &&
        g_str_has_prefix (values[i], "glyph"))
      st->glyphs++;
}

static void
test_svg (void)
{
  g_autofree char *scn = scenario_path ("tour.vms");
  g_autofree char *out = g_build_filename (tmpdir, "tour.svg", NULL);
  g_autofree char *so = NULL, *se = NULL, *text = NULL;
  GMarkupParser parser = { svg_start, svg_end, svg_text, NULL, NULL };
  SvgStats st = { 0 };
  g_autoptr(GMarkupParseContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_assert_cmpint (run (&so, &se, "export", scn, "-o", out, "--view", "virtual",
                        "--size", "700x900", NULL), ==, 0);
  g_assert_true (g_file_get_contents (out, &text, &len, &error));
  g_assert_no_error (error);
  st.labels = g_string_new (NULL);
  ctx = g_markup_parse_context_new (&parser, G_MARKUP_IGNORE_QUALIFIED, &st, NULL);
  /* skip the <?xml …?> declaration: GMarkup takes it as a passthrough */
  g_assert_true (g_markup_parse_context_parse (ctx, text, len, &error));
  g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (st.width, ==, "700pt");
  g_assert_cmpstr (st.height, ==, "900pt");
  g_assert_cmpuint (st.glyphs, >, 20);     /* the labels, as glyph outlines */
  g_assert_cmpuint (st.paths, >, 30);      /* regions, borders, legend swatches */
  /* the labels of the virtual map, as text */
  g_assert_nonnull (strstr (st.labels->str, "VMALLOC_START 0xF8800000"));
  g_assert_nonnull (strstr (st.labels->str, "PAGE_OFFSET 0xC0000000"));
  g_assert_nonnull (strstr (st.labels->str, "guard page"));
  g_assert_nonnull (strstr (st.labels->str, "VMALLOC_OFFSET gap"));
  g_assert_nonnull (strstr (st.labels->str, "user space"));
  g_string_free (st.labels, TRUE);
  g_free (st.width);
  g_free (st.height);
}

static void
test_pdf (void)
{
  g_autofree char *scn = scenario_path ("tour.vms");
  g_autofree char *out = g_build_filename (tmpdir, "tour.pdf", NULL);
  g_autofree char *so = NULL, *se = NULL, *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) page_re = g_regex_new ("/Type\\s*/Page(?!s)", G_REGEX_RAW, 0, NULL);
  g_autoptr(GRegex) box_re = g_regex_new ("/MediaBox\\s*\\[\\s*0\\s+0\\s+1300\\s+1500\\s*\\]", G_REGEX_RAW, 0, NULL);
  g_autoptr(GMatchInfo) mi = NULL;
  gsize len;
  guint pages = 0;

  g_assert_cmpint (run (&so, &se, "export", scn, "-o", out, "--until", "11", "--select", "buf",
                        "--size", "1300x1500", NULL), ==, 0);
  g_assert_true (g_file_get_contents (out, &text, &len, &error));
  g_assert_true (g_str_has_prefix (text, "%PDF-"));
  /* object dictionaries are not compressed by cairo 1.16, only content streams */
  for (g_regex_match_full (page_re, text, len, 0, 0, &mi, NULL); g_match_info_matches (mi);
       g_match_info_next (mi, NULL))
    pages++;
  g_assert_cmpuint (pages, ==, 1);
  g_assert_true (g_regex_match_full (box_re, text, len, 0, 0, NULL, NULL));
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static void
expect_bad (const char *want,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *so = NULL, *se = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;
  const char *a;
  int status;
  guint before = count_entries (tmpdir);

  g_ptr_array_add (argv, (char *) vmatlas ());
  g_ptr_array_add (argv, (char *) "export");
  va_start (ap, want);
  while ((a = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &so, &se, &status, &error));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_cmpstr (so, ==, "");
  if (!strstr (se, want))
    g_error ("stderr “%s” lacks “%s”", se, want);
  /* nothing left behind: no output, no temporary file */
  g_assert_cmpuint (count_entries (tmpdir), ==, before);
}

static void
test_bad_input (void)
{
  g_autofree char *scn = scenario_path ("tour.vms");
  g_autofree char *png = g_build_filename (tmpdir, "bad.png", NULL);
  g_autofree char *gif = g_build_filename (tmpdir, "bad.gif", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-dir", "x.png", NULL);
  g_autofree char *isdir = g_build_filename (tmpdir, "dir.png", NULL);

  expect_bad ("--view bogus: unknown view; allowed: all, virtual", scn, "-o", png, "--view", "bogus", NULL);
  expect_bad ("--size 0x0: expected WIDTHxHEIGHT", scn, "-o", png, "--size", "0x0", NULL);
  expect_bad ("--size 12: expected WIDTHxHEIGHT", scn, "-o", png, "--size", "12", NULL);
  expect_bad ("--scale 0: expected a number", scn, "-o", png, "--scale", "0", NULL);
  expect_bad ("unknown image format", scn, "-o", gif, NULL);
  expect_bad ("unknown option --colour", scn, "-o", png, "--colour", "red", NULL);
  expect_bad ("export needs -o", scn, NULL);
  expect_bad ("--until x: expected an op number", scn, "-o", png, "--until", "x", NULL);
  expect_bad ("--select ghost: no live allocation named", scn, "-o", png, "--select", "ghost", NULL);
  expect_bad ("--zoom 5:3: expected vmalloc", scn, "-o", png, "--zoom", "5:3", NULL);
  expect_bad ("--ram: ", scn, "-o", png, "--ram", "lots", NULL);
  expect_bad ("cannot write", scn, "-o", missing, NULL);
  /* the target is a directory: the rename fails, the temporary file goes */
  g_assert_cmpint (g_mkdir (isdir, 0755), ==, 0);
  expect_bad ("cannot write", scn, "-o", isdir, NULL);
  g_rmdir (isdir);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

/* Golden images: same size, and per pixel a small tolerance for
 * antialiasing; UPDATE_GOLDEN=1 rewrites them. */
static void
compare_golden (const char *name,
                const char *produced)
{
  g_autofree char *golden = g_test_build_filename (G_TEST_DIST, "golden", "images", name, NULL);
  cairo_surface_t *a, *b;
  int w, h;
  guint differ = 0;

  if (g_strcmp0 (g_getenv ("UPDATE_GOLDEN"), "1") == 0)
    {
      g_autofree char *data = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (produced, &data, &len, NULL));
      g_assert_true (g_file_set_contents (golden, data, len, NULL));
      g_test_message ("updated %s", golden);
      return;
    }
  a = cairo_image_surface_create_from_png (golden);
  b = cairo_image_surface_create_from_png (produced);
  g_assert_cmpint (cairo_surface_status (a), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (b), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (a);
  h = cairo_image_surface_get_height (a);
  g_assert_cmpint (cairo_image_surface_get_width (b), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = va_test_pixel (a, x, y), q = va_test_pixel (b, x, y);
        int d = 0;

        for (int sh = 0; sh < 24; sh += 8)
          d = MAX (d, ABS ((int) ((p >> sh) & 0xFF) - (int) ((q >> sh) & 0xFF)));
        differ += d > 40;
      }
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  /* at most 0.2 % of the pixels may differ by more than 40 of 255 */
  if (differ > (guint) (w * h / 500))
    g_error ("%s: %u of %d pixels differ from the golden image (%s); "
             "if the change is intended, rerun with UPDATE_GOLDEN=1", name, differ, w * h, produced);
}

static void
test_golden (gconstpointer data)
{
  const char *const *c = data;
  g_autofree char *scn = scenario_path (c[1]);
  g_autofree char *out = g_build_filename (tmpdir, c[0], NULL);
  g_autofree char *so = NULL, *se = NULL;

  g_assert_cmpint (run (&so, &se, "export", scn, "-o", out, "--until", c[2], "--select", c[3],
                        "--size", "1200x1100", NULL), ==, 0);
  compare_golden (c[0], out);
}

static const char *const golden_guard[] = { "vmalloc-guard-pages.png", "vmalloc-guard-pages.vms", "3", "c" };
static const char *const golden_tour[] = { "tour.png", "tour.vms", "11", "buf" };

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("vmatlas-export-XXXXXX", NULL);
  g_test_add_func ("/export/png", test_png);
  g_test_add_func ("/export/svg", test_svg);
  g_test_add_func ("/export/pdf", test_pdf);
  g_test_add_func ("/export/bad-input", test_bad_input);
  g_test_add_data_func ("/export/golden/vmalloc-guard-pages", golden_guard, test_golden);
  g_test_add_data_func ("/export/golden/tour", golden_tour, test_golden);
  status = g_test_run ();
  {
    g_autoptr(GDir) d = g_dir_open (tmpdir, 0, NULL);
    const char *n;

    while (d && (n = g_dir_read_name (d)))
      {
        g_autofree char *p = g_build_filename (tmpdir, n, NULL);
        g_unlink (p);
      }
    g_rmdir (tmpdir);
  }
  return status;
}
