/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench-export: the physical map of a fragmented 4 GiB machine written as a
 * 1024 x 1024 PNG by the indexed fast path (va_phys_export_png: classes
 * straight into palette indices, zlib level 1) against
 * cairo_surface_write_to_png() of the same image already drawn into a
 * cairo surface, round-robin over 5 rounds in one process; prints the
 * median ratio (target <= 0.5).  Then the 64 GiB PAE map at 4096 x 4096
 * (target <= 1 s). */
#include "va-phys-raster.h"
#include "va-png-writer.h"
#include "va-runner.h"
#include "va-test-util.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#define ROUNDS 5




static double
time_fast_path (VaMachine       *m,
                const char      *path,
                guint32          side,
                const VaPalette *palette)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!va_phys_export_png (m, path, side, side, palette, &error))
    g_error ("%s", error->message);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
time_cairo_png (cairo_surface_t *surface,
                const char      *path)
{
  gint64 start = g_get_monotonic_time ();

  if (cairo_surface_write_to_png (surface, path) != CAIRO_STATUS_SUCCESS)
    g_error ("cairo_surface_write_to_png failed");
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmatlas-bench-XXXXXX", &error);
  g_autofree char *fast = g_build_filename (dir, "fast.png", NULL);
  g_autofree char *slow = g_build_filename (dir, "cairo.png", NULL);
  g_autoptr(VaPalette) palette = va_palette_default (FALSE);
  g_autoptr(VaPhysRaster) raster = va_phys_raster_new ();
  double fast_ms[ROUNDS], cairo_ms[ROUNDS], ratio[ROUNDS], big_ms[ROUNDS];
  VaMachine *m;
  gint64 start;

  if (dir == NULL)
    g_error ("%s", error->message);

  m = va_test_run ("machine ram=4G profile=linux-2.6.9\n"
                    "workload fragment seed=7 ops=20000\n"
                    "vmalloc v 16M\n");
  /* The baseline's surface: the same map, one frame per pixel. */
  va_phys_raster_update (raster, m, palette, 1024);
  for (guint r = 0; r < ROUNDS; r++)
    {
      fast_ms[r] = time_fast_path (m, fast, 1024, palette);
      cairo_ms[r] = time_cairo_png (va_phys_raster_get_surface (raster), slow);
      ratio[r] = fast_ms[r] / cairo_ms[r];
    }
  printf ("4 GiB physical map, 1024x1024 PNG (%u frames):\n", m->nr_pfns);
  printf ("  va_phys_export_png          %8.2f ms  (%" G_GINT64_FORMAT " bytes)\n",
          va_test_median (fast_ms, ROUNDS), file_size (fast));
  printf ("  cairo_surface_write_to_png  %8.2f ms  (%" G_GINT64_FORMAT " bytes)\n",
          va_test_median (cairo_ms, ROUNDS), file_size (slow));
  printf ("  median ratio fast/cairo     %8.3f  (target <= 0.5)\n", va_test_median (ratio, ROUNDS));
  va_machine_free (m);

  start = g_get_monotonic_time ();
  m = va_test_run ("machine ram=64G profile=linux-6.1 pae=on\n"
                    "workload fragment seed=7 ops=20000\n");
  printf ("64 GiB PAE machine (%u frames) booted in %.0f ms\n", m->nr_pfns,
          (g_get_monotonic_time () - start) / 1000.0);
  for (guint r = 0; r < ROUNDS; r++)
    big_ms[r] = time_fast_path (m, fast, 4096, palette);
  printf ("  va_phys_export_png 4096x4096 %7.2f ms median  (target <= 1000; %" G_GINT64_FORMAT
          " bytes)\n", va_test_median (big_ms, ROUNDS), file_size (fast));
  va_machine_free (m);

  g_unlink (fast);
  g_unlink (slow);
  g_rmdir (dir);
  return 0;
}
