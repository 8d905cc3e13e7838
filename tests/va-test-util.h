/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the tests and benchmarks. */
#pragma once

#include "va-machine.h"
#include "va-scenario.h"

G_BEGIN_DECLS

/* A booted machine from machine options as a scenario's `machine` line
 * writes them ("profile=linux-6.1 ram=1G pae=on"); aborts on bad options. */
VaMachine *va_test_machine      (const char *options);
/* Runs a whole scenario given as text; aborts on errors and failed expects. */
VaMachine *va_test_run          (const char *vms_text);
/* Runs a parsed scenario's first @until ops (VA_RUN_ALL: all of them);
 * aborts on errors and failed expects. */
VaMachine *va_test_run_scenario (const VaScenario *scenario,
                                 guint             until);
/* The allocation named @name; fails the test when there is none. */
const VaAllocation *va_test_lookup (VaMachine  *machine,
                                    const char *name);
/* The invariant checker, failing the test with its message. */
void       va_test_assert_valid (VaMachine  *machine);
/* Median of @n values (sorts them). */
double     va_test_median       (double     *values,
                                 guint       n);

/* The value below which a fraction @p of them lie (sorts them). */
double     va_test_percentile   (double     *values,
                                 guint       n,
                                 double      p);

G_END_DECLS
