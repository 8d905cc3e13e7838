/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "va-test-util.h"

#include "va-check.h"
#include "va-runner.h"

#include <stdlib.h>

VaMachine *
va_test_machine (const char *options)
{
  g_autofree char *text = g_strdup_printf ("machine %s\n", options);

  return va_test_run (text);
}

VaMachine *
va_test_run (const char *vms_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VaScenario) sc = va_scenario_parse ("test.vms", vms_text, &error);

  if (sc == NULL)
    g_error ("%s", error->message);
  return va_test_run_scenario (sc, VA_RUN_ALL);
}

VaMachine *
va_test_run_scenario (const VaScenario *scenario,
                      guint             until)
{
  g_autoptr(GError) error = NULL;
  VaMachineConfig config;
  VaRunReport report;
  VaMachine *m;

  va_machine_config_init (&config);
  if (!va_scenario_apply_machine (scenario, &config, &error))
    g_error ("%s", error->message);
  va_run_report_init (&report);
  m = va_runner_run (scenario, &config, until, FALSE, &report, &error);
  if (m == NULL)
    g_error ("%s", error->message);
  if (report.expects_failed)
    g_error ("%s", (char *) report.failures->pdata[0]);
  va_run_report_clear (&report);
  return m;
}

const VaAllocation *
va_test_lookup (VaMachine  *machine,
                const char *name)
{
  const VaAllocation *a = va_machine_lookup (machine, name);

  g_assert_nonnull (a);
  return a;
}

void
va_test_assert_valid (VaMachine *machine)
{
  g_autoptr(GError) error = NULL;

  if (!va_machine_check (machine, &error))
    g_error ("invariant: %s", error->message);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
va_test_median (double *values,
                guint   n)
{
  return va_test_percentile (values, n, 0.5);
}

double
va_test_percentile (double *values,
                    guint   n,
                    double  p)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return values[MIN (n - 1, (guint) (p * n))];
}
