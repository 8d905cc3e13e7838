/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-expect"

#include "va-expect.h"
#include "va-config.h"
#include "va-machine.h"

#include <string.h>

typedef enum {
  CMP_EQ,
  CMP_NE,
  CMP_LT,
  CMP_LE,
  CMP_GT,
  CMP_GE,
} CmpOp;

static const char *const cmp_names[] = { "==", "!=", "<", "<=", ">", ">=" };

#define EXPECTED_CMP "expected one of == != < <= > >="
#define EXPECTED_TERM "expected a number (42, 0x1000), a size (8K) or a name (a.virt, zone.Normal.free)"

typedef struct {
  gboolean negative;  /* subtracted from the sum */
  char    *path;      /* resolved by the machine; NULL for a literal */
  gint64   value;     /* the literal's value */
  char    *text;      /* as written, for va_expect_to_string() */
} Term;

struct _VaExpect {
  GArray *sides[2];   /* Term: left, right */
  CmpOp   op;
};

typedef struct {
  const char  *text;
  const char  *p;
  guint        error_col;
  GError     **error;
} Parser;

static void
term_clear (gpointer data)
{
  Term *term = data;

  g_free (term->path);
  g_free (term->text);
}

static GArray *
side_new (void)
{
  GArray *side = g_array_new (FALSE, TRUE, sizeof (Term));

  g_array_set_clear_func (side, term_clear);
  return side;
}

void
va_expect_free (VaExpect *expect)
{
  if (expect == NULL)
    return;
  g_clear_pointer (&expect->sides[0], g_array_unref);
  g_clear_pointer (&expect->sides[1], g_array_unref);
  g_free (expect);
}

static gboolean G_GNUC_PRINTF (3, 4)
fail_at (Parser     *parser,
         const char *where,
         const char *fmt,
         ...)
{
  va_list args;
  char *message;

  va_start (args, fmt);
  message = g_strdup_vprintf (fmt, args);
  va_end (args);
  parser->error_col = (guint) (where - parser->text);
  g_set_error_literal (parser->error, VA_ERROR, VA_ERROR_INVALID, message);
  g_free (message);
  return FALSE;
}

static void
skip_space (Parser *parser)
{
  while (g_ascii_isspace (*parser->p))
    parser->p++;
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* The extent of a non-blank run, for quoting the offending text. */
static char *
word_at (const char *p)
{
  const char *end = p;

  if (*end == '\0')
    return g_strdup ("end of line");
  while (*end != '\0' && !g_ascii_isspace (*end))
    end++;
  return g_strndup (p, end - p);
}

static gboolean
parse_literal (Parser *parser,
               Term   *term)
{
  const char *start = parser->p;
  guint64 size;

  /* Take "1.5M" whole so the message quotes all of it. */
  while (is_word_char (*parser->p) || *parser->p == '.')
    parser->p++;
  term->text = g_strndup (start, parser->p - start);
  /* a plain number, else a size literal (8K, 1M) */
  if ((va_parse_uint (term->text, &size) || va_parse_size (term->text, &size, NULL)) &&
      size <= G_MAXINT64)
    {
      term->value = (gint64) size;
      return TRUE;
    }
  return fail_at (parser, start, "“%s” is not a number or size; %s",
                  term->text, EXPECTED_TERM);
}

/* ident ('.' ident)* ('[' N ']')? — kept as one string, exactly as written,
 * because va_machine_query() takes the whole path. */
static gboolean
parse_path (Parser *parser,
            Term   *term)
{
  const char *start = parser->p;

  for (;;)
    {
      if (!g_ascii_isalpha (*parser->p) && *parser->p != '_')
        return fail_at (parser, parser->p, "“%.*s” is not a complete name; expected a name after “.”",
                        (int) (parser->p - start), start);
      while (is_word_char (*parser->p))
        parser->p++;
      if (*parser->p != '.')
        break;
      parser->p++;
    }
  if (*parser->p == '[')
    {
      const char *index = ++parser->p;

      while (g_ascii_isdigit (*parser->p))
        parser->p++;
      if (parser->p == index || *parser->p != ']')
        return fail_at (parser, index, "“%.*s” has no index; expected [N] with N a number, as in buddyinfo.Normal[3]",
                        (int) (parser->p - start), start);
      parser->p++;
    }
  if (is_word_char (*parser->p) || *parser->p == '.' || *parser->p == '[')
    return fail_at (parser, parser->p, "unexpected “%c” after “%.*s”; expected an operator",
                    *parser->p, (int) (parser->p - start), start);
  term->path = g_strndup (start, parser->p - start);
  term->text = g_strdup (term->path);
  return TRUE;
}

static gboolean
parse_term (Parser *parser,
            Term   *term)
{
  skip_space (parser);
  if (g_ascii_isdigit (*parser->p))
    return parse_literal (parser, term);
  if (g_ascii_isalpha (*parser->p) || *parser->p == '_')
    return parse_path (parser, term);
  if (*parser->p == '\0')
    return fail_at (parser, parser->p, "missing value; %s", EXPECTED_TERM);
  {
    g_autofree char *word = word_at (parser->p);
    return fail_at (parser, parser->p, "“%s” is not a value; %s", word, EXPECTED_TERM);
  }
}

/* sum := ['-'] term (('+'|'-') term)* */
static GArray *
parse_sum (Parser *parser)
{
  g_autoptr(GArray) side = side_new ();
  gboolean negative = FALSE;

  skip_space (parser);
  if (*parser->p == '-')
    {
      negative = TRUE;
      parser->p++;
    }
  for (;;)
    {
      Term term = { .negative = negative };

      if (!parse_term (parser, &term))
        {
          term_clear (&term);
          return NULL;
        }
      g_array_append_val (side, term);
      skip_space (parser);
      if (*parser->p != '+' && *parser->p != '-')
        break;
      negative = *parser->p == '-';
      parser->p++;
    }
  return g_steal_pointer (&side);
}

static gboolean
parse_cmp (Parser *parser,
           CmpOp  *op)
{
  const char *p;

  skip_space (parser);
  p = parser->p;
  if (p[0] == '=' && p[1] == '=')
    *op = CMP_EQ;
  else if (p[0] == '!' && p[1] == '=')
    *op = CMP_NE;
  else if (p[0] == '<' && p[1] == '=')
    *op = CMP_LE;
  else if (p[0] == '>' && p[1] == '=')
    *op = CMP_GE;
  else if (p[0] == '<')
    *op = CMP_LT;
  else if (p[0] == '>')
    *op = CMP_GT;
  else if (p[0] == '\0')
    return fail_at (parser, p, "missing comparison; " EXPECTED_CMP);
  else
    {
      g_autofree char *word = word_at (p);
      return fail_at (parser, p, "“%s” is not a comparison; " EXPECTED_CMP, word);
    }
  parser->p += strlen (cmp_names[*op]);
  return TRUE;
}

VaExpect *
va_expect_parse (const char  *text,
                 guint       *error_col,
                 GError     **error)
{
  g_autoptr(VaExpect) expect = NULL;
  Parser parser = { text, text, 0, error };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  expect = g_new0 (VaExpect, 1);
  skip_space (&parser);
  if (*parser.p == '\0')
    fail_at (&parser, parser.p, "missing expression; expected LEFT OP RIGHT, as in b.virt == a.virt + 8K");
  else if ((expect->sides[0] = parse_sum (&parser)) != NULL &&
           parse_cmp (&parser, &expect->op) &&
           (expect->sides[1] = parse_sum (&parser)) != NULL)
    {
      skip_space (&parser);
      if (*parser.p == '\0')
        return g_steal_pointer (&expect);
      g_autofree char *word = word_at (parser.p);
      fail_at (&parser, parser.p, "unexpected “%s” after the expression; expected + or - or the end of the line",
               word);
    }
  if (error_col != NULL)
    *error_col = parser.error_col;
  return NULL;
}

static void
append_side (GString      *s,
             const GArray *side)
{
  for (guint i = 0; i < side->len; i++)
    {
      const Term *term = &g_array_index (side, Term, i);

      if (i > 0)
        g_string_append (s, term->negative ? " - " : " + ");
      else if (term->negative)
        g_string_append_c (s, '-');
      g_string_append (s, term->text);
    }
}

char *
va_expect_to_string (const VaExpect *expect)
{
  GString *s;

  g_return_val_if_fail (expect != NULL, NULL);

  s = g_string_new (NULL);
  append_side (s, expect->sides[0]);
  g_string_append_printf (s, " %s ", cmp_names[expect->op]);
  append_side (s, expect->sides[1]);
  return g_string_free (s, FALSE);
}

static gboolean
checked_add (gint64  a,
             gint64  b,
             gint64 *out)
{
  if ((b > 0 && a > G_MAXINT64 - b) || (b < 0 && a < G_MININT64 - b))
    return FALSE;
  *out = a + b;
  return TRUE;
}

static gboolean
eval_side (const GArray *side,
           VaMachine    *machine,
           gint64       *out,
           GError      **error)
{
  gint64 sum = 0;

  for (guint i = 0; i < side->len; i++)
    {
      const Term *term = &g_array_index (side, Term, i);
      gint64 value = term->value;

      if (term->path != NULL && !va_machine_query (machine, term->path, &value, error))
        return FALSE;
      /* -G_MININT64 does not exist; subtracting it always overflows here. */
      if (term->negative && value == G_MININT64)
        goto overflow;
      if (!checked_add (sum, term->negative ? -value : value, &sum))
        goto overflow;
      continue;

    overflow:
      {
        g_autoptr(GString) s = g_string_new (NULL);

        append_side (s, side);
        g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                     "“%s” overflows a signed 64-bit integer; expected values that fit in 64 bits",
                     s->str);
        return FALSE;
      }
    }
  *out = sum;
  return TRUE;
}

/* Addresses read better in hex; counters and zone numbers in decimal. */
static gboolean
side_is_address (const GArray *side)
{
  for (guint i = 0; i < side->len; i++)
    {
      const char *path = g_array_index (side, Term, i).path;

      if (path != NULL &&
          (strstr (path, "virt") != NULL || strstr (path, "phys") != NULL ||
           g_str_has_prefix (path, "layout.")))
        return TRUE;
    }
  return FALSE;
}

static void
append_value (GString  *s,
              gint64    value,
              gboolean  hex)
{
  if (!hex)
    g_string_append_printf (s, "%" G_GINT64_FORMAT, value);
  else if (value < 0)
    g_string_append_printf (s, "-0x%" G_GINT64_MODIFIER "x (%" G_GINT64_FORMAT ")",
                            -(guint64) value, value);
  else
    g_string_append_printf (s, "0x%" G_GINT64_MODIFIER "x (%" G_GINT64_FORMAT ")",
                            (guint64) value, value);
}

static gboolean
compare (CmpOp  op,
         gint64 left,
         gint64 right)
{
  switch (op)
    {
    case CMP_EQ: return left == right;
    case CMP_NE: return left != right;
    case CMP_LT: return left < right;
    case CMP_LE: return left <= right;
    case CMP_GT: return left > right;
    case CMP_GE: return left >= right;
    default: g_assert_not_reached ();
    }
}

gboolean
va_expect_eval (const VaExpect  *expect,
                VaMachine       *machine,
                gboolean        *holds,
                char           **explanation,
                GError         **error)
{
  gint64 left, right;

  g_return_val_if_fail (expect != NULL, FALSE);
  g_return_val_if_fail (machine != NULL, FALSE);
  g_return_val_if_fail (holds != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!eval_side (expect->sides[0], machine, &left, error) ||
      !eval_side (expect->sides[1], machine, &right, error))
    return FALSE;
  *holds = compare (expect->op, left, right);
  if (explanation != NULL)
    {
      gboolean hex = side_is_address (expect->sides[0]) || side_is_address (expect->sides[1]);
      g_autofree char *text = va_expect_to_string (expect);
      GString *s = g_string_new (text);

      g_string_append (s, ": left ");
      append_value (s, left, hex);
      g_string_append (s, ", right ");
      append_value (s, right, hex);
      *explanation = g_string_free (s, FALSE);
    }
  return TRUE;
}
