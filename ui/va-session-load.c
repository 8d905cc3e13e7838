/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-session"

#include "va-session-load.h"
#include "va-background-thread.h"
#include "va-session-file.h"

#include <string.h>

void
va_session_index_ops (const VaScenario *scenario,
                      GArray           *op_stmt)
{
  guint n = va_scenario_get_n_statements (scenario);

  g_array_set_size (op_stmt, 0);
  for (guint i = 0; i < n; i++)
    if (va_scenario_get_statement (scenario, i)->kind == VA_STMT_OP)
      g_array_append_val (op_stmt, i);
}

/* Runs every op of the scenario into a new history, learning which ones
 * fail so the timeline can mark them before they are reached, and leaves it
 * at position 0.  FALSE with @error (file:line:col) if an op is refused. */
static gboolean
build_history (VaSessionLoad *self,
               GError       **error)
{
  g_autoptr(VaHistory) h = va_history_new (&self->config, 0, error);

  if (h == NULL)
    return FALSE;
  va_machine_set_record_events (va_history_machine (h), FALSE);
  for (guint i = 0; i < self->op_stmt->len; i++)
    {
      const VaStatement *st = va_scenario_get_statement (self->scenario,
                                                         g_array_index (self->op_stmt, guint, i));
      VaOpResult result = { 0 };

      if (!va_history_apply (h, st->op, &result, error))
        {
          va_scenario_prefix_error (self->scenario, st, error);
          return FALSE;
        }
      g_array_append_val (self->op_failed, result.failed);
      g_ptr_array_add (self->op_reason, result.failed ? g_strdup (result.reason) : NULL);
      va_op_result_clear (&result);
    }
  if (!va_history_seek (h, 0, error))
    return FALSE;
  va_machine_set_record_events (va_history_machine (h), TRUE);
  self->history = g_steal_pointer (&h);
  return TRUE;
}

void
va_session_load_init (VaSessionLoad *self,
                      const char    *filename)
{
  g_return_if_fail (self != NULL);

  memset (self, 0, sizeof *self);
  self->path = g_strdup (filename);
  self->text = g_string_new (NULL);
  self->op_stmt = g_array_new (FALSE, FALSE, sizeof (guint));
  self->op_failed = g_array_new (FALSE, FALSE, sizeof (gboolean));
  self->op_reason = g_ptr_array_new_with_free_func (g_free);
  va_machine_config_init (&self->config);
}

static VaSessionLoad *
va_session_load_alloc (const char *filename)
{
  VaSessionLoad *self = g_new (VaSessionLoad, 1);

  va_session_load_init (self, filename);
  return self;
}

/* A saved session reopens where it was saved: its `# position N`. */
static gboolean
read_saved_position (VaSessionLoad *self,
                     const char    *text,
                     GError       **error)
{
  gint64 position = -1;

  if (!va_session_file_read_trailer (self->path, text, self->op_stmt->len, &position, NULL, error))
    return FALSE;
  self->saved_position = position > 0 ? (guint) position : 0;
  return TRUE;
}

/* Drops what a prepare() made, so another can start from nothing. */
static void
clear_prepared (VaSessionLoad *self)
{
  g_clear_pointer (&self->scenario, va_scenario_free);
  g_clear_pointer (&self->history, va_history_free);
  g_array_set_size (self->op_stmt, 0);
  g_array_set_size (self->op_failed, 0);
  g_ptr_array_set_size (self->op_reason, 0);
  g_string_truncate (self->text, 0);
  va_machine_config_init (&self->config);
  self->saved_position = 0;
}

static gboolean
prepare (VaSessionLoad *self,
         const char    *text,
         GError       **error)
{
  clear_prepared (self);
  self->scenario = va_scenario_parse (self->path, text, error);
  if (self->scenario == NULL || !va_scenario_apply_machine (self->scenario, &self->config, error))
    return FALSE;
  va_session_index_ops (self->scenario, self->op_stmt);
  if (!build_history (self, error) || !read_saved_position (self, text, error))
    return FALSE;
  g_string_assign (self->text, text);
  if (self->text->len > 0 && self->text->str[self->text->len - 1] != '\n')
    g_string_append_c (self->text, '\n');
  return TRUE;
}

VaSessionLoad *
va_session_load_new (const char *filename,
                     const char *text,
                     GError    **error)
{
  g_autoptr(VaSessionLoad) self = NULL;

  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  self = va_session_load_alloc (filename);
  return prepare (self, text, error) ? g_steal_pointer (&self) : NULL;
}

char *
va_session_text_with_machine (const VaScenario *scenario,
                              const char       *text,
                              const char       *machine_line)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  guint machine_at = 0;

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (machine_line != NULL, NULL);

  for (guint i = 0; i < va_scenario_get_n_statements (scenario) && machine_at == 0; i++)
    {
      const VaStatement *st = va_scenario_get_statement (scenario, i);

      if (st->kind == VA_STMT_MACHINE)
        machine_at = st->line;
    }
  if (machine_at == 0)
    g_string_append_printf (out, "%s\n", machine_line);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      if (g_str_has_prefix (lines[i], "# position"))
        continue;
      if (i + 1 == machine_at)
        g_string_append_printf (out, "%s\n", machine_line);
      else if (lines[i + 1] != NULL || lines[i][0] != '\0')
        g_string_append_printf (out, "%s\n", lines[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* @text on the machine @self->machine instead of its own, if its ops
 * still run there.  FALSE if not, or if @text has an error prepare()
 * will report. */
static gboolean
prepare_on_wanted_machine (VaSessionLoad *self,
                           const char    *text)
{
  g_autoptr(VaScenario) own = va_scenario_parse (self->path, text, NULL);
  g_autofree char *moved = NULL;
  g_autoptr(GError) error = NULL;
  gint64 position = -1;

  if (own == NULL ||
      !va_session_file_read_trailer (self->path, text, va_scenario_count_ops (own), &position, NULL, NULL))
    return FALSE;
  /* the rewrite drops the trailer: the position is read from @text */
  moved = va_session_text_with_machine (own, text, self->machine);
  if (!prepare (self, moved, &error))
    {
      g_message ("%s: not on the last machine (%s): %s", self->path, self->machine, error->message);
      return FALSE;
    }
  self->saved_position = position > 0 ? (guint) position : 0;
  return TRUE;
}

static gpointer
load_thread (gpointer data)
{
  VaSessionLoad *self = data;
  g_autofree char *text = NULL;

  if (!g_file_get_contents (self->path, &text, NULL, &self->error))
    return NULL;
  if (self->machine == NULL || !prepare_on_wanted_machine (self, text))
    prepare (self, text, &self->error);
  return NULL;
}

VaSessionLoad *
va_session_load_new_in_thread (const char *path,
                               const char *machine_line)
{
  VaSessionLoad *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = va_session_load_alloc (path);
  self->machine = g_strdup (machine_line);
  self->thread = va_background_thread_new ("vmatlas-load", load_thread, self);
  return self;
}

gboolean
va_session_load_wait (VaSessionLoad *self,
                      GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->thread)
    g_thread_join (g_steal_pointer (&self->thread));
  if (self->error)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return self->history != NULL;
}

void
va_session_load_clear (VaSessionLoad *self)
{
  g_return_if_fail (self != NULL);

  if (self->thread)
    g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->machine, g_free);
  if (self->text)
    g_string_free (g_steal_pointer (&self->text), TRUE);
  g_clear_pointer (&self->scenario, va_scenario_free);
  g_clear_pointer (&self->history, va_history_free);
  g_clear_pointer (&self->op_stmt, g_array_unref);
  g_clear_pointer (&self->op_failed, g_array_unref);
  g_clear_pointer (&self->op_reason, g_ptr_array_unref);
  g_clear_error (&self->error);
}

void
va_session_load_free (VaSessionLoad *self)
{
  if (self == NULL)
    return;
  va_session_load_clear (self);
  g_free (self);
}
