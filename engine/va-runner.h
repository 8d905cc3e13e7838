/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"
#include "va-scenario.h"

G_BEGIN_DECLS

#define VA_RUN_ALL G_MAXUINT

/* What running a scenario found besides the machine state. */
typedef struct {
  guint      expects_passed;
  guint      expects_failed;
  GPtrArray *failures;      /* char*: "file:line:col: expect …: left …, right …" */
  GPtrArray *narration;     /* char*: say texts of the statements run */
  guint      ops_run;
} VaRunReport;

void       va_run_report_init  (VaRunReport           *report);
void       va_run_report_clear (VaRunReport           *report);

/* Boots @config and runs @scenario's statements up to and including op
 * @until (0 = the freshly booted machine), evaluating expects on the way.
 * A bad op or expect stops the run with a file:line:col error. */
VaMachine *va_runner_run       (const VaScenario      *scenario,
                                const VaMachineConfig *config,
                                guint                  until,
                                gboolean               record_events,
                                VaRunReport           *report,
                                GError               **error);

G_END_DECLS
