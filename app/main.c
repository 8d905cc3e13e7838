/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "vmatlas"

#include "va-cli.h"

#include <locale.h>
#include <string.h>

int
main (int    argc,
      char **argv)
{
  const char *cmd;

  setlocale (LC_ALL, "");
  if (argc < 2)
    return va_cli_tour ();
  cmd = argv[1];
  if (strcmp (cmd, "layout") == 0)
    return va_cli_layout (argc - 2, argv + 2);
  if (strcmp (cmd, "run") == 0)
    return va_cli_run (argc - 2, argv + 2);
  if (strcmp (cmd, "check") == 0)
    return va_cli_check (argc - 2, argv + 2);
  if (strcmp (cmd, "export") == 0)
    return va_cli_export (argc - 2, argv + 2);
  if (strcmp (cmd, "--help") == 0 || strcmp (cmd, "-h") == 0 || strcmp (cmd, "help") == 0)
    {
      va_cli_usage (stdout);
      return VA_EXIT_OK;
    }
  if (strcmp (cmd, "--version") == 0)
    {
      printf ("vmatlas %s\n", VA_VERSION);
      return VA_EXIT_OK;
    }
  if (g_str_has_suffix (cmd, ".vms") && argc == 2)
    {
      char *args[] = { argv[1], (char *) "--show", (char *) "layout,buddyinfo", NULL };

      g_printerr ("vmatlas: the GUI is not built yet; running %s headless\n", cmd);
      return va_cli_run (3, args);
    }
  g_printerr ("vmatlas: unknown subcommand “%s”; allowed: layout, run, check, export (see vmatlas --help)\n",
              cmd);
  return VA_EXIT_BAD_INPUT;
}
