/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-runner"

#include "va-runner.h"

void
va_run_report_init (VaRunReport *report)
{
  g_return_if_fail (report != NULL);

  report->expects_passed = report->expects_failed = report->ops_run = 0;
  report->failures = g_ptr_array_new_with_free_func (g_free);
  report->narration = g_ptr_array_new_with_free_func (g_free);
}

void
va_run_report_clear (VaRunReport *report)
{
  g_clear_pointer (&report->failures, g_ptr_array_unref);
  g_clear_pointer (&report->narration, g_ptr_array_unref);
}

static void
note_expect (const VaScenario  *scenario,
             const VaStatement *st,
             gboolean           holds,
             const char        *explanation,
             VaRunReport       *report)
{
  if (holds)
    {
      report->expects_passed++;
      return;
    }
  report->expects_failed++;
  g_ptr_array_add (report->failures,
                   g_strdup_printf ("%s:%u:%u: expect failed: %s", va_scenario_get_filename (scenario),
                                    st->line, st->column, explanation));
}

static gboolean
run_expect (const VaScenario  *scenario,
            const VaStatement *st,
            VaMachine         *machine,
            VaRunReport       *report,
            GError           **error)
{
  g_autofree char *explanation = NULL;
  gboolean holds = FALSE;

  if (st->kind == VA_STMT_EXPECT_FAIL)
    {
      holds = machine->last_op_failed;
      explanation = g_strdup (holds ? "the previous op failed"
                                    : "expect fail: the previous op succeeded");
    }
  else if (!va_expect_eval (st->expect, machine, &holds, &explanation, error))
    {
      va_scenario_prefix_error (scenario, st, error);
      return FALSE;
    }
  note_expect (scenario, st, holds, explanation, report);
  return TRUE;
}

VaMachine *
va_runner_run (const VaScenario       *scenario,
               const VaMachineConfig  *config,
               guint                   until,
               gboolean                record_events,
               VaRunReport            *report,
               GError                **error)
{
  g_autoptr(VaMachine) machine = NULL;
  guint n = va_scenario_get_n_statements (scenario);

  g_return_val_if_fail (scenario != NULL && config != NULL && report != NULL, NULL);

  machine = va_machine_new (config, error);
  if (machine == NULL)
    return NULL;
  va_machine_set_record_events (machine, record_events);
  for (guint i = 0; i < n; i++)
    {
      const VaStatement *st = va_scenario_get_statement (scenario, i);

      if (st->kind == VA_STMT_OP)
        {
          VaOpResult result = { 0 };

          if (machine->op_count >= until)
            break;
          if (!va_machine_apply (machine, st->op, &result, error))
            {
              va_scenario_prefix_error (scenario, st, error);
              return NULL;
            }
          va_op_result_clear (&result);
          report->ops_run++;
        }
      else if (st->kind == VA_STMT_SAY)
        g_ptr_array_add (report->narration, g_strdup (st->text));
      else if ((st->kind == VA_STMT_EXPECT || st->kind == VA_STMT_EXPECT_FAIL) &&
               !run_expect (scenario, st, machine, report, error))
        return NULL;
    }
  return g_steal_pointer (&machine);
}
