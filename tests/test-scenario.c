/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the .vms parser, ops and the expect parser.  Nothing
 * here builds a machine; evaluation is covered by the machine tests. */
#include "va-scenario.h"

#include <string.h>

static VaScenario *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  VaScenario *sc = va_scenario_parse ("t.vms", text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sc);
  return sc;
}

/* Parses one op line and checks that it writes itself back as @canonical
 * and that the written form parses to an equal op. */
static void
check_op (const char *line,
          VaOpKind    kind,
          const char *canonical)
{
  g_autoptr(VaScenario) sc = parse_ok (line);
  g_autoptr(VaScenario) again = NULL;
  g_autoptr(VaOp) copy = NULL;
  g_autofree char *vms = NULL;
  const VaStatement *st;

  g_assert_cmpuint (va_scenario_get_n_statements (sc), ==, 1);
  st = va_scenario_get_statement (sc, 0);
  g_assert_cmpint (st->kind, ==, VA_STMT_OP);
  g_assert_cmpint (st->op->kind, ==, kind);
  g_assert_cmpuint (st->line, ==, 1);

  vms = va_op_to_vms (st->op);
  g_assert_cmpstr (vms, ==, canonical);
  again = parse_ok (vms);
  g_assert_true (va_op_equal (st->op, va_scenario_get_statement (again, 0)->op));

  copy = va_op_copy (st->op);
  g_assert_true (va_op_equal (st->op, copy));
}

static void
check_error (const char *text,
             const char *prefix,
             const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VaScenario) sc = va_scenario_parse ("t.vms", text, &error);

  g_assert_null (sc);
  g_assert_error (error, VA_ERROR, VA_ERROR_INVALID);
  if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, fragment) == NULL)
    g_error ("for %s\nexpected “%s…%s…”\n     got “%s”", text, prefix, fragment, error->message);
  /* Every message says what was wrong and what was expected. */
  g_assert_nonnull (strstr (error->message, "; expected"));
}

/* ------------------------------------------------------------------ */

static void
test_alloc (void)
{
  g_autoptr(VaScenario) sc = parse_ok ("alloc p order=3 gfp=GFP_KERNEL\n");
  const VaOp *op = va_scenario_get_statement (sc, 0)->op;

  g_assert_cmpstr (op->name, ==, "p");
  g_assert_cmpuint (op->order, ==, 3);
  g_assert_cmpstr (op->gfp, ==, "GFP_KERNEL");

  check_op ("alloc p order=3 gfp=GFP_KERNEL", VA_OP_ALLOC, "alloc p order=3 gfp=GFP_KERNEL");
  check_op ("alloc  u   order=0", VA_OP_ALLOC, "alloc u order=0");
  check_op ("alloc big order=10 gfp=GFP_KERNEL|__GFP_ZERO", VA_OP_ALLOC,
            "alloc big order=10 gfp=GFP_KERNEL|__GFP_ZERO");
  check_op ("alloc x gfp=GFP_DMA order=0x2", VA_OP_ALLOC, "alloc x order=2 gfp=GFP_DMA");
}

static void
test_free (void)
{
  check_op ("free p", VA_OP_FREE, "free p");
  check_op ("vfree a", VA_OP_VFREE, "vfree a");
  check_op ("kunmap m", VA_OP_KUNMAP, "kunmap m");
  check_op ("pin u", VA_OP_PIN, "pin u");
  check_op ("unpin u", VA_OP_UNPIN, "unpin u");
  check_op ("cma_release c", VA_OP_CMA_RELEASE, "cma_release c");
}

static void
test_kmalloc (void)
{
  g_autoptr(VaScenario) sc = parse_ok ("kmalloc k 3000");

  g_assert_cmpuint (va_scenario_get_statement (sc, 0)->op->size, ==, 3000);
  g_assert_null (va_scenario_get_statement (sc, 0)->op->gfp);
  check_op ("kmalloc k 3000", VA_OP_KMALLOC, "kmalloc k 3000");
  check_op ("kmalloc k 8K gfp=GFP_ATOMIC", VA_OP_KMALLOC, "kmalloc k 8K gfp=GFP_ATOMIC");
  check_op ("kmalloc k 0x2000", VA_OP_KMALLOC, "kmalloc k 8K");
}

static void
test_vmalloc (void)
{
  g_autoptr(VaScenario) sc = parse_ok ("vmalloc a 1M");

  g_assert_cmpuint (va_scenario_get_statement (sc, 0)->op->size, ==, 1024 * 1024);
  check_op ("vmalloc a 100", VA_OP_VMALLOC, "vmalloc a 100");
  check_op ("vmalloc a 64MiB", VA_OP_VMALLOC, "vmalloc a 64M");
  check_op ("vmalloc_32 b 2G", VA_OP_VMALLOC_32, "vmalloc_32 b 2G");
}

static void
test_kmap (void)
{
  g_autoptr(VaScenario) sc = parse_ok ("kmap m b\nkmap n b[2]\n");
  const VaOp *plain = va_scenario_get_statement (sc, 0)->op;
  const VaOp *indexed = va_scenario_get_statement (sc, 1)->op;

  g_assert_cmpstr (plain->target, ==, "b");
  g_assert_cmpint (plain->target_index, ==, -1);
  g_assert_cmpstr (indexed->target, ==, "b");
  g_assert_cmpint (indexed->target_index, ==, 2);
  check_op ("kmap m b", VA_OP_KMAP, "kmap m b");
  check_op ("kmap m b[2]", VA_OP_KMAP, "kmap m b[2]");
  g_assert_false (va_op_equal (plain, indexed));
}

static void
test_cma (void)
{
  g_autoptr(VaScenario) sc = parse_ok ("cma_alloc c 64 align=4");
  const VaOp *op = va_scenario_get_statement (sc, 0)->op;

  g_assert_cmpuint (op->size, ==, 64);
  g_assert_true (op->has_align);
  g_assert_cmpuint (op->order, ==, 4);
  check_op ("cma_alloc c 64 align=4", VA_OP_CMA_ALLOC, "cma_alloc c 64 align=4");
  check_op ("cma_alloc c 1024", VA_OP_CMA_ALLOC, "cma_alloc c 1024");
}

static void
test_workload (void)
{
  g_autoptr(VaScenario) sc = parse_ok ("workload fragment seed=7 ops=20000");
  const VaOp *op = va_scenario_get_statement (sc, 0)->op;

  g_assert_cmpuint (op->seed, ==, 7);
  g_assert_cmpuint (op->count, ==, 20000);
  g_assert_cmpstr (va_op_kind_name (op->kind), ==, "workload");
  check_op ("workload fragment seed=7 ops=20000", VA_OP_WORKLOAD_FRAGMENT,
            "workload fragment seed=7 ops=20000");
  check_op ("workload movable pages=50000 seed=1", VA_OP_WORKLOAD_MOVABLE,
            "workload movable seed=1 pages=50000");
}

static void
test_kind_names (void)
{
  static const char *const names[] = {
    "alloc", "free", "kmalloc", "vmalloc", "vmalloc_32", "vfree", "kmap", "kunmap",
    "pin", "unpin", "cma_alloc", "cma_release", "workload", "workload",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == VA_OP_N_KINDS);
  for (guint i = 0; i < VA_OP_N_KINDS; i++)
    g_assert_cmpstr (va_op_kind_name (i), ==, names[i]);
}

static void
test_comments (void)
{
  g_autoptr(VaScenario) sc = parse_ok (
    "# a demo\n"
    "\n"
    "   \t\n"
    "title \"Pages # and \\\"quotes\\\" and \\\\\"   # the title\n"
    "say \"say # not a comment\"#comment right after\r\n"
    "vmalloc a 100     # name size\n"
    "pause\n"
    "free a#no space");
  const VaStatement *st;

  g_assert_cmpuint (va_scenario_get_n_statements (sc), ==, 5);
  st = va_scenario_get_statement (sc, 0);
  g_assert_cmpint (st->kind, ==, VA_STMT_TITLE);
  g_assert_cmpuint (st->line, ==, 4);
  g_assert_cmpuint (st->column, ==, 1);
  g_assert_cmpstr (st->text, ==, "Pages # and \"quotes\" and \\");
  g_assert_cmpstr (va_scenario_get_title (sc), ==, st->text);

  st = va_scenario_get_statement (sc, 1);
  g_assert_cmpint (st->kind, ==, VA_STMT_SAY);
  g_assert_cmpstr (st->text, ==, "say # not a comment");

  st = va_scenario_get_statement (sc, 2);
  g_assert_cmpint (st->kind, ==, VA_STMT_OP);
  g_assert_cmpuint (st->line, ==, 6);
  g_assert_cmpint (va_scenario_get_statement (sc, 3)->kind, ==, VA_STMT_PAUSE);
  g_assert_cmpstr (va_scenario_get_statement (sc, 4)->op->name, ==, "a");
  g_assert_cmpuint (va_scenario_count_ops (sc), ==, 2);
}

static void
test_empty (void)
{
  g_autoptr(VaScenario) sc = parse_ok ("");
  g_autoptr(VaScenario) sc2 = parse_ok ("# nothing\n\n");

  g_assert_cmpuint (va_scenario_get_n_statements (sc), ==, 0);
  g_assert_cmpuint (va_scenario_get_n_statements (sc2), ==, 0);
  g_assert_null (va_scenario_get_title (sc2));
}

static void
test_machine (void)
{
  g_autoptr(VaScenario) sc = parse_ok ("machine ram=512M profile=linux-2.6.9 seed=3\nalloc p order=0\n");
  const VaStatement *st = va_scenario_get_statement (sc, 0);
  VaMachineConfig config;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (st->kind, ==, VA_STMT_MACHINE);
  g_assert_cmpuint (st->machine_keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (st->machine_keys, 1), ==, "profile");
  g_assert_cmpstr (g_ptr_array_index (st->machine_values, 1), ==, "linux-2.6.9");
  g_assert_cmpuint (g_array_index (st->machine_columns, guint, 0), ==, 9);
  g_assert_cmpuint (g_array_index (st->machine_columns, guint, 1), ==, 18);

  va_machine_config_init (&config);
  config.cpus = 2;   /* as if from the command line; the scenario keeps it */
  g_assert_true (va_scenario_apply_machine (sc, &config, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (config.ram_bytes, ==, 512u << 20);
  g_assert_cmpuint (config.seed, ==, 3);
  g_assert_cmpuint (config.cpus, ==, 2);
}

static void
test_expect_statements (void)
{
  g_autoptr(VaScenario) sc = parse_ok (
    "vmalloc a 100\n"
    "vmalloc b 100\n"
    "expect b.virt==a.virt+8K   # no spaces needed\n"
    "expect a.zone == HighMem\n"
    "expect fail\n");
  const VaStatement *st = va_scenario_get_statement (sc, 2);
  g_autofree char *text = va_expect_to_string (st->expect);

  g_assert_cmpint (st->kind, ==, VA_STMT_EXPECT);
  g_assert_cmpstr (st->text, ==, "b.virt==a.virt+8K");
  g_assert_cmpstr (text, ==, "b.virt == a.virt + 8K");
  g_assert_cmpint (va_scenario_get_statement (sc, 3)->kind, ==, VA_STMT_EXPECT);
  g_assert_cmpint (va_scenario_get_statement (sc, 4)->kind, ==, VA_STMT_EXPECT_FAIL);
  g_assert_cmpuint (va_scenario_count_ops (sc), ==, 2);
}

static void
test_prefix_error (void)
{
  g_autoptr(VaScenario) sc = parse_ok ("\n  free x\n");
  g_autoptr(GError) error = g_error_new_literal (VA_ERROR, VA_ERROR_STATE, "no allocation named “x”");

  va_scenario_prefix_error (sc, va_scenario_get_statement (sc, 0), &error);
  g_assert_cmpstr (error->message, ==, "t.vms:2:3: no allocation named “x”");
  g_assert_error (error, VA_ERROR, VA_ERROR_STATE);
}

/* ------------------------------------------------------------------ */

static void
test_error_order (void)
{
  check_error ("\n\n\n\n\n\nalloc p order=x\n", "t.vms:7:9: “order=x” is not a number", "expected order=0..10");
  check_error ("alloc p order=11", "t.vms:1:9: “order=11” is out of range", "expected order=0..10");
  check_error ("alloc p", "t.vms:1:9: missing order=", "expected alloc NAME order=N");
  check_error ("alloc p order=1 order=2", "t.vms:1:17: “order=2” repeats order=", "");
}

static void
test_error_unknown_statement (void)
{
  check_error ("machine ram=1G\n\nallok p order=1\n", "t.vms:3:1: unknown statement “allok”",
               "expected one of machine, title, say");
  check_error ("workload shuffle seed=1", "t.vms:1:10: unknown workload “shuffle”", "fragment");
  check_error ("\"alloc\" p", "t.vms:1:1: unexpected string", "");
}

static void
test_error_missing_name (void)
{
  check_error ("free", "t.vms:1:6: missing NAME", "expected free NAME");
  check_error ("alloc order=3", "t.vms:1:7: missing NAME before “order=3”", "");
  check_error ("free 1abc", "t.vms:1:6: “1abc” is not a name", "");
  check_error ("kmap m", "t.vms:1:8: missing TARGET", "");
  check_error ("kmap m b[x]", "t.vms:1:8: “b[x]” is not a target", "");
  check_error ("vmalloc x\n", "t.vms:1:11: missing SIZE", "");
}

static void
test_error_bad_size (void)
{
  check_error ("vmalloc a 12Q", "t.vms:1:11: “12Q” is not a size", "K/M/G");
  check_error ("cma_alloc c 4K", "t.vms:1:13: “4K” is not a page count", "");
}

static void
test_error_unknown_option (void)
{
  check_error ("alloc p order=1 colour=red", "t.vms:1:17: unknown option “colour=red”",
               "expected order=, gfp=");
  check_error ("vmalloc a 8K gfp=GFP_KERNEL", "t.vms:1:14: unexpected “gfp=GFP_KERNEL”",
               "expected the end of the line");
  check_error ("alloc p order=1 gfp=GFP-KERNEL", "t.vms:1:17: “gfp=GFP-KERNEL” is not a GFP flag list", "");
  check_error ("workload fragment seed=1", "t.vms:1:26: missing ops=", "");
  check_error ("pause now", "t.vms:1:7: unexpected “now”", "");
}

static void
test_error_machine_order (void)
{
  check_error ("alloc p order=0\nmachine ram=1G\n", "t.vms:2:1: machine statement after the first op",
               "");
  check_error ("machine ram=1G\ntitle \"x\"\n  machine seed=1\n",
               "t.vms:3:3: second machine statement (the first is on line 1)", "");
  check_error ("machine ram=1G ram=2G", "t.vms:1:16: “ram=2G” repeats ram=", "");
  check_error ("machine colour=red", "t.vms:1:9: unknown machine option “colour=red”", "ram, profile");
  check_error ("machine ram", "t.vms:1:9: “ram” is not an option", "");
  check_error ("machine ram=", "t.vms:1:9: “ram=” is not an option", "");
  check_error ("machine ram", "t.vms:1:9: “ram” is not an option", "");
}

/* Bad values are reported with va_machine_config_set()'s own message. */
static void
test_error_machine_value (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VaScenario) sc = va_scenario_parse ("t.vms", "\nmachine seed=1 ram=lots\n", &error);

  g_assert_null (sc);
  g_assert_error (error, VA_ERROR, VA_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "t.vms:2:16: "));
  g_assert_nonnull (strstr (error->message, "lots"));
}

static void
test_error_string (void)
{
  check_error ("title \"never closed\n", "t.vms:1:7: unterminated string", "");
  check_error ("say \"bad \\n escape\"", "t.vms:1:10: unknown escape “\\n”", "");
  check_error ("title Hello", "t.vms:1:7: “Hello” is not in quotes", "");
  check_error ("title \"a\" \"b\"", "t.vms:1:11: unexpected “b”", "");
  check_error ("say", "t.vms:1:5: missing text", "");
  check_error ("say \"x\"y", "t.vms:1:8: unexpected text right after a string", "");
  /* Columns count characters, not bytes. */
  check_error ("title \"é\" x", "t.vms:1:11: unexpected “x”", "");
  check_error ("title \"ok\"\nalloc p order=1\x80\n", "t.vms:2:16: invalid UTF-8", "");
}

static void
test_error_expect (void)
{
  check_error ("vmalloc a 1\nexpect a.virt = 3\n", "t.vms:2:15: “=” is not a comparison",
               "expected one of == != < <= > >=");
  check_error ("vmalloc a 1\nexpect a.virt == 3 x\n", "t.vms:2:20: unexpected “x” after the expression", "");
  check_error ("expect a.virt == 3 == 4", "t.vms:1:20: unexpected “==” after the expression", "");
  check_error ("expect", "t.vms:1:7: missing expression", "");
  check_error ("expect a.virt", "t.vms:1:14: missing comparison", "");
  check_error ("expect a.virt == # only a comment", "t.vms:1:18: missing value", "");
  check_error ("expect a.virt == 12Q", "t.vms:1:18: “12Q” is not a number or size", "");
  check_error ("expect fail", "t.vms:1:1: expect fail before any op", "");
}

/* ------------------------------------------------------------------ */

static void
check_expect (const char *text,
              const char *normalized)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VaExpect) e = va_expect_parse (text, NULL, &error);
  g_autoptr(VaExpect) again = NULL;
  g_autofree char *s = NULL;
  g_autofree char *s2 = NULL;

  g_assert_no_error (error);
  s = va_expect_to_string (e);
  g_assert_cmpstr (s, ==, normalized);
  again = va_expect_parse (s, NULL, &error);
  g_assert_no_error (error);
  s2 = va_expect_to_string (again);
  g_assert_cmpstr (s2, ==, normalized);
}

static void
check_expect_error (const char *text,
                    guint       col,
                    const char *prefix)
{
  g_autoptr(GError) error = NULL;
  guint error_col = G_MAXUINT;
  g_autoptr(VaExpect) e = va_expect_parse (text, &error_col, &error);

  g_assert_null (e);
  g_assert_error (error, VA_ERROR, VA_ERROR_INVALID);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("for %s: expected “%s…”, got “%s”", text, prefix, error->message);
  g_assert_cmpuint (error_col, ==, col);
}

static void
test_expect_parse (void)
{
  check_expect ("b.virt == a.virt + 8K", "b.virt == a.virt + 8K");
  check_expect ("  b.virt==a.virt+8K ", "b.virt == a.virt + 8K");
  check_expect ("zone.Normal.free>=1024", "zone.Normal.free >= 1024");
  check_expect ("buddyinfo.Normal[3] != 0", "buddyinfo.Normal[3] != 0");
  check_expect ("layout.vmalloc_start<0xf8000000", "layout.vmalloc_start < 0xf8000000");
  check_expect ("a.zone == HighMem", "a.zone == HighMem");
  check_expect ("a.pages <= 1 + 2 - 1", "a.pages <= 1 + 2 - 1");
  check_expect ("-1 > a.x - 4K - 1M + 2G", "-1 > a.x - 4K - 1M + 2G");
  check_expect ("_x.y_2 > 9223372036854775807", "_x.y_2 > 9223372036854775807");
}

static void
test_expect_errors (void)
{
  check_expect_error ("a.virt = 3", 7, "“=” is not a comparison");
  check_expect_error ("a.virt 3", 7, "“3” is not a comparison");
  check_expect_error ("a.virt == 3 x", 12, "unexpected “x” after the expression");
  check_expect_error ("a.virt ==", 9, "missing value");
  check_expect_error ("a..virt == 1", 2, "“a.” is not a complete name");
  check_expect_error ("buddyinfo.Normal[] == 1", 17, "“buddyinfo.Normal[” has no index");
  check_expect_error ("a[1].x == 1", 4, "unexpected “.”");
  check_expect_error ("a == 9223372036854775808", 5, "“9223372036854775808” is not a number or size");
  check_expect_error ("a == 1.5M", 5, "“1.5M” is not a number or size");
  check_expect_error ("a == \"x\"", 5, "“\"x\"” is not a value");
  check_expect_error ("", 0, "missing expression");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/parse/alloc", test_alloc);
  g_test_add_func ("/scenario/parse/free", test_free);
  g_test_add_func ("/scenario/parse/kmalloc", test_kmalloc);
  g_test_add_func ("/scenario/parse/vmalloc", test_vmalloc);
  g_test_add_func ("/scenario/parse/kmap", test_kmap);
  g_test_add_func ("/scenario/parse/cma", test_cma);
  g_test_add_func ("/scenario/parse/workload", test_workload);
  g_test_add_func ("/scenario/parse/kind-names", test_kind_names);
  g_test_add_func ("/scenario/parse/comments", test_comments);
  g_test_add_func ("/scenario/parse/empty", test_empty);
  g_test_add_func ("/scenario/parse/machine", test_machine);
  g_test_add_func ("/scenario/parse/expect", test_expect_statements);
  g_test_add_func ("/scenario/prefix-error", test_prefix_error);

  g_test_add_func ("/scenario/error/order", test_error_order);
  g_test_add_func ("/scenario/error/unknown-statement", test_error_unknown_statement);
  g_test_add_func ("/scenario/error/missing-name", test_error_missing_name);
  g_test_add_func ("/scenario/error/bad-size", test_error_bad_size);
  g_test_add_func ("/scenario/error/unknown-option", test_error_unknown_option);
  g_test_add_func ("/scenario/error/machine-order", test_error_machine_order);
  g_test_add_func ("/scenario/error/machine-value", test_error_machine_value);
  g_test_add_func ("/scenario/error/string", test_error_string);
  g_test_add_func ("/scenario/error/expect", test_error_expect);

  g_test_add_func ("/expect/parse/valid", test_expect_parse);
  g_test_add_func ("/expect/parse/errors", test_expect_errors);

  return g_test_run ();
}
