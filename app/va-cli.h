/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

/* Exit codes of every subcommand (DESIGN.md §5). */
#define VA_EXIT_OK        0
#define VA_EXIT_FAILED    1   /* an expect failed */
#define VA_EXIT_BAD_INPUT 2

int  va_cli_layout (int argc, char **argv);
int  va_cli_run    (int argc, char **argv);
int  va_cli_check  (int argc, char **argv);
int  va_cli_export (int argc, char **argv);
int  va_cli_tour   (void);
void va_cli_usage  (FILE *out);

G_END_DECLS
