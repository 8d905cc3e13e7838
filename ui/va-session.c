/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-session"

#include "va-session.h"

#include "va-history.h"
#include "va-session-load.h"

#include <string.h>

struct _VaSession
{
  GObject          parent_instance;

  /* The scenario's text, its ops and their outcomes, and the history
   * they run in (for undo, redo and seeks): a load, swapped in whole. */
  VaSessionLoad    state;
  guint            position;
};

enum {
  CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VaSession, va_session, G_TYPE_OBJECT)

static void
va_session_finalize (GObject *object)
{
  VaSession *self = VA_SESSION (object);

  va_session_load_clear (&self->state);
  G_OBJECT_CLASS (va_session_parent_class)->finalize (object);
}

static void
va_session_class_init (VaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = va_session_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
va_session_init (VaSession *self)
{
  va_session_load_init (&self->state, NULL);
}

VaSession *
va_session_new (void)
{
  return g_object_new (VA_TYPE_SESSION, NULL);
}

/* ------------------------------------------------------------------ */
/* Replaying                                                            */

/* Moves the history to @position with the events of op @position (what the
 * narration and the animation show) on the machine: a seek to the op before
 * it, then the op again with events on. */
static const VaStatement *op_statement (VaSession *self,
                                        guint      index);

/* Past this many ops or pages a workload's events (about ten per op) are
 * not recorded when seeking onto it: its checkpoint is restored instead of
 * running it again, and the narration says what it did from the log. */
#define MAX_NARRATED_WORKLOAD 20000

static gboolean
is_big_workload (const VaOp *op)
{
  return (op->kind == VA_OP_WORKLOAD_FRAGMENT || op->kind == VA_OP_WORKLOAD_MOVABLE) &&
         op->count > MAX_NARRATED_WORKLOAD;
}

static gboolean
history_seek_with_events (VaSession *self,
                          guint      position,
                          GError   **error)
{
  VaMachine *m = va_history_machine (self->state.history);

  if (position > 0 && is_big_workload (op_statement (self, position - 1)->op))
    return va_history_seek (self->state.history, position, error);
  if (!va_history_seek (self->state.history, position ? position - 1 : 0, error))
    return FALSE;
  g_array_set_size (m->events, 0);
  if (position > 0 && !va_history_redo (self->state.history))
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID, "seek %u: the history has %u ops",
                   position, va_history_length (self->state.history));
      return FALSE;
    }
  return TRUE;
}

/* Swaps @load's prepared state in, the old state out (freed with @load). */
static void
install (VaSession     *self,
         VaSessionLoad *load)
{
  VaSessionLoad old = self->state;

  self->state = *load;
  *load = old;
  self->position = 0;
}

gboolean
va_session_install_load (VaSession     *self,
                         VaSessionLoad *load,
                         GError       **error)
{
  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (load != NULL, FALSE);

  if (!va_session_load_wait (load, error))
    return FALSE;
  install (self, load);
  if (self->state.saved_position > 0 && history_seek_with_events (self, self->state.saved_position, NULL))
    self->position = self->state.saved_position;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
va_session_load_text (VaSession  *self,
                      const char *filename,
                      const char *text,
                      GError    **error)
{
  g_autoptr(VaSessionLoad) load = NULL;

  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  /* Nothing changes on a bad file: the state is made apart, then swapped. */
  load = va_session_load_new (filename, text, error);
  return load != NULL && va_session_install_load (self, load, error);
}

gboolean
va_session_load_file (VaSession  *self,
                      const char *path,
                      GError    **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  return va_session_load_text (self, path, text, error);
}

/* ------------------------------------------------------------------ */
/* Getters                                                              */

VaMachine *
va_session_get_machine (VaSession *self)
{
  g_return_val_if_fail (VA_IS_SESSION (self), NULL);
  return self->state.history ? va_history_machine (self->state.history) : NULL;
}

const char *
va_session_get_path (VaSession *self)
{
  g_return_val_if_fail (VA_IS_SESSION (self), NULL);
  return self->state.path;
}

const char *
va_session_get_title (VaSession *self)
{
  g_return_val_if_fail (VA_IS_SESSION (self), NULL);
  return self->state.scenario ? va_scenario_get_title (self->state.scenario) : NULL;
}

guint
va_session_get_position (VaSession *self)
{
  g_return_val_if_fail (VA_IS_SESSION (self), 0);
  return self->position;
}

guint
va_session_get_n_ops (VaSession *self)
{
  g_return_val_if_fail (VA_IS_SESSION (self), 0);
  return self->state.op_stmt->len;
}

static const VaStatement *
op_statement (VaSession *self,
              guint      index)
{
  g_assert (index < self->state.op_stmt->len);
  return va_scenario_get_statement (self->state.scenario, g_array_index (self->state.op_stmt, guint, index));
}

char *
va_session_op_text (VaSession *self,
                    guint      index)
{
  g_return_val_if_fail (VA_IS_SESSION (self), NULL);
  g_return_val_if_fail (index < self->state.op_stmt->len, NULL);
  return va_op_to_vms (op_statement (self, index)->op);
}

gboolean
va_session_op_narrated (VaSession *self,
                        guint      index)
{
  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (index < self->state.op_stmt->len, FALSE);
  return !is_big_workload (op_statement (self, index)->op);
}

gboolean
va_session_op_failed (VaSession *self,
                      guint      index)
{
  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  return index < self->state.op_failed->len && g_array_index (self->state.op_failed, gboolean, index);
}

const char *
va_session_get_failure (VaSession *self)
{
  g_return_val_if_fail (VA_IS_SESSION (self), NULL);
  if (self->position == 0 || self->position > self->state.op_reason->len)
    return NULL;
  return g_ptr_array_index (self->state.op_reason, self->position - 1);
}

/* The says of the current step: at position 0 those before the first
 * `pause` (the opening slide); after op N those that introduced it since
 * the last `pause` before it. */
char *
va_session_dup_say (VaSession *self)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint from, to;

  g_return_val_if_fail (VA_IS_SESSION (self), NULL);
  if (self->state.scenario == NULL)
    return g_strdup ("");
  if (self->position == 0)
    {
      from = 0;
      to = self->state.op_stmt->len ? g_array_index (self->state.op_stmt, guint, 0)
                              : va_scenario_get_n_statements (self->state.scenario);
    }
  else
    {
      from = self->position >= 2 ? g_array_index (self->state.op_stmt, guint, self->position - 2) + 1 : 0;
      to = g_array_index (self->state.op_stmt, guint, self->position - 1);
    }
  for (guint i = from; i < to; i++)
    {
      const VaStatement *st = va_scenario_get_statement (self->state.scenario, i);

      if (st->kind == VA_STMT_PAUSE)
        {
          if (self->position == 0)
            break;
          g_string_truncate (s, 0);
        }
      else if (st->kind == VA_STMT_SAY)
        {
          if (s->len)
            g_string_append_c (s, '\n');
          g_string_append (s, st->text);
        }
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

#define MAX_EVENT_LINES 24

/* Where the last op's events begin in @events: its VA_EV_OP_BEGIN. */
static guint
last_op_start (const GArray *events)
{
  for (guint i = events->len; i > 0; i--)
    if (g_array_index (events, VaEvent, i - 1).type == VA_EV_OP_BEGIN)
      return i - 1;
  return 0;
}

char *
va_session_dup_events_text (VaSession *self)
{
  GArray *events;
  g_autoptr(GString) s = g_string_new (NULL);
  guint start;

  g_return_val_if_fail (VA_IS_SESSION (self), NULL);
  if (self->state.history == NULL || self->position == 0)
    return g_strdup ("");
  events = va_session_get_machine (self)->events;
  start = last_op_start (events);
  /* A label with thousands of lines (a workload op) costs more to lay out
   * than the whole map: show the first steps, how many were left out, and
   * the last step (the outcome). */
  for (guint i = start, shown = 0; i < events->len; i++)
    {
      g_autofree char *line = NULL;

      if (shown == MAX_EVENT_LINES && i + 1 < events->len)
        {
          g_string_append_printf (s, "\n… %u more steps (Shift+→ walks through each) …",
                                  events->len - 1 - i);
          i = events->len - 1;
        }
      line = va_event_describe (&g_array_index (events, VaEvent, i),
                                va_session_get_machine (self)->profile->has_migratetypes);
      if (s->len)
        g_string_append_c (s, '\n');
      g_string_append (s, line);
      shown++;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

GPtrArray *
va_session_dup_op_events (VaSession *self)
{
  GPtrArray *out;
  GArray *events;
  guint start;

  g_return_val_if_fail (VA_IS_SESSION (self), NULL);
  if (self->state.history == NULL || self->position == 0)
    return NULL;
  events = va_session_get_machine (self)->events;
  start = last_op_start (events);
  out = g_ptr_array_sized_new (events->len - start);
  for (guint i = start; i < events->len; i++)
    g_ptr_array_add (out, &g_array_index (events, VaEvent, i));
  return out;
}

/* Whether a `pause` statement stands between op @position - 1 and op
 * @position (before the first op for 0, after the last for n). */
static gboolean
pause_at (VaSession *self,
          guint      position)
{
  guint n = self->state.op_stmt->len;
  guint from = position > 0 ? g_array_index (self->state.op_stmt, guint, position - 1) + 1 : 0;
  guint to = position < n ? g_array_index (self->state.op_stmt, guint, position)
                          : va_scenario_get_n_statements (self->state.scenario);

  for (guint i = from; i < to; i++)
    if (va_scenario_get_statement (self->state.scenario, i)->kind == VA_STMT_PAUSE)
      return TRUE;
  return FALSE;
}

gboolean
va_session_has_pauses (VaSession *self)
{
  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  if (self->state.scenario == NULL)
    return FALSE;
  for (guint p = 0; p <= self->state.op_stmt->len; p++)
    if (pause_at (self, p))
      return TRUE;
  return FALSE;
}

guint
va_session_next_pause (VaSession *self,
                       guint      position)
{
  guint n;

  g_return_val_if_fail (VA_IS_SESSION (self), 0);
  n = self->state.op_stmt->len;
  if (self->state.scenario == NULL)
    return 0;
  for (guint p = position + 1; p < n; p++)
    if (pause_at (self, p))
      return p;
  return n;
}

guint
va_session_prev_pause (VaSession *self,
                       guint      position)
{
  g_return_val_if_fail (VA_IS_SESSION (self), 0);
  if (self->state.scenario == NULL)
    return 0;
  for (guint p = MIN (position, self->state.op_stmt->len); p > 1; p--)
    if (pause_at (self, p - 1))
      return p - 1;
  return 0;
}

const char *
va_session_get_text (VaSession *self)
{
  g_return_val_if_fail (VA_IS_SESSION (self), NULL);
  return self->state.text->str;
}

/* ------------------------------------------------------------------ */
/* Moving                                                               */

gboolean
va_session_step_forward (VaSession *self,
                         GError   **error)
{
  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  if (self->state.history == NULL || self->position >= self->state.op_stmt->len)
    return TRUE;
  /* the history holds every op of the text: from the current position the
   * seek replays just the next op (with its events, unless a big workload) */
  if (!history_seek_with_events (self, self->position + 1, error))
    return FALSE;
  self->position++;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
va_session_seek (VaSession *self,
                 guint      position,
                 GError   **error)
{
  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  if (self->state.scenario == NULL || self->state.history == NULL)
    return TRUE;
  position = MIN (position, self->state.op_stmt->len);
  if (position == self->position + 1)
    return va_session_step_forward (self, error);
  if (!history_seek_with_events (self, position, error))
    return FALSE;
  self->position = position;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
va_session_step_back (VaSession *self,
                      GError   **error)
{
  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  if (self->position == 0)
    return TRUE;
  return va_session_seek (self, self->position - 1, error);
}

/* Byte offset of the start of 1-based line @line in @text. */
static gsize
line_offset (const char *text,
             guint       line)
{
  const char *p = text;

  for (guint l = 1; l < line && *p; l++)
    {
      const char *nl = strchr (p, '\n');

      if (nl == NULL)
        return strlen (text);
      p = nl + 1;
    }
  return p - text;
}

/* Where the text is cut when an op is made at the current position: after
 * the current op's line (or, at position 0, after the machine and title
 * lines), so the statements of the dropped future go with it. */
static gsize
cut_offset (VaSession *self)
{
  guint keep_line = 0;

  if (self->position > 0)
    keep_line = op_statement (self, self->position - 1)->line;
  else
    {
      guint first_op = self->state.op_stmt->len ? g_array_index (self->state.op_stmt, guint, 0)
                                          : va_scenario_get_n_statements (self->state.scenario);

      if (self->state.op_stmt->len == 0)
        return self->state.text->len;
      for (guint i = 0; i < first_op; i++)
        {
          const VaStatement *st = va_scenario_get_statement (self->state.scenario, i);

          if (st->kind == VA_STMT_MACHINE || st->kind == VA_STMT_TITLE)
            keep_line = st->line;
        }
    }
  return line_offset (self->state.text->str, keep_line + 1);
}

gboolean
va_session_apply_op (VaSession  *self,
                     const VaOp *op,
                     GError    **error)
{
  g_autofree char *line = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(VaScenario) scenario = NULL;
  VaOpResult result = { 0 };
  GArray *events;
  guint position, before;

  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (op != NULL, FALSE);
  if (self->state.history == NULL && !va_session_load_text (self, "untitled.vms", "", error))
    return FALSE;

  /* the same op as the next one is a redo: the ops after it stay */
  if (self->position < self->state.op_stmt->len && va_op_equal (op, op_statement (self, self->position)->op))
    return va_session_step_forward (self, error);

  line = va_op_to_vms (op);
  text = g_string_new_len (self->state.text->str, cut_offset (self));
  if (text->len > 0 && text->str[text->len - 1] != '\n')
    g_string_append_c (text, '\n');
  g_string_append_printf (text, "%s\n", line);
  scenario = va_scenario_parse (self->state.path ? self->state.path : "untitled.vms", text->str, error);
  if (scenario == NULL)
    return FALSE;

  /* Refused ops leave the machine and the history as they were (the
   * current op's events included); a new op drops the ops after the
   * position (the history's redo branch too) and keeps only its events. */
  events = va_session_get_machine (self)->events;
  before = events->len;
  if (!va_history_apply (self->state.history, op, &result, error))
    return FALSE;
  g_array_remove_range (events, 0, before);

  position = self->position;
  g_array_set_size (self->state.op_failed, position);
  g_ptr_array_set_size (self->state.op_reason, position);
  g_array_append_val (self->state.op_failed, result.failed);
  g_ptr_array_add (self->state.op_reason, result.failed ? g_strdup (result.reason) : NULL);
  va_op_result_clear (&result);

  va_scenario_free (self->state.scenario);
  self->state.scenario = g_steal_pointer (&scenario);
  g_string_assign (self->state.text, text->str);
  va_session_index_ops (self->state.scenario, self->state.op_stmt);
  self->position = position + 1;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
va_session_restart (VaSession              *self,
                    const VaMachineConfig  *config,
                    gboolean               *kept_ops,
                    GError                **error)
{
  g_autofree char *line = NULL;
  g_autofree char *empty = NULL;

  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  line = va_machine_config_to_string (config);
  if (kept_ops)
    *kept_ops = FALSE;
  if (self->state.scenario != NULL)
    {
      g_autofree char *text = va_session_text_with_machine (self->state.scenario, self->state.text->str, line);
      g_autofree char *path = g_strdup (self->state.path ? self->state.path : "untitled.vms");

      if (va_session_load_text (self, path, text, NULL))
        {
          if (kept_ops)
            *kept_ops = TRUE;
          return TRUE;
        }
    }
  empty = g_strdup_printf ("%s\n", line);
  return va_session_load_text (self, "untitled.vms", empty, error);
}

/* The scenario text as run so far (interactive ops included) and the
 * current position as the `# position N` trailer `vmatlas run` honours.
 * g_file_set_contents() writes a temporary file and renames it. */
gboolean
va_session_save (VaSession  *self,
                 const char *path,
                 GError    **error)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (VA_IS_SESSION (self), FALSE);

  lines = g_strsplit (self->state.text->str, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      if (g_str_has_prefix (lines[i], "# position"))
        continue;   /* the trailer of the session this was loaded from */
      if (lines[i + 1] != NULL || lines[i][0] != '\0')
        g_string_append_printf (out, "%s\n", lines[i]);
    }
  g_string_append_printf (out, "# position %u\n", self->position);
  return g_file_set_contents (path, out->str, out->len, error);
}

gboolean
va_session_bind (VaSession **slot,
                 VaSession  *session,
                 GCallback   changed_cb,
                 gpointer    instance)
{
  g_return_val_if_fail (slot != NULL, FALSE);
  g_return_val_if_fail (session == NULL || VA_IS_SESSION (session), FALSE);
  g_return_val_if_fail (G_IS_OBJECT (instance), FALSE);

  if (*slot == session)
    return FALSE;
  if (*slot)
    g_signal_handlers_disconnect_by_data (*slot, instance);
  g_set_object (slot, session);
  if (session && changed_cb)
    g_signal_connect_object (session, "changed", changed_cb, instance, G_CONNECT_SWAPPED);
  return TRUE;
}
