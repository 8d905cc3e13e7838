/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"
#include "va-runner.h"
#include "va-scenario.h"

G_BEGIN_DECLS

/* Options shared by the subcommands, gathered before anything runs. */
typedef struct {
  GPtrArray *files;          /* positional arguments */
  GPtrArray *machine_keys;   /* --ram 1G … in order */
  GPtrArray *machine_values;
  GPtrArray *show;           /* --show items */
  GArray    *lookups;        /* guint32 addresses of --show lookup= */
  gboolean   json;
  guint      until;
} VaCliArgs;

void        va_cli_args_init         (VaCliArgs        *args);
void        va_cli_args_clear        (VaCliArgs        *args);
/* Positional files, machine options and (with @allow_run_options) --show,
 * --json and --until. */
gboolean    va_cli_parse_args        (int               argc,
                                      char            **argv,
                                      gboolean          allow_run_options,
                                      VaCliArgs        *args,
                                      GError          **error);
gboolean    va_cli_parse_until       (VaCliArgs        *args,
                                      const char       *value,
                                      GError          **error);
/* Splits "--name=value" or "--name value"; advances *i past the value. */
gboolean    va_cli_take_value        (int               argc,
                                      char            **argv,
                                      int              *i,
                                      const char       *name,
                                      const char      **value,
                                      GError          **error);
gboolean    va_cli_is_machine_option (const char       *name);
/* Loads @path, applies its machine statement and the command line. */
VaScenario *va_cli_load_scenario     (const char       *path,
                                      const VaCliArgs  *args,
                                      VaMachineConfig  *config,
                                      GError          **error);
/* Prints "vmatlas: MESSAGE", frees @error, returns VA_EXIT_BAD_INPUT. */
int         va_cli_bad_input         (GError           *error);
/* Prints the failed expects of a run to stderr, one a line; returns the
 * exit status they make (VA_EXIT_FAILED or VA_EXIT_OK). */
int         va_cli_report_failures   (const VaRunReport *report);

G_END_DECLS
