/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "vmatlas"

#include "va-cli.h"
#include "va-application.h"

#include <locale.h>
#include <string.h>

int
main (int    argc,
      char **argv)
{
  const char *cmd;

  setlocale (LC_ALL, "");
  if (argc < 2 || (g_str_has_suffix (argv[1], ".vms") && argc == 2))
    {
      /* The explorer window when a display can be opened. */
      if (va_gui_display_available (&argc, &argv))
        return va_gui_run (argc, argv);
      if (argc < 2)
        {
          g_printerr ("vmatlas: no display available for the window. To get a picture instead, export one:\n"
                      "  vmatlas export FILE.vms -o map.png [--until N] [--select NAME]\n\n");
          return va_cli_tour ();
        }
    }
  cmd = argv[1];
  /* `vmatlas SUBCOMMAND --help` prints the usage instead of an unknown-option error */
  for (int i = 2; i < argc; i++)
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
      {
        va_cli_usage (stdout);
        return VA_EXIT_OK;
      }
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

      g_printerr ("vmatlas: no display available for the window; running %s headless "
                  "(vmatlas export %s -o map.png makes a picture)\n", cmd, cmd);
      return va_cli_run (3, args);
    }
  g_printerr ("vmatlas: unknown subcommand “%s”; allowed: layout, run, check, export (see vmatlas --help)\n",
              cmd);
  return VA_EXIT_BAD_INPUT;
}
