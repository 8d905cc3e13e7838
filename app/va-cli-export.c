/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmatlas export FILE.vms -o OUT.png|.svg|.pdf: the maps as an image. */
#define G_LOG_DOMAIN "vmatlas"

#include "va-cli.h"
#include "va-cli-args.h"

#include "va-export.h"
#include "va-runner.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT_OPTIONS "-o/--output, --view, --size, --scale, --until, --select, --zoom, --zoom-phys, --theme, --pageblocks"

typedef struct {
  const char    *output;
  VaExportView   view;
  gboolean       pageblocks;     /* physical map: pageblock borders and migrate types */
  VaExportFormat format;
  double         width, height;   /* 0: the view's natural size */
  double         scale;
  const char    *select;
  const char    *zoom;
  const char    *zoom_phys;      /* physical map: START:COUNT in pfns */
  gboolean       dark;
} ExportArgs;

static gboolean
parse_size (const char *value,
            ExportArgs *ea,
            GError    **error)
{
  char *end = NULL;
  guint64 w, h;

  errno = 0;
  w = g_ascii_strtoull (value, &end, 10);
  if (g_ascii_isdigit (value[0]) && (*end == 'x' || *end == 'X') && g_ascii_isdigit (end[1]))
    {
      const char *hs = end + 1;

      h = g_ascii_strtoull (hs, &end, 10);
      if (*end == '\0' && errno == 0 && w >= 100 && h >= 100 && w <= 20000 && h <= 20000)
        {
          ea->width = w;
          ea->height = h;
          return TRUE;
        }
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--size %s: expected WIDTHxHEIGHT, each 100 to 20000 (e.g. 1600x1200)", value);
  return FALSE;
}

static gboolean
parse_scale (const char *value,
             ExportArgs *ea,
             GError    **error)
{
  char *end = NULL;
  double s = g_ascii_strtod (value, &end);

  if (end == value || *end || !(s >= 0.25 && s <= 8))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--scale %s: expected a number from 0.25 to 8 (pixels per unit of a PNG)", value);
      return FALSE;
    }
  ea->scale = s;
  return TRUE;
}

/* Takes the export options out of @argv; the rest goes through the
 * shared parser (files and machine options). */
static gboolean
parse_export_args (int         argc,
                   char      **argv,
                   VaCliArgs  *args,
                   ExportArgs *ea,
                   GError    **error)
{
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();

  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];
      g_autofree char *name = NULL;
      const char *value = NULL;

      if (g_str_equal (arg, "-o"))
        name = g_strdup ("output");
      else if (g_str_has_prefix (arg, "--"))
        name = g_strndup (arg + 2, strcspn (arg + 2, "="));
      else if (arg[0] == '-' && arg[1])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                       "unknown option %s; allowed: " EXPORT_OPTIONS " and machine options", arg);
          return FALSE;
        }
      else
        {
          g_ptr_array_add (rest, (char *) arg);
          continue;
        }
      if (va_cli_is_machine_option (name))
        {
          g_ptr_array_add (rest, (char *) arg);
          if (!strchr (arg, '=') && i + 1 < argc)
            g_ptr_array_add (rest, argv[++i]);
          continue;
        }
      if (g_str_equal (name, "pageblocks"))
        {
          ea->pageblocks = TRUE;
          continue;
        }
      if (!g_str_equal (name, "output") && !g_str_equal (name, "view") &&
          !g_str_equal (name, "size") && !g_str_equal (name, "scale") &&
          !g_str_equal (name, "until") && !g_str_equal (name, "select") &&
          !g_str_equal (name, "zoom") && !g_str_equal (name, "zoom-phys") &&
          !g_str_equal (name, "theme"))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                       "unknown option %s; allowed: " EXPORT_OPTIONS ", --ram, --profile, --pae, "
                       "--split, --vmalloc, --mem, --cma, --seed, --cpus, --pcp", arg);
          return FALSE;
        }
      if (g_str_equal (arg, "-o"))
        {
          if (i + 1 >= argc)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "-o needs a file name");
              return FALSE;
            }
          value = argv[++i];
        }
      else if (!va_cli_take_value (argc, argv, &i, name, &value, error))
        return FALSE;
      if (g_str_equal (name, "output"))
        {
          if (!*value || !va_export_format_from_path (value, &ea->format, error))
            {
              if (!*value)
                g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "-o needs a file name");
              return FALSE;
            }
          ea->output = value;
        }
      else if (g_str_equal (name, "view"))
        {
          if (!va_export_view_from_name (value, &ea->view))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--view %s: unknown view; allowed: %s", value, va_export_view_names ());
              return FALSE;
            }
        }
      else if (g_str_equal (name, "size"))
        {
          if (!parse_size (value, ea, error))
            return FALSE;
        }
      else if (g_str_equal (name, "scale"))
        {
          if (!parse_scale (value, ea, error))
            return FALSE;
        }
      else if (g_str_equal (name, "until"))
        {
          if (!va_cli_parse_until (args, value, error))
            return FALSE;
        }
      else if (g_str_equal (name, "select"))
        ea->select = value;
      else if (g_str_equal (name, "zoom"))
        ea->zoom = value;
      else if (g_str_equal (name, "zoom-phys"))
        ea->zoom_phys = value;
      else if (g_str_equal (name, "theme") && (g_str_equal (value, "light") || g_str_equal (value, "dark")))
        ea->dark = g_str_equal (value, "dark");
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--theme %s: allowed values are light, dark", value);
          return FALSE;
        }
    }
  return va_cli_parse_args (rest->len, (char **) rest->pdata, FALSE, args, error);
}

/* --zoom vmalloc | kernel | START:END (hex or decimal, END exclusive). */
static gboolean
parse_zoom (VaMachine       *m,
            const char      *value,
            VaRenderOptions *options,
            GError         **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 lo, hi;

  if (g_str_equal (value, "vmalloc"))
    {
      options->zoom_start = m->layout.vmalloc_start;
      options->zoom_end = m->layout.vmalloc_end;
      return TRUE;
    }
  if (g_str_equal (value, "kernel"))
    {
      options->zoom_start = m->layout.page_offset;
      options->zoom_end = G_GUINT64_CONSTANT (1) << 32;
      return TRUE;
    }
  parts = g_strsplit (value, ":", 2);
  if (g_strv_length (parts) == 2 && va_parse_uint (parts[0], &lo) && va_parse_uint (parts[1], &hi) &&
      lo < hi && hi <= G_GUINT64_CONSTANT (1) << 32 && hi - lo >= VA_PAGE_SIZE)
    {
      options->zoom_start = lo;
      options->zoom_end = hi;
      return TRUE;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--zoom %s: expected vmalloc, kernel or START:END (addresses, END exclusive, "
               "at least one page apart, e.g. 0xf8800000:0xf8a00000)", value);
  return FALSE;
}

/* --zoom-phys START:COUNT (pfns, hex or decimal).  Checked against the
 * machine after the run, so the error can say how many frames there are;
 * a range running past the end is clamped by the view, not refused. */
static gboolean
parse_zoom_phys (VaMachine       *m,
                 const char      *value,
                 VaRenderOptions *options,
                 GError         **error)
{
  g_auto(GStrv) parts = g_strsplit (value, ":", 2);
  guint64 first, count;

  if (g_strv_length (parts) != 2 || !va_parse_uint (parts[0], &first) ||
      !va_parse_uint (parts[1], &count) || count == 0 || count > G_MAXUINT32)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--zoom-phys %s: expected START:COUNT (page frame numbers, decimal or 0x hex, "
                   "COUNT at least 1, e.g. 0x38000:4096)", value);
      return FALSE;
    }
  if (first >= m->nr_pfns)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--zoom-phys %s: START is past the last frame (the machine has %u frames, "
                   "pfn 0 to 0x%x)", value, m->nr_pfns, m->nr_pfns - 1);
      return FALSE;
    }
  options->phys_first = (guint32) first;
  options->phys_count = (guint32) count;
  return TRUE;
}

static char *
allocation_names (VaMachine *m)
{
  GString *s = g_string_new (NULL);

  for (guint i = 1; i < m->allocs->len; i++)
    {
      const VaAllocation *a = m->allocs->pdata[i];

      if (a->name && a->state == VA_ALLOC_LIVE)
        g_string_append_printf (s, "%s%s", s->len ? ", " : "", a->name);
    }
  return g_string_free (s, FALSE);
}

int
va_cli_export (int    argc,
               char **argv)
{
  VaCliArgs args;
  ExportArgs ea = { .view = VA_VIEW_ALL, .scale = 1.0 };
  VaMachineConfig config;
  VaRunReport report;
  VaRenderOptions options;
  GError *error = NULL;
  g_autoptr(VaScenario) scenario = NULL;
  g_autoptr(VaMachine) machine = NULL;
  g_autoptr(VaPalette) palette = NULL;
  g_autofree char *source = NULL;
  double width, height;
  int status;

  va_cli_args_init (&args);
  va_run_report_init (&report);
  if (!parse_export_args (argc, argv, &args, &ea, &error))
    goto bad;
  if (args.files->len != 1)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "export needs exactly one scenario file (vmatlas export FILE.vms -o OUT.png)");
      goto bad;
    }
  if (ea.output == NULL)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "export needs -o OUT.png, OUT.svg or OUT.pdf");
      goto bad;
    }
  scenario = va_cli_load_scenario (args.files->pdata[0], &args, &config, &error);
  if (scenario == NULL ||
      !(machine = va_runner_run (scenario, &config, args.until, FALSE, &report, &error)))
    goto bad;

  palette = va_palette_default (ea.dark);
  va_render_options_init (&options, palette);
  options.title = va_scenario_get_title (scenario);
  options.op = machine->op_count;
  if (ea.select)
    {
      const VaAllocation *a = va_machine_lookup (machine, ea.select);

      if (a == NULL || a->state != VA_ALLOC_LIVE)
        {
          g_autofree char *names = allocation_names (machine);

          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--select %s: no live allocation named “%s” after op %u; live: %s",
                       ea.select, ea.select, machine->op_count, *names ? names : "none");
          goto bad;
        }
      options.select = ea.select;
    }
  if (ea.zoom && !parse_zoom (machine, ea.zoom, &options, &error))
    goto bad;
  if (ea.zoom_phys && !parse_zoom_phys (machine, ea.zoom_phys, &options, &error))
    goto bad;
  options.show_pageblocks = ea.pageblocks;

  va_export_natural_size (machine, &options, ea.view, &width, &height);
  if (ea.width > 0)
    {
      width = ea.width;
      height = ea.height;
    }
  source = g_path_get_basename (args.files->pdata[0]);
  if (!va_export_write (machine, &options, ea.view, ea.format, ea.output, width, height,
                        ea.format == VA_EXPORT_PNG ? ea.scale : 1.0, source, &error))
    goto bad;

  status = va_cli_report_failures (&report);
  va_run_report_clear (&report);
  va_cli_args_clear (&args);
  return status;

bad:
  va_run_report_clear (&report);
  va_cli_args_clear (&args);
  return va_cli_bad_input (error);
}
