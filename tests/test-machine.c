/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Ops, queries and errors at the machine level, and scenarios end to end. */
#include "va-check.h"
#include "va-runner.h"

#include <string.h>

static VaScenario *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  VaScenario *sc = va_scenario_parse ("t.vms", text, &error);

  g_assert_no_error (error);
  return sc;
}

/* Runs @text to the end; returns the machine, or NULL with @error. */
static VaMachine *
run (const char  *text,
     VaRunReport *report,
     GError     **error)
{
  g_autoptr(VaScenario) sc = parse (text);
  VaMachineConfig c;

  va_machine_config_init (&c);
  g_assert_true (va_scenario_apply_machine (sc, &c, NULL));
  return va_runner_run (sc, &c, VA_RUN_ALL, TRUE, report, error);
}

static void
test_alloc_free_expect (void)
{
  VaRunReport report;
  g_autoptr(GError) error = NULL;
  g_autoptr(VaMachine) m = NULL;

  va_run_report_init (&report);
  m = run ("machine ram=1G profile=linux-2.6.9\n"
           "alloc a order=2 gfp=GFP_KERNEL\n"
           "expect a.zone == Normal\n"
           "expect a.pages == 4\n"
           "expect a.virt == a.phys + 0xC0000000\n"
           "alloc h order=0 gfp=GFP_HIGHUSER\n"
           "expect h.zone == HighMem\n"
           "expect h.virt == 0\n"
           "expect buddyinfo.Normal[10] > 10\n"
           "expect zone.Normal.free < zone.Normal.managed\n"
           "free a\n"
           "expect a.order == 2\n"
           "expect h.pfn >= layout.max_low_pfn\n",
           &report, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  if (report.expects_failed)
    g_error ("%s", (char *) report.failures->pdata[0]);
  g_assert_cmpuint (report.expects_passed, ==, 9);
  g_assert_cmpuint (m->op_count, ==, 3);
  g_assert_cmpuint (m->events->len, >, 3);
  g_assert_true (va_machine_check (m, NULL));
  va_run_report_clear (&report);
}

static void
test_expect_failure_reported (void)
{
  VaRunReport report;
  g_autoptr(VaMachine) m = NULL;

  va_run_report_init (&report);
  m = run ("alloc a order=0\nexpect a.zone == DMA\n", &report, NULL);
  g_assert_nonnull (m);
  g_assert_cmpuint (report.expects_failed, ==, 1);
  g_assert_true (g_str_has_prefix (report.failures->pdata[0], "t.vms:2:1: expect failed:"));
  va_run_report_clear (&report);
}

/* A bad op stops with file:line:col; the ops before it ran, none after. */
static void
test_op_errors (void)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "free x\n", "t.vms:1:1: free x: there is no allocation named “x”" },
    { "alloc a order=0\nfree a\nfree a\n", "t.vms:3:1: free a: “a” was already freed (double free)" },
    { "alloc a order=0\nalloc a order=1\n", "t.vms:2:1: alloc a: “a” is still allocated" },
    { "machine profile=linux-2.4.21\nalloc a order=10\n", "t.vms:2:1: order=10: linux-2.4.21 has MAX_ORDER 10" },
    { "alloc a order=0 gfp=GFP_NOPE\n", "t.vms:1:1: gfp: “GFP_NOPE” is not a GFP flag of linux-2.6.9" },
    { "machine profile=linux-2.6.9\nalloc a order=0 gfp=GFP_HIGHUSER_MOVABLE\n", "is not a GFP flag of linux-2.6.9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VaRunReport report;
      g_autoptr(GError) error = NULL;
      g_autoptr(VaMachine) m = NULL;

      va_run_report_init (&report);
      m = run (cases[i].text, &report, &error);
      g_assert_null (m);
      g_assert_nonnull (error);
      if (!strstr (error->message, cases[i].message))
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].message);
      va_run_report_clear (&report);
    }
}

/* A refused op leaves the machine exactly as it was. */
static void
test_refused_op_changes_nothing (void)
{
  VaMachineConfig c;
  g_autoptr(VaMachine) m = NULL;
  g_autoptr(VaOp) op = va_op_new (VA_OP_ALLOC);
  VaOpResult result = { 0 };
  g_autofree VaPage *pages = NULL;
  guint events;

  va_machine_config_init (&c);
  c.ram_bytes = 64u << 20;
  m = va_machine_new (&c, NULL);
  va_machine_set_record_events (m, TRUE);
  pages = g_memdup2 (m->pages, sizeof (VaPage) * m->nr_pfns);
  events = m->events->len;
  op->name = g_strdup ("a");
  op->order = 3;
  op->gfp = g_strdup ("GFP_KERNEL|__GFP_BOGUS");
  g_assert_false (va_machine_apply (m, op, &result, NULL));
  g_assert_cmpint (memcmp (pages, m->pages, sizeof (VaPage) * m->nr_pfns), ==, 0);
  g_assert_cmpuint (m->events->len, ==, events);
  g_assert_cmpuint (m->op_count, ==, 0);
  g_assert_null (va_machine_lookup (m, "a"));
}

/* An allocation the kernel would refuse is an op that failed, not bad input. */
static void
test_expect_fail (void)
{
  VaRunReport report;
  g_autoptr(GError) error = NULL;
  g_autoptr(VaMachine) m = NULL;
  const VaAllocation *a;

  va_run_report_init (&report);
  m = run ("machine ram=16M profile=linux-2.6.9\n"
           "alloc a order=10 gfp=GFP_KERNEL\n"
           "alloc b order=10 gfp=GFP_KERNEL\n"
           "alloc c order=10 gfp=GFP_KERNEL\n"
           "alloc big order=10 gfp=GFP_KERNEL\n"
           "expect fail\n", &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report.expects_passed, ==, 1);
  a = va_machine_lookup (m, "big");
  g_assert_cmpint (a->state, ==, VA_ALLOC_FAILED);
  g_assert_nonnull (strstr (a->reason, "order-10 allocation"));
  g_assert_cmpuint (m->log->len, >=, 1);
  va_run_report_clear (&report);
}

static void
test_queries (void)
{
  VaMachineConfig c;
  g_autoptr(VaMachine) m = NULL;
  g_autoptr(GError) error = NULL;
  gint64 v = 0;

  va_machine_config_init (&c);
  m = va_machine_new (&c, NULL);
  g_assert_true (va_machine_query (m, "layout.vmalloc_end", &v, NULL));
  g_assert_cmphex (v, ==, 0xFF7FE000);
  g_assert_true (va_machine_query (m, "HighMem", &v, NULL));
  g_assert_cmpint (v, ==, VA_ZONE_HIGHMEM);
  g_assert_true (va_machine_query (m, "zone.DMA.spanned", &v, NULL));
  g_assert_cmpint (v, ==, 4096);
  g_assert_false (va_machine_query (m, "buddyinfo.Normal[11]", &v, &error));
  g_assert_nonnull (strstr (error->message, "ORDER 0 to 10"));
  g_clear_error (&error);
  g_assert_false (va_machine_query (m, "zone.Normal.bogus", &v, &error));
  g_clear_error (&error);
  g_assert_false (va_machine_query (m, "nobody.pfn", &v, &error));
}

/* Same scenario and seed: same state and events, byte for byte. */
static void
test_deterministic (void)
{
  const char *text = "machine ram=256M profile=linux-6.1\nworkload fragment seed=5 ops=3000\n"
                     "alloc a order=3\n";
  VaRunReport r1, r2;
  g_autoptr(VaMachine) a = NULL;
  g_autoptr(VaMachine) b = NULL;

  va_run_report_init (&r1);
  va_run_report_init (&r2);
  a = run (text, &r1, NULL);
  b = run (text, &r2, NULL);
  g_assert_cmpint (memcmp (a->pages, b->pages, sizeof (VaPage) * a->nr_pfns), ==, 0);
  g_assert_cmpuint (a->events->len, ==, b->events->len);
  g_assert_cmpint (memcmp (a->events->data, b->events->data, sizeof (VaEvent) * a->events->len), ==, 0);
  va_run_report_clear (&r1);
  va_run_report_clear (&r2);
}

/* --until N: op N applied, nothing after it. */
static void
test_until (void)
{
  g_autoptr(VaScenario) sc = parse ("alloc a order=0\nalloc b order=0\nalloc c order=0\n");
  VaMachineConfig c;
  VaRunReport report;
  g_autoptr(VaMachine) m = NULL;
  g_autoptr(VaMachine) zero = NULL;

  va_machine_config_init (&c);
  va_run_report_init (&report);
  m = va_runner_run (sc, &c, 2, FALSE, &report, NULL);
  g_assert_cmpuint (m->op_count, ==, 2);
  g_assert_nonnull (va_machine_lookup (m, "b"));
  g_assert_null (va_machine_lookup (m, "c"));
  zero = va_runner_run (sc, &c, 0, FALSE, &report, NULL);
  g_assert_cmpuint (zero->op_count, ==, 0);
  va_run_report_clear (&report);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/machine/alloc-free-expect", test_alloc_free_expect);
  g_test_add_func ("/machine/expect-failure-reported", test_expect_failure_reported);
  g_test_add_func ("/machine/op-errors", test_op_errors);
  g_test_add_func ("/machine/refused-op-changes-nothing", test_refused_op_changes_nothing);
  g_test_add_func ("/machine/expect-fail", test_expect_fail);
  g_test_add_func ("/machine/queries", test_queries);
  g_test_add_func ("/machine/deterministic", test_deterministic);
  g_test_add_func ("/machine/until", test_until);
  return g_test_run ();
}
