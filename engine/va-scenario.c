/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-scenario"

#include "va-scenario.h"
#include "va-types.h"

#include <string.h>

#define MAX_NAME_LEN    64
/* cma_alloc's align is an order, capped by CONFIG_CMA_ALIGNMENT (2..12). */
#define MAX_CMA_ALIGN   12
/* Big enough for any workload a 4 GiB machine can use, small enough that a
 * typo does not hang a classroom demo. */
#define MAX_WORKLOAD    100000000u

#define STATEMENTS "machine, title, say, pause, expect, alloc, free, kmalloc, vmalloc, " \
                   "vmalloc_32, vfree, kmap, kunmap, pin, unpin, cma_alloc, cma_release, workload"

struct _VaScenario {
  char      *filename;
  GPtrArray *statements;  /* VaStatement* */
};

/* One whitespace-separated token of a line. */
typedef struct {
  char       *text;       /* unescaped for strings */
  const char *start;      /* in the line */
  const char *end;
  guint       col;        /* 1-based character columns */
  guint       end_col;
  gboolean    quoted;
} Token;

/* Where we are while parsing one line. */
typedef struct {
  const char  *file;
  guint        line;
  const char  *line_text;
  const char  *content_end;  /* where a comment or the line ends */
  GArray      *tokens;       /* Token */
  GError     **error;
} Line;

/* What the parser remembers across lines to enforce statement order. */
typedef struct {
  guint machine_line;        /* 0 = none yet */
  guint first_op_line;       /* 0 = none yet */
} Order;

typedef enum {
  ARG_NAME,
  ARG_SIZE,
  ARG_COUNT,
  ARG_TARGET,
} ArgKind;

typedef enum {
  OPT_ORDER = 1 << 0,
  OPT_GFP   = 1 << 1,
  OPT_ALIGN = 1 << 2,
  OPT_SEED  = 1 << 3,
  OPT_OPS   = 1 << 4,
  OPT_PAGES = 1 << 5,
} OptBit;

typedef struct {
  const char *keyword;    /* the workload kind for workloads */
  VaOpKind    kind;
  const char *usage;
  guint       n_args;
  ArgKind     args[2];
  guint       options;
  guint       required;
} OpSyntax;

static const OpSyntax op_syntax[] = {
  { "alloc", VA_OP_ALLOC, "alloc NAME order=N [gfp=FLAGS]", 1, { ARG_NAME }, OPT_ORDER | OPT_GFP, OPT_ORDER },
  { "free", VA_OP_FREE, "free NAME", 1, { ARG_NAME }, 0, 0 },
  { "kmalloc", VA_OP_KMALLOC, "kmalloc NAME SIZE [gfp=FLAGS]", 2, { ARG_NAME, ARG_SIZE }, OPT_GFP, 0 },
  { "vmalloc", VA_OP_VMALLOC, "vmalloc NAME SIZE", 2, { ARG_NAME, ARG_SIZE }, 0, 0 },
  { "vmalloc_32", VA_OP_VMALLOC_32, "vmalloc_32 NAME SIZE", 2, { ARG_NAME, ARG_SIZE }, 0, 0 },
  { "vfree", VA_OP_VFREE, "vfree NAME", 1, { ARG_NAME }, 0, 0 },
  { "kmap", VA_OP_KMAP, "kmap NAME TARGET or kmap NAME TARGET[i]", 2, { ARG_NAME, ARG_TARGET }, 0, 0 },
  { "kunmap", VA_OP_KUNMAP, "kunmap NAME", 1, { ARG_NAME }, 0, 0 },
  { "pin", VA_OP_PIN, "pin NAME", 1, { ARG_NAME }, 0, 0 },
  { "unpin", VA_OP_UNPIN, "unpin NAME", 1, { ARG_NAME }, 0, 0 },
  { "cma_alloc", VA_OP_CMA_ALLOC, "cma_alloc NAME COUNT [align=N]", 2, { ARG_NAME, ARG_COUNT }, OPT_ALIGN, 0 },
  { "cma_release", VA_OP_CMA_RELEASE, "cma_release NAME", 1, { ARG_NAME }, 0, 0 },
};

static const OpSyntax workload_syntax[] = {
  { "fragment", VA_OP_WORKLOAD_FRAGMENT, "workload fragment seed=S ops=N", 0, { 0 },
    OPT_SEED | OPT_OPS, OPT_SEED | OPT_OPS },
  { "movable", VA_OP_WORKLOAD_MOVABLE, "workload movable seed=S pages=N", 0, { 0 },
    OPT_SEED | OPT_PAGES, OPT_SEED | OPT_PAGES },
};

#define WORKLOAD_USAGE "workload fragment seed=S ops=N or workload movable seed=S pages=N"

typedef struct {
  const char *key;
  OptBit      bit;
  guint64     min, max;   /* numeric options; max 0 = not numeric */
} OptionSyntax;

static const OptionSyntax option_syntax[] = {
  { "order", OPT_ORDER, 0, VA_MAX_ORDER_LIMIT - 1 },
  { "gfp",   OPT_GFP,   0, 0 },
  { "align", OPT_ALIGN, 0, MAX_CMA_ALIGN },
  { "seed",  OPT_SEED,  0, G_MAXUINT64 },
  { "ops",   OPT_OPS,   1, MAX_WORKLOAD },
  { "pages", OPT_PAGES, 1, MAX_WORKLOAD },
};

/* ------------------------------------------------------------------ */
/* Errors */

void
va_scenario_set_error (GError     **error,
                       const char  *filename,
                       guint        line,
                       guint        column,
                       const char  *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (filename != NULL && format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, VA_ERROR, VA_ERROR_INVALID, "%s:%u:%u: %s",
               filename, line, column, message);
}

static gboolean G_GNUC_PRINTF (3, 4)
fail (Line       *ln,
      guint       col,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  va_scenario_set_error (ln->error, ln->file, ln->line, col, "%s", message);
  return FALSE;
}

void
va_scenario_prefix_error (const VaScenario  *scenario,
                          const VaStatement *statement,
                          GError           **error)
{
  g_return_if_fail (scenario != NULL && statement != NULL);

  if (error == NULL || *error == NULL)
    return;
  g_prefix_error (error, "%s:%u:%u: ", scenario->filename, statement->line, statement->column);
}

/* ------------------------------------------------------------------ */
/* Statements */

static VaStatement *
statement_new (VaStatementKind kind,
               Line           *ln,
               const Token    *first)
{
  VaStatement *st = g_new0 (VaStatement, 1);

  st->kind = kind;
  st->line = ln->line;
  st->column = first->col;
  return st;
}

static void
statement_free (gpointer data)
{
  VaStatement *st = data;

  g_free (st->text);
  va_op_free (st->op);
  va_expect_free (st->expect);
  g_clear_pointer (&st->machine_keys, g_ptr_array_unref);
  g_clear_pointer (&st->machine_values, g_ptr_array_unref);
  g_clear_pointer (&st->machine_columns, g_array_unref);
  g_free (st);
}

/* ------------------------------------------------------------------ */
/* Lexing */

static guint
column_of (const Line *ln,
           const char *p)
{
  return (guint) g_utf8_pointer_to_offset (ln->line_text, p) + 1;
}

static void
token_clear (gpointer data)
{
  g_free (((Token *) data)->text);
}

static const Token *
token (const Line *ln,
       guint       i)
{
  return i < ln->tokens->len ? &g_array_index (ln->tokens, Token, i) : NULL;
}

/* Where a missing token would go: just after the last one. */
static guint
end_column (const Line *ln)
{
  const Token *last = token (ln, ln->tokens->len - 1);

  return last->end_col + 1;
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static gboolean
lex_string (Line        *ln,
            const char **pp,
            Token       *tok)
{
  const char *p = *pp + 1;
  g_autoptr(GString) s = g_string_new (NULL);

  for (;;)
    {
      if (*p == '\0')
        return fail (ln, column_of (ln, *pp), "unterminated string; expected a closing \" on the same line");
      if (*p == '"')
        break;
      if (*p == '\\')
        {
          if (p[1] != '"' && p[1] != '\\')
            return fail (ln, column_of (ln, p),
                         "unknown escape “\\%.*s”; expected \\\" or \\\\",
                         (int) (g_utf8_next_char (p + 1) - (p + 1)), p + 1);
          p++;
        }
      g_string_append_c (s, *p);
      p++;
    }
  p++;
  if (*p != '\0' && *p != '#' && !is_blank (*p))
    return fail (ln, column_of (ln, p), "unexpected text right after a string; expected a space");
  tok->quoted = TRUE;
  tok->text = g_string_free (g_steal_pointer (&s), FALSE);
  *pp = p;
  return TRUE;
}

static gboolean
lex_word (Line        *ln,
          const char **pp,
          Token       *tok)
{
  const char *p = *pp;

  while (*p != '\0' && *p != '#' && *p != '"' && !is_blank (*p))
    p++;
  if (*p == '"')
    return fail (ln, column_of (ln, p), "unexpected \" inside “%.*s”; expected a space before a string",
                 (int) (p - *pp), *pp);
  tok->text = g_strndup (*pp, p - *pp);
  *pp = p;
  return TRUE;
}

/* Splits a line into tokens and finds where its comment starts. */
static gboolean
lex_line (Line *ln)
{
  const char *p = ln->line_text;

  for (;;)
    {
      Token tok = { 0 };
      gboolean ok;

      while (is_blank (*p))
        p++;
      if (*p == '\0' || *p == '#')
        break;
      tok.start = p;
      tok.col = column_of (ln, p);
      ok = *p == '"' ? lex_string (ln, &p, &tok) : lex_word (ln, &p, &tok);
      if (!ok)
        return FALSE;
      tok.end = p;
      tok.end_col = column_of (ln, p);
      g_array_append_val (ln->tokens, tok);
    }
  ln->content_end = p;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Values */

static gboolean
is_name (const char *text,
         gsize       len)
{
  if (len == 0 || len > MAX_NAME_LEN || !(g_ascii_isalpha (text[0]) || text[0] == '_'))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '_')
      return FALSE;
  return TRUE;
}

static gboolean
is_gfp (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isalnum (*text) && *text != '_' && *text != '|')
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Ops */

static gboolean
parse_target (Line        *ln,
              const Token *tok,
              VaOp        *op,
              const char  *usage)
{
  const char *bracket = strchr (tok->text, '[');
  gsize name_len = bracket ? (gsize) (bracket - tok->text) : strlen (tok->text);
  guint64 index = 0;

  if (bracket != NULL)
    {
      g_autofree char *digits = NULL;
      gsize len = strlen (bracket);

      if (len < 3 || bracket[len - 1] != ']')
        goto bad;
      digits = g_strndup (bracket + 1, len - 2);
      if (!va_parse_uint (digits, &index) || index > G_MAXINT)
        goto bad;
    }
  if (!is_name (tok->text, name_len))
    goto bad;
  op->target = g_strndup (tok->text, name_len);
  op->target_index = bracket ? (gint) index : -1;
  return TRUE;

bad:
  return fail (ln, tok->col, "“%s” is not a target; expected %s (i: a page index)", tok->text, usage);
}

static gboolean
parse_arg (Line        *ln,
           const Token *tok,
           ArgKind      kind,
           VaOp        *op,
           const char  *usage)
{
  switch (kind)
    {
    case ARG_NAME:
      if (!is_name (tok->text, strlen (tok->text)))
        return fail (ln, tok->col,
                     "“%s” is not a name; expected %s (NAME: letters, digits and _, "
                     "not starting with a digit, at most %d characters)",
                     tok->text, usage, MAX_NAME_LEN);
      op->name = g_strdup (tok->text);
      return TRUE;
    case ARG_SIZE:
      if (!va_parse_size (tok->text, &op->size, NULL))
        return fail (ln, tok->col,
                     "“%s” is not a size; expected bytes (4096), hex (0x1000) or a K/M/G suffix (64M)",
                     tok->text);
      return TRUE;
    case ARG_COUNT:
      if (!va_parse_uint (tok->text, &op->size))
        return fail (ln, tok->col, "“%s” is not a page count; expected %s (COUNT: a number of pages)",
                     tok->text, usage);
      return TRUE;
    case ARG_TARGET:
      return parse_target (ln, tok, op, usage);
    default:
      g_assert_not_reached ();
    }
}

static const OptionSyntax *
lookup_option (const char *key,
               guint       allowed)
{
  for (guint i = 0; i < G_N_ELEMENTS (option_syntax); i++)
    if ((option_syntax[i].bit & allowed) && g_str_equal (option_syntax[i].key, key))
      return &option_syntax[i];
  return NULL;
}

static char *
allowed_options (guint allowed)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (option_syntax); i++)
    if (option_syntax[i].bit & allowed)
      g_string_append_printf (s, "%s%s=", s->len ? ", " : "", option_syntax[i].key);
  return g_string_free (s, FALSE);
}

static char *
option_range (const OptionSyntax *opt)
{
  if (opt->max == G_MAXUINT64)
    return g_strdup_printf ("%s=NUMBER", opt->key);
  return g_strdup_printf ("%s=%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, opt->key, opt->min, opt->max);
}

static gboolean
set_option (Line               *ln,
            const Token        *tok,
            const OptionSyntax *opt,
            const char         *value,
            VaOp               *op)
{
  g_autofree char *range = NULL;
  guint64 n;

  if (opt->bit == OPT_GFP)
    {
      if (!is_gfp (value))
        return fail (ln, tok->col, "“%s” is not a GFP flag list; expected gfp=FLAGS, "
                     "as in gfp=GFP_KERNEL or gfp=GFP_KERNEL|__GFP_ZERO", tok->text);
      op->gfp = g_strdup (value);
      return TRUE;
    }

  range = option_range (opt);
  if (!va_parse_uint (value, &n))
    return fail (ln, tok->col, "“%s” is not a number; expected %s", tok->text, range);
  if (n < opt->min || n > opt->max)
    return fail (ln, tok->col, "“%s” is out of range; expected %s", tok->text, range);
  switch (opt->bit)
    {
    case OPT_ORDER: op->order = (guint) n; break;
    case OPT_ALIGN: op->order = (guint) n; op->has_align = TRUE; break;
    case OPT_SEED:  op->seed = n; break;
    case OPT_OPS:
    case OPT_PAGES: op->count = n; break;
    case OPT_GFP:
    default: g_assert_not_reached ();
    }
  return TRUE;
}

static gboolean
parse_options (Line           *ln,
               guint           first,
               const OpSyntax *syntax,
               VaOp           *op)
{
  guint seen = 0;

  for (guint i = first; i < ln->tokens->len; i++)
    {
      const Token *tok = token (ln, i);
      const char *eq = strchr (tok->text, '=');
      g_autofree char *key = NULL;
      const OptionSyntax *opt;

      if (syntax->options == 0)
        return fail (ln, tok->col, "unexpected “%s”; expected the end of the line after %s",
                     tok->text, syntax->usage);
      if (eq == NULL || tok->quoted)
        return fail (ln, tok->col, "unexpected “%s”; expected %s", tok->text, syntax->usage);
      key = g_strndup (tok->text, eq - tok->text);
      opt = lookup_option (key, syntax->options);
      if (opt == NULL)
        {
          g_autofree char *allowed = allowed_options (syntax->options);
          return fail (ln, tok->col, "unknown option “%s”; expected %s (as in %s)",
                       tok->text, allowed, syntax->usage);
        }
      if (seen & opt->bit)
        return fail (ln, tok->col, "“%s” repeats %s=; expected each option once", tok->text, key);
      seen |= opt->bit;
      if (!set_option (ln, tok, opt, eq + 1, op))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (option_syntax); i++)
    if ((syntax->required & option_syntax[i].bit) && !(seen & option_syntax[i].bit))
      return fail (ln, end_column (ln), "missing %s=; expected %s", option_syntax[i].key, syntax->usage);
  return TRUE;
}

static const char *
arg_label (ArgKind kind)
{
  static const char *const labels[] = { "NAME", "SIZE", "COUNT", "TARGET" };
  return labels[kind];
}

static VaOp *
parse_op (Line           *ln,
          guint           first,
          const OpSyntax *syntax)
{
  g_autoptr(VaOp) op = va_op_new (syntax->kind);

  for (guint a = 0; a < syntax->n_args; a++)
    {
      const Token *tok = token (ln, first + a);

      if (tok == NULL)
        {
          fail (ln, end_column (ln), "missing %s; expected %s", arg_label (syntax->args[a]), syntax->usage);
          return NULL;
        }
      if (tok->quoted || strchr (tok->text, '=') != NULL)
        {
          fail (ln, tok->col, "missing %s before “%s”; expected %s",
                arg_label (syntax->args[a]), tok->text, syntax->usage);
          return NULL;
        }
      if (!parse_arg (ln, tok, syntax->args[a], op, syntax->usage))
        return NULL;
    }
  if (!parse_options (ln, first + syntax->n_args, syntax, op))
    return NULL;
  return g_steal_pointer (&op);
}

static const OpSyntax *
lookup_op (const char *keyword)
{
  for (guint i = 0; i < G_N_ELEMENTS (op_syntax); i++)
    if (g_str_equal (op_syntax[i].keyword, keyword))
      return &op_syntax[i];
  return NULL;
}

/* `workload` takes a second keyword; returns NULL with the error set. */
static const OpSyntax *
lookup_workload (Line *ln)
{
  const Token *tok = token (ln, 1);

  if (tok == NULL)
    {
      fail (ln, end_column (ln), "missing workload kind; expected " WORKLOAD_USAGE);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (workload_syntax); i++)
    if (!tok->quoted && g_str_equal (workload_syntax[i].keyword, tok->text))
      return &workload_syntax[i];
  fail (ln, tok->col, "unknown workload “%s”; expected " WORKLOAD_USAGE, tok->text);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Other statements */

static gboolean
is_machine_key (const char *key)
{
  g_auto(GStrv) keys = g_strsplit (va_machine_config_keys (), ", ", -1);

  return g_strv_contains ((const char *const *) keys, key);
}

static VaStatement *
parse_machine (Line  *ln,
               Order *order)
{
  const Token *first = token (ln, 0);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (guint));
  VaMachineConfig scratch;
  VaStatement *st;

  if (order->machine_line != 0)
    {
      fail (ln, first->col, "second machine statement (the first is on line %u); "
            "expected at most one machine statement", order->machine_line);
      return NULL;
    }
  if (order->first_op_line != 0)
    {
      fail (ln, first->col, "machine statement after the first op (line %u); "
            "expected the machine statement before any op", order->first_op_line);
      return NULL;
    }

  /* Try each option on a scratch config so a bad value is reported here,
   * with its column, instead of when the machine is built. */
  va_machine_config_init (&scratch);
  for (guint i = 1; i < ln->tokens->len; i++)
    {
      const Token *tok = token (ln, i);
      const char *eq = strchr (tok->text, '=');
      g_autofree char *key = NULL;
      g_autoptr(GError) local = NULL;

      if (tok->quoted || eq == NULL || eq == tok->text || eq[1] == '\0')
        {
          fail (ln, tok->col, "“%s” is not an option; expected KEY=VALUE with KEY one of %s",
                tok->text, va_machine_config_keys ());
          return NULL;
        }
      key = g_strndup (tok->text, eq - tok->text);
      if (!is_machine_key (key))
        {
          fail (ln, tok->col, "unknown machine option “%s”; expected KEY=VALUE with KEY one of %s",
                tok->text, va_machine_config_keys ());
          return NULL;
        }
      for (guint k = 0; k < keys->len; k++)
        if (g_str_equal (g_ptr_array_index (keys, k), key))
          {
            fail (ln, tok->col, "“%s” repeats %s=; expected each option once", tok->text, key);
            return NULL;
          }
      if (!va_machine_config_set (&scratch, key, eq + 1, &local))
        {
          fail (ln, tok->col, "%s", local->message);
          return NULL;
        }
      g_ptr_array_add (keys, g_steal_pointer (&key));
      g_ptr_array_add (values, g_strdup (eq + 1));
      g_array_append_val (columns, tok->col);
    }

  order->machine_line = ln->line;
  st = statement_new (VA_STMT_MACHINE, ln, first);
  st->machine_keys = g_steal_pointer (&keys);
  st->machine_values = g_steal_pointer (&values);
  st->machine_columns = g_steal_pointer (&columns);
  return st;
}

/* title "TEXT" and say "TEXT" */
static VaStatement *
parse_text (Line           *ln,
            VaStatementKind kind)
{
  const Token *first = token (ln, 0);
  const Token *text = token (ln, 1);
  const Token *extra = token (ln, 2);
  VaStatement *st;

  if (text == NULL)
    {
      fail (ln, end_column (ln), "missing text; expected %s \"TEXT\"", first->text);
      return NULL;
    }
  if (!text->quoted)
    {
      fail (ln, text->col, "“%s” is not in quotes; expected %s \"TEXT\"", text->text, first->text);
      return NULL;
    }
  if (extra != NULL)
    {
      fail (ln, extra->col, "unexpected “%s”; expected the end of the line after %s \"TEXT\"",
            extra->text, first->text);
      return NULL;
    }
  st = statement_new (kind, ln, first);
  st->text = g_strdup (text->text);
  return st;
}

static VaStatement *
parse_pause (Line *ln)
{
  const Token *extra = token (ln, 1);

  if (extra != NULL)
    {
      fail (ln, extra->col, "unexpected “%s”; expected the end of the line after pause", extra->text);
      return NULL;
    }
  return statement_new (VA_STMT_PAUSE, ln, token (ln, 0));
}

static VaStatement *
parse_expect (Line  *ln,
              Order *order)
{
  const Token *first = token (ln, 0);
  const Token *second = token (ln, 1);
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  VaExpect *expect;
  VaStatement *st;
  guint error_col = 0;

  if (second != NULL && ln->tokens->len == 2 && !second->quoted && g_str_equal (second->text, "fail"))
    {
      if (order->first_op_line == 0)
        {
          fail (ln, first->col, "expect fail before any op; expected an op for it to check");
          return NULL;
        }
      return statement_new (VA_STMT_EXPECT_FAIL, ln, first);
    }

  /* The expression is parsed from the raw text, not the tokens, so
   * "a.virt==b.virt+8K" needs no spaces. */
  text = g_strndup (first->end, ln->content_end - first->end);
  expect = va_expect_parse (text, &error_col, &local);
  if (expect == NULL)
    {
      fail (ln, column_of (ln, first->end + error_col), "%s", local->message);
      return NULL;
    }
  st = statement_new (VA_STMT_EXPECT, ln, first);
  st->expect = expect;
  st->text = g_strdup (g_strstrip (text));
  return st;
}

static VaStatement *
parse_statement (Line  *ln,
                 Order *order)
{
  const Token *first = token (ln, 0);
  const OpSyntax *syntax;
  VaStatement *st;
  VaOp *op;
  guint args_at = 1;

  if (first->quoted)
    {
      fail (ln, first->col, "unexpected string; expected a statement: one of " STATEMENTS);
      return NULL;
    }
  if (g_str_equal (first->text, "machine"))
    return parse_machine (ln, order);
  if (g_str_equal (first->text, "title"))
    return parse_text (ln, VA_STMT_TITLE);
  if (g_str_equal (first->text, "say"))
    return parse_text (ln, VA_STMT_SAY);
  if (g_str_equal (first->text, "pause"))
    return parse_pause (ln);
  if (g_str_equal (first->text, "expect"))
    return parse_expect (ln, order);

  if (g_str_equal (first->text, "workload"))
    {
      syntax = lookup_workload (ln);
      if (syntax == NULL)
        return NULL;
      args_at = 2;
    }
  else if ((syntax = lookup_op (first->text)) == NULL)
    {
      fail (ln, first->col, "unknown statement “%s”; expected one of " STATEMENTS, first->text);
      return NULL;
    }

  op = parse_op (ln, args_at, syntax);
  if (op == NULL)
    return NULL;
  if (order->first_op_line == 0)
    order->first_op_line = ln->line;
  st = statement_new (VA_STMT_OP, ln, first);
  st->op = op;
  return st;
}

/* ------------------------------------------------------------------ */
/* Files */

static gboolean
check_utf8 (const char  *filename,
            const char  *text,
            GError     **error)
{
  const char *bad, *line_start = text;
  guint line = 1;

  if (g_utf8_validate (text, -1, &bad))
    return TRUE;
  for (const char *p = text; p < bad; p++)
    if (*p == '\n')
      {
        line++;
        line_start = p + 1;
      }
  va_scenario_set_error (error, filename, line,
                         (guint) g_utf8_pointer_to_offset (line_start, bad) + 1,
                         "invalid UTF-8; expected UTF-8 text");
  return FALSE;
}

VaScenario *
va_scenario_parse (const char  *filename,
                   const char  *text,
                   GError     **error)
{
  g_autoptr(VaScenario) scenario = NULL;
  g_autoptr(GArray) tokens = NULL;
  Order order = { 0 };
  const char *p = text;

  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_utf8 (filename, text, error))
    return NULL;

  scenario = g_new0 (VaScenario, 1);
  scenario->filename = g_strdup (filename);
  scenario->statements = g_ptr_array_new_with_free_func (statement_free);
  tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_array_set_clear_func (tokens, token_clear);

  for (guint line = 1; *p != '\0'; line++)
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl ? (gsize) (nl - p) : strlen (p);
      g_autofree char *line_text = NULL;
      Line ln = { filename, line, NULL, NULL, tokens, error };
      VaStatement *st;

      if (len > 0 && p[len - 1] == '\r')
        line_text = g_strndup (p, len - 1);
      else
        line_text = g_strndup (p, len);
      p = nl ? nl + 1 : p + len;

      ln.line_text = line_text;
      g_array_set_size (tokens, 0);
      if (!lex_line (&ln))
        return NULL;
      if (tokens->len == 0)
        continue;
      st = parse_statement (&ln, &order);
      if (st == NULL)
        return NULL;
      g_ptr_array_add (scenario->statements, st);
    }
  return g_steal_pointer (&scenario);
}

VaScenario *
va_scenario_load (const char  *path,
                  GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      g_set_error_literal (error, VA_ERROR, VA_ERROR_IO, local->message);
      return NULL;
    }
  return va_scenario_parse (path, text, error);
}

void
va_scenario_free (VaScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free (scenario->filename);
  g_clear_pointer (&scenario->statements, g_ptr_array_unref);
  g_free (scenario);
}

/* ------------------------------------------------------------------ */
/* Accessors */

const char *
va_scenario_get_filename (const VaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);

  return scenario->filename;
}

guint
va_scenario_get_n_statements (const VaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, 0);

  return scenario->statements->len;
}

const VaStatement *
va_scenario_get_statement (const VaScenario *scenario,
                           guint             index)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (index < scenario->statements->len, NULL);

  return g_ptr_array_index (scenario->statements, index);
}

const char *
va_scenario_get_title (const VaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);

  for (guint i = 0; i < scenario->statements->len; i++)
    {
      const VaStatement *st = g_ptr_array_index (scenario->statements, i);

      if (st->kind == VA_STMT_TITLE)
        return st->text;
    }
  return NULL;
}

guint
va_scenario_count_ops (const VaScenario *scenario)
{
  guint n = 0;

  g_return_val_if_fail (scenario != NULL, 0);

  for (guint i = 0; i < scenario->statements->len; i++)
    if (((const VaStatement *) g_ptr_array_index (scenario->statements, i))->kind == VA_STMT_OP)
      n++;
  return n;
}

gboolean
va_scenario_apply_machine (const VaScenario *scenario,
                           VaMachineConfig  *config,
                           GError          **error)
{
  VaMachineConfig copy;
  const VaStatement *machine = NULL;
  const VaStatement *first_op = NULL;

  g_return_val_if_fail (scenario != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The parser already enforces this order; statements are public, so
   * check again rather than apply a machine to a half-run scenario. */
  copy = *config;
  for (guint i = 0; i < scenario->statements->len; i++)
    {
      const VaStatement *st = g_ptr_array_index (scenario->statements, i);

      if (st->kind == VA_STMT_OP && first_op == NULL)
        first_op = st;
      if (st->kind != VA_STMT_MACHINE)
        continue;
      if (machine != NULL || first_op != NULL)
        {
          va_scenario_set_error (error, scenario->filename, st->line, st->column,
                                 "machine statement after %s (line %u); expected one machine "
                                 "statement before any op",
                                 machine ? "another machine statement" : "the first op",
                                 machine ? machine->line : first_op->line);
          return FALSE;
        }
      machine = st;
      for (guint k = 0; k < st->machine_keys->len; k++)
        {
          g_autoptr(GError) local = NULL;

          if (!va_machine_config_set (&copy, g_ptr_array_index (st->machine_keys, k),
                                      g_ptr_array_index (st->machine_values, k), &local))
            {
              va_scenario_set_error (error, scenario->filename, st->line,
                                     g_array_index (st->machine_columns, guint, k),
                                     "%s", local->message);
              return FALSE;
            }
        }
    }
  *config = copy;
  return TRUE;
}
