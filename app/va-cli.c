/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The headless subcommands: layout, run, check (export: va-cli-export.c). */
#define G_LOG_DOMAIN "vmatlas"

#include "va-cli.h"
#include "va-cli-args.h"

#include "va-json.h"
#include "va-lookup.h"
#include "va-procfs.h"
#include "va-runner.h"
#include "va-session-file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const machine_options[] = {
  "ram", "profile", "pae", "split", "vmalloc", "mem", "cma", "seed", "cpus", "pcp", NULL,
};

static const char *const show_names[] = {
  "layout", "buddyinfo", "pagetypeinfo", "zoneinfo", "vmallocinfo", "meminfo", "freelists",
  "cma", "events", "log", "lookup=ADDR[,ADDR…]", NULL,
};


void
va_cli_args_init (VaCliArgs *args)
{
  args->files = g_ptr_array_new ();
  args->machine_keys = g_ptr_array_new_with_free_func (g_free);
  args->machine_values = g_ptr_array_new ();
  args->show = g_ptr_array_new_with_free_func (g_free);
  args->lookups = g_array_new (FALSE, FALSE, sizeof (guint32));
  args->json = FALSE;
  args->until = VA_RUN_ALL;
}

void
va_cli_args_clear (VaCliArgs *args)
{
  g_ptr_array_unref (args->files);
  g_ptr_array_unref (args->machine_keys);
  g_ptr_array_unref (args->machine_values);
  g_ptr_array_unref (args->show);
  g_array_unref (args->lookups);
}

static gboolean
in_list (const char *const *list,
         const char         *name)
{
  for (guint i = 0; list[i]; i++)
    if (g_str_equal (list[i], name))
      return TRUE;
  return FALSE;
}

static char *
join_list (const char *const *list)
{
  return g_strjoinv (", ", (char **) list);
}

gboolean
va_cli_is_machine_option (const char *name)
{
  return in_list (machine_options, name);
}

static gboolean shows (const VaCliArgs *args, const char *what);

static gboolean
parse_address (const char *text,
               guint32    *addr)
{
  guint64 v;

  if (!va_parse_uint (text, &v) || v > G_MAXUINT32)
    return FALSE;
  *addr = v;
  return TRUE;
}

/* "buddyinfo,lookup=0xf8801000,0xc0000000,log": the addresses after
 * lookup= run until the next word that is not a number. */
static gboolean
parse_show (VaCliArgs    *args,
            const char *value,
            GError    **error)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);
  gboolean in_lookup = FALSE;

  for (guint i = 0; items[i]; i++)
    {
      const char *item = items[i];
      guint32 addr;

      if (g_str_has_prefix (item, "lookup="))
        {
          in_lookup = TRUE;
          item += strlen ("lookup=");
          if (!shows (args, "lookup"))
            g_ptr_array_add (args->show, g_strdup ("lookup"));
        }
      else if (in_lookup && g_ascii_isdigit (item[0]))
        ;
      else
        in_lookup = FALSE;
      if (in_lookup)
        {
          if (!parse_address (item, &addr))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--show lookup=%s: “%s” is not a 32-bit address (use 0x… hex or decimal)",
                           item, item);
              return FALSE;
            }
          g_array_append_val (args->lookups, addr);
          continue;
        }
      if (!in_list (show_names, item) || g_str_has_prefix (item, "lookup"))
        {
          g_autofree char *allowed = join_list (show_names);
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--show %s: unknown view “%s”; allowed: %s",
                       value, item, allowed);
          return FALSE;
        }
      g_ptr_array_add (args->show, g_strdup (item));
    }
  return TRUE;
}

gboolean
va_cli_parse_until (VaCliArgs   *args,
                    const char  *value,
                    GError     **error)
{
  char *end = NULL;
  guint64 n;

  errno = 0;
  n = g_ascii_strtoull (value, &end, 10);
  if (!g_ascii_isdigit (value[0]) || *end || errno || n >= VA_RUN_ALL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--until %s: expected an op number (0 = the freshly booted machine)", value);
      return FALSE;
    }
  args->until = n;
  return TRUE;
}

gboolean
va_cli_take_value (int          argc,
                   char       **argv,
                   int         *i,
                   const char  *name,
                   const char **value,
                   GError     **error)
{
  const char *eq = strchr (argv[*i], '=');

  if (eq)
    {
      *value = eq + 1;
      return TRUE;
    }
  if (*i + 1 >= argc)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--%s needs a value", name);
      return FALSE;
    }
  *value = argv[++*i];
  return TRUE;
}

gboolean
va_cli_parse_args (int         argc,
                   char      **argv,
                   gboolean    allow_run_options,
                   VaCliArgs  *args,
                   GError    **error)
{
  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];
      g_autofree char *name = NULL;
      const char *value = NULL;

      if (!g_str_has_prefix (arg, "--"))
        {
          g_ptr_array_add (args->files, (char *) arg);
          continue;
        }
      name = g_strndup (arg + 2, strcspn (arg + 2, "="));
      if (allow_run_options && g_str_equal (name, "json"))
        {
          args->json = TRUE;
          continue;
        }
      if (!in_list (machine_options, name) &&
          !(allow_run_options && (g_str_equal (name, "show") || g_str_equal (name, "until"))))
        {
          g_autofree char *allowed = join_list (machine_options);
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                       "unknown option %s; allowed: %s--%s", arg,
                       allow_run_options ? "--show, --json, --until, " : "",
                       allowed);
          return FALSE;
        }
      if (!va_cli_take_value (argc, argv, &i, name, &value, error))
        return FALSE;
      if (g_str_equal (name, "show"))
        {
          if (!parse_show (args, value, error))
            return FALSE;
        }
      else if (g_str_equal (name, "until"))
        {
          if (!va_cli_parse_until (args, value, error))
            return FALSE;
        }
      else
        {
          g_ptr_array_add (args->machine_keys, g_strdup (name));
          g_ptr_array_add (args->machine_values, (char *) value);
        }
    }
  return TRUE;
}

/* Command-line machine options override the scenario's machine statement. */
static gboolean
apply_machine_options (const VaCliArgs   *args,
                       VaMachineConfig *config,
                       GError         **error)
{
  for (guint i = 0; i < args->machine_keys->len; i++)
    {
      const char *key = args->machine_keys->pdata[i];
      g_autoptr(GError) local = NULL;

      if (!va_machine_config_set (config, key, args->machine_values->pdata[i], &local))
        {
          g_set_error (error, VA_ERROR, VA_ERROR_INVALID, "--%s: %s", key, local->message);
          return FALSE;
        }
    }
  return va_machine_config_validate (config, error);
}

int
va_cli_bad_input (GError *error)
{
  g_printerr ("vmatlas: %s\n", error->message);
  g_error_free (error);
  return VA_EXIT_BAD_INPUT;
}

int
va_cli_layout (int    argc,
               char **argv)
{
  VaCliArgs args;
  VaMachineConfig config;
  VaLayout layout;
  GError *error = NULL;
  g_autofree char *text = NULL;

  va_cli_args_init (&args);
  va_machine_config_init (&config);
  if (!va_cli_parse_args (argc, argv, FALSE, &args, &error) ||
      !apply_machine_options (&args, &config, &error) ||
      !va_layout_compute (&layout, &config, &error))
    {
      va_cli_args_clear (&args);
      return va_cli_bad_input (error);
    }
  if (args.files->len)
    g_printerr ("vmatlas layout: ignoring “%s”; layout takes machine options only\n",
                (char *) args.files->pdata[0]);
  text = va_layout_format (&layout, &config);
  fputs (text, stdout);
  va_layout_clear (&layout);
  va_cli_args_clear (&args);
  return VA_EXIT_OK;
}

static char *
render_show (VaMachine     *m,
             const VaCliArgs *args,
             const char    *what)
{
  if (g_str_equal (what, "vmallocinfo"))
    return va_procfs_vmallocinfo (m);
  if (g_str_equal (what, "cma"))
    return va_procfs_cma (m);
  if (g_str_equal (what, "lookup"))
    return va_lookup_format (m, args->lookups);
  if (g_str_equal (what, "layout"))
    return va_layout_format (&m->layout, &m->config);
  if (g_str_equal (what, "buddyinfo"))
    return va_procfs_buddyinfo (m);
  if (g_str_equal (what, "pagetypeinfo"))
    return va_procfs_pagetypeinfo (m);
  if (g_str_equal (what, "zoneinfo"))
    return va_procfs_zoneinfo (m);
  if (g_str_equal (what, "meminfo"))
    return va_procfs_meminfo (m);
  if (g_str_equal (what, "freelists"))
    return va_procfs_freelists (m);
  if (g_str_equal (what, "events"))
    return va_event_format_all (m->events, m->profile->has_migratetypes);
  return va_procfs_log (m);
}

static gboolean
shows (const VaCliArgs *args,
       const char    *what)
{
  for (guint i = 0; i < args->show->len; i++)
    if (g_str_equal (args->show->pdata[i], what))
      return TRUE;
  return FALSE;
}

static void
print_views (VaMachine     *m,
             const VaCliArgs *args)
{
  if (args->json)
    {
      g_autofree char *json = va_json_machine (m, shows (args, "freelists"), shows (args, "events"));
      fputs (json, stdout);
      return;
    }
  for (guint i = 0; i < args->show->len; i++)
    {
      g_autofree char *text = render_show (m, args, args->show->pdata[i]);

      if (args->show->len > 1)
        printf ("%s==> %s <==\n", i ? "\n" : "", (char *) args->show->pdata[i]);
      fputs (text, stdout);
    }
}

VaScenario *
va_cli_load_scenario (const char       *path,
                      const VaCliArgs  *args,
                      VaMachineConfig  *config,
                      GError          **error)
{
  g_autoptr(VaScenario) scenario = va_scenario_load (path, error);

  if (scenario == NULL)
    return NULL;
  va_machine_config_init (config);
  if (!va_scenario_apply_machine (scenario, config, error) ||
      !apply_machine_options (args, config, error))
    return NULL;
  return g_steal_pointer (&scenario);
}

int
va_cli_report_failures (const VaRunReport *report)
{
  for (guint i = 0; i < report->failures->len; i++)
    g_printerr ("%s\n", (char *) report->failures->pdata[i]);
  return report->expects_failed ? VA_EXIT_FAILED : VA_EXIT_OK;
}

/* --until for run: N (ops applied) or N.M (op N, micro-step M).  Taken out
 * of argv before the shared parser, which knows plain N only. */
typedef struct {
  gboolean given;
  gboolean micro_given;
  guint    op;
  guint    micro;
} RunUntil;

static gboolean
parse_run_until (const char  *value,
                 RunUntil    *until,
                 GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (value, ".", 3);
  guint64 n = 0, m = 0;

  if (!parts[0] || !va_parse_uint (parts[0], &n) || !g_ascii_isdigit (parts[0][0]) ||
      n >= VA_RUN_ALL ||
      (parts[1] && (parts[2] || !g_ascii_isdigit (parts[1][0]) || !va_parse_uint (parts[1], &m) ||
                    m > G_MAXUINT32 || strspn (parts[1], "0123456789") != strlen (parts[1]))) ||
      strspn (parts[0], "0123456789") != strlen (parts[0]))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--until %s: expected an op number N (0 = the freshly booted machine) "
                   "or N.M (op N, micro-step M)", value);
      return FALSE;
    }
  if (parts[1] && n == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--until %s: ops are numbered from 1; N.M is micro-step M of op N", value);
      return FALSE;
    }
  until->given = TRUE;
  until->micro_given = parts[1] != NULL;
  until->op = n;
  until->micro = m;
  return TRUE;
}

static gboolean
take_run_until (int          argc,
                char       **argv,
                GPtrArray   *rest,
                RunUntil    *until,
                GError     **error)
{
  for (int i = 0; i < argc; i++)
    {
      const char *value;

      if (!g_str_equal (argv[i], "--until") && !g_str_has_prefix (argv[i], "--until="))
        {
          g_ptr_array_add (rest, argv[i]);
          continue;
        }
      if (!va_cli_take_value (argc, argv, &i, "until", &value, error) ||
          !parse_run_until (value, until, error))
        return FALSE;
    }
  return TRUE;
}

/* A saved session's trailer: `# position N` (-1 when there is none). */
static gboolean
session_position (const char       *path,
                  const VaScenario *scenario,
                  gint64           *position,
                  GError          **error)
{
  g_autofree char *text = NULL;

  *position = -1;
  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      !g_str_has_prefix (text, VA_SESSION_FILE_HEADER))
    return TRUE;
  return va_session_file_read_trailer (path, text, va_scenario_count_ops (scenario), position,
                                       NULL, error);
}

/* The scenario's first @n ops, applied through a history. */
static VaHistory *
history_from_scenario (const VaScenario      *scenario,
                       const VaMachineConfig *config,
                       guint                  n,
                       GError               **error)
{
  g_autoptr(VaHistory) h = va_history_new (config, 0, error);

  if (h == NULL)
    return NULL;
  for (guint i = 0; i < va_scenario_get_n_statements (scenario) && va_history_length (h) < n; i++)
    {
      const VaStatement *st = va_scenario_get_statement (scenario, i);
      VaOpResult result = { 0 };

      if (st->kind != VA_STMT_OP)
        continue;
      if (!va_history_apply (h, st->op, &result, error))
        {
          va_scenario_prefix_error (scenario, st, error);
          return NULL;
        }
      va_op_result_clear (&result);
    }
  return g_steal_pointer (&h);
}

int
va_cli_run (int    argc,
            char **argv)
{
  VaCliArgs args;
  VaMachineConfig config;
  VaRunReport report;
  GError *error = NULL;
  g_autoptr(VaScenario) scenario = NULL;
  g_autoptr(VaMachine) machine = NULL;
  g_autoptr(VaHistory) history = NULL;
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  RunUntil until = { 0 };
  VaMachine *shown;
  const char *path;
  gint64 position = -1;
  guint stop;
  gboolean events;
  int status;

  va_cli_args_init (&args);
  va_run_report_init (&report);
  if (!take_run_until (argc, argv, rest, &until, &error) ||
      !va_cli_parse_args (rest->len, (char **) rest->pdata, TRUE, &args, &error))
    goto bad;
  if (args.files->len != 1)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "run needs exactly one scenario or session file (vmatlas run FILE.vms [--show …])");
      goto bad;
    }
  path = args.files->pdata[0];
  scenario = va_cli_load_scenario (path, &args, &config, &error);
  if (scenario == NULL || !session_position (path, scenario, &position, &error))
    goto bad;
  events = shows (&args, "events");
  /* a saved session stops where it was saved, unless --until says otherwise */
  stop = until.given ? until.op : position >= 0 ? (guint) position : VA_RUN_ALL;
  if (until.micro_given)
    {
      /* op N, micro-step M: the state before op N (expects up to there), then
       * M of op N's events from the history */
      if (until.op > va_scenario_count_ops (scenario))
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--until %u.%u: %s has %u ops", until.op, until.micro, path,
                       va_scenario_count_ops (scenario));
          goto bad;
        }
      if (!(machine = va_runner_run (scenario, &config, until.op - 1, FALSE, &report, &error)) ||
          !(history = history_from_scenario (scenario, &config,
                                             position >= 0 ? VA_RUN_ALL : until.op, &error)))
        goto bad;
      va_machine_set_record_events (va_history_machine (history), events);
      if (!va_history_seek_micro (history, until.op, until.micro, &error))
        {
          const char *why = strstr (error->message, ": ");   /* past "seek N.M: " */
          GError *e = g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--until %u.%u: %s",
                                   until.op, until.micro, why ? why + 2 : error->message);

          g_error_free (error);
          error = e;
          goto bad;
        }
    }
  else
    {
      if (!(machine = va_runner_run (scenario, &config, stop, events, &report, &error)))
        goto bad;
      if (position >= 0)
        {
          /* a session: the state through its history (the op log and
           * checkpoints --json reports) */
          if (!(history = history_from_scenario (scenario, &config, VA_RUN_ALL, &error)) ||
              !va_history_seek (history, MIN (stop, va_history_length (history)), &error))
            goto bad;
        }
    }
  if (args.show->len == 0 && !args.json)
    g_ptr_array_add (args.show, g_strdup ("buddyinfo"));
  /* the same state either way; op N's first M events only in the history's */
  shown = until.micro_given ? va_history_machine (history) : machine;
  if (history && args.json)
    {
      g_autofree char *json = va_json_machine_with_history (shown, history,
                                                            shows (&args, "freelists"), events);
      fputs (json, stdout);
    }
  else
    print_views (shown, &args);
  status = va_cli_report_failures (&report);
  va_run_report_clear (&report);
  va_cli_args_clear (&args);
  return status;

bad:
  va_run_report_clear (&report);
  va_cli_args_clear (&args);
  return va_cli_bad_input (error);
}

static int
check_one (const char    *path,
           const VaCliArgs *args)
{
  VaMachineConfig config;
  VaRunReport report;
  GError *error = NULL;
  g_autoptr(VaScenario) scenario = va_cli_load_scenario (path, args, &config, &error);
  g_autoptr(VaMachine) machine = NULL;
  int status;

  if (scenario == NULL)
    return va_cli_bad_input (error);
  va_run_report_init (&report);
  machine = va_runner_run (scenario, &config, VA_RUN_ALL, FALSE, &report, &error);
  if (machine == NULL)
    {
      va_run_report_clear (&report);
      return va_cli_bad_input (error);
    }
  status = va_cli_report_failures (&report);
  printf ("%s: %u ops, %u expects passed, %u failed\n", path, report.ops_run,
          report.expects_passed, report.expects_failed);
  va_run_report_clear (&report);
  return status;
}

int
va_cli_check (int    argc,
              char **argv)
{
  VaCliArgs args;
  GError *error = NULL;
  int status = VA_EXIT_OK;

  va_cli_args_init (&args);
  if (!va_cli_parse_args (argc, argv, FALSE, &args, &error))
    {
      va_cli_args_clear (&args);
      return va_cli_bad_input (error);
    }
  if (args.files->len == 0)
    {
      va_cli_args_clear (&args);
      g_printerr ("vmatlas check: give one or more scenario files\n");
      return VA_EXIT_BAD_INPUT;
    }
  for (guint i = 0; i < args.files->len; i++)
    {
      int one = check_one (args.files->pdata[i], &args);   /* not inside MAX(): it evaluates twice */

      status = MAX (status, one);
    }
  va_cli_args_clear (&args);
  return status;
}

static char *
find_tour (void)
{
  const char *env = g_getenv ("VMATLAS_DATADIR");
  const char *dirs[] = { env, VA_SOURCE_DATADIR, VA_INSTALL_DATADIR };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = dirs[i] ? g_build_filename (dirs[i], "scenarios", "tour.vms", NULL)
                                      : NULL;

      if (path && g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* Until the GUI lands, the main job runs the default tour headless. */
int
va_cli_tour ( void)
{
  g_autofree char *tour = find_tour ();
  char *argv[] = { tour, (char *) "--show", (char *) "layout,buddyinfo,zoneinfo,meminfo", NULL };

  if (tour == NULL)
    {
      g_printerr ("vmatlas: the default tour (data/scenarios/tour.vms) was not found; "
                  "set VMATLAS_DATADIR\n");
      return VA_EXIT_BAD_INPUT;
    }
  printf ("VM Atlas %s — no display for the window; running the default tour headless:\n"
          "  vmatlas run %s --show layout,buddyinfo,zoneinfo,meminfo\n\n", VA_VERSION, tour);
  return va_cli_run (3, argv);
}

void
va_cli_usage (FILE *out)
{
  fprintf (out,
           "Usage:\n"
           "  vmatlas [FILE.vms]                 the explorer window (headless tour without a display)\n"
           "  vmatlas layout [machine options]   the address-space layout, kernel-style text\n"
           "  vmatlas run FILE.vms|SESSION [--show WHAT[,WHAT]] [--json] [--until N|N.M] [machine options]\n"
           "        --until N.M: the state before op N and, with --show events, its first M events\n"
           "        WHAT: layout buddyinfo pagetypeinfo zoneinfo vmallocinfo meminfo freelists\n"
           "              cma events log lookup=ADDR[,ADDR…]\n"
           "  vmatlas check FILE.vms...          run and evaluate every expect; exit 1 on failure\n"
           "  vmatlas export FILE.vms -o OUT.png|OUT.svg|OUT.pdf [--view all|virtual|physical|freelists|frames]\n"
           "        [--size WxH] [--scale S] [--until N] [--select NAME] [--zoom vmalloc|kernel|START:END]\n"
           "        [--theme light|dark] [--pageblocks] [machine options]\n"
           "        --scale: pixels per unit of a PNG (2 for hi-DPI); SVG and PDF are in points\n"
           "\n"
           "Machine options (override the scenario's machine statement):\n"
           "  --ram SIZE         RAM: bytes, hex or K/M/G (up to 4G, 64G with --pae on)\n"
           "  --profile NAME     linux-2.4.21, linux-2.6.9 (default), linux-6.1\n"
           "  --pae on|off       HIGHMEM64G\n"
           "  --split S          3G/1G (default); linux-6.1 also 2G/2G, 1G/3G, 3G/1G_OPT, 2G/2G_OPT\n"
           "  --vmalloc SIZE     the kernel's vmalloc= option (2.6.9, 6.1)\n"
           "  --mem SIZE         the kernel's mem= option\n"
           "  --cma SIZE[@BASE]  a CMA area (linux-6.1; Debian's own 686 kernels have CMA off)\n"
           "  --seed N, --cpus N, --pcp on|off\n"
           "\n"
           "Exit status: 0 ok, 1 an expect failed, 2 bad input.\n");
}
