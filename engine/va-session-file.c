/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Saved sessions: the history written back as a .vms scenario with a
 * position and view trailer, saved atomically and loaded with checks. */
#define G_LOG_DOMAIN "va-session-file"

#include "va-session-file.h"
#include "va-scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static gssize write_fault = -1;

void
va_session_file_set_write_fault (gssize fail_after_bytes)
{
  write_fault = fail_after_bytes;
}

/*** Saving ***/

static void
append_quoted (GString    *s,
               const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p == '\n' || *p == '\r' ? ' ' : *p);
    }
  g_string_append_c (s, '"');
}

static char *
session_text (const VaMachineConfig *config,
              const char            *title,
              VaHistory             *history,
              const char            *view_settings)
{
  GString *s = g_string_new (VA_SESSION_FILE_HEADER "\n");
  g_autofree char *machine = va_machine_config_to_string (config);
  guint n = va_history_length (history);

  g_string_append_printf (s, "%s\n", machine);
  if (title && *title)
    {
      g_string_append (s, "title ");
      append_quoted (s, title);
      g_string_append_c (s, '\n');
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VaOp) op = va_history_get_op (history, i);
      g_autofree char *line = va_op_to_vms (op);

      g_string_append_printf (s, "%s\n", line);
    }
  g_string_append_printf (s, "# position %u\n", va_history_position (history));
  if (view_settings)
    {
      g_auto(GStrv) lines = g_strsplit (view_settings, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        if (*g_strstrip (lines[i]))
          g_string_append_printf (s, "# view %s\n", lines[i]);
    }
  return g_string_free (s, FALSE);
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len,
           const char  *tmp_path,
           GError     **error)
{
  gsize done = 0;

  while (done < len)
    {
      gsize chunk = len - done;
      gssize n;

      if (write_fault >= 0 && done + chunk > (gsize) write_fault)
        {
          chunk = (gsize) write_fault > done ? (gsize) write_fault - done : 0;
          if (chunk == 0)
            {
              g_set_error (error, VA_ERROR, VA_ERROR_IO,
                           "%s: write failed after %" G_GSIZE_FORMAT " bytes (simulated fault)",
                           tmp_path, done);
              return FALSE;
            }
        }
      n = write (fd, data + done, chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, VA_ERROR, VA_ERROR_IO, "%s: %s", tmp_path, g_strerror (saved));
          return FALSE;
        }
      done += n;
    }
  return TRUE;
}

/* Makes the rename itself durable; best effort (not every file system
 * lets a folder be opened for fsync). */
static void
sync_folder (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

gboolean
va_session_file_save (const char             *path,
                      const VaMachineConfig  *config,
                      const char             *title,
                      VaHistory              *history,
                      const char             *view_settings,
                      GError                **error)
{
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_path = NULL;
  int fd;
  int saved;

  g_return_val_if_fail (path != NULL && config != NULL && history != NULL, FALSE);

  text = session_text (config, title, history, view_settings);
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0666);   /* umask applies */
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, VA_ERROR, VA_ERROR_IO, "%s: cannot create a temporary file in %s: %s",
                   path, dir, g_strerror (saved));
      return FALSE;
    }
  if (!write_all (fd, text, strlen (text), tmp_path, error))
    goto fail;
  if (fsync (fd) != 0)
    {
      saved = errno;
      g_set_error (error, VA_ERROR, VA_ERROR_IO, "%s: fsync: %s", tmp_path, g_strerror (saved));
      goto fail;
    }
  if (close (fd) != 0)
    {
      saved = errno;
      fd = -1;
      g_set_error (error, VA_ERROR, VA_ERROR_IO, "%s: close: %s", tmp_path, g_strerror (saved));
      goto fail;
    }
  fd = -1;
  if (g_rename (tmp_path, path) != 0)
    {
      saved = errno;
      g_set_error (error, VA_ERROR, VA_ERROR_IO, "%s: cannot replace it: %s", path,
                   g_strerror (saved));
      goto fail;
    }
  sync_folder (dir);
  return TRUE;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return FALSE;
}

/*** Loading ***/

gboolean
va_session_file_read_trailer (const char  *filename,
                              const char  *text,
                              guint        n_ops,
                              gint64      *position,
                              char       **view_settings,
                              GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) view = NULL;
  gint64 pos = -1;

  for (guint i = 0; lines[i]; i++)
    {
      const char *l = lines[i];
      gsize len = strlen (l);

      if (len && l[len - 1] == '\r')
        lines[i][--len] = '\0';
      if (g_str_has_prefix (l, "# position"))
        {
          const char *v = l + strlen ("# position");
          guint64 n;

          while (*v == ' ' || *v == '\t')
            v++;
          if (!va_parse_uint (v, &n))
            {
              va_scenario_set_error (error, filename, i + 1, v - l + 1,
                                     "“%s” is not a position; expected # position N (ops applied)",
                                     v);
              return FALSE;
            }
          if (n > n_ops)
            {
              va_scenario_set_error (error, filename, i + 1, v - l + 1,
                                     "position %" G_GUINT64_FORMAT " is beyond the %u ops of the session",
                                     n, n_ops);
              return FALSE;
            }
          pos = n;
        }
      else if (g_str_has_prefix (l, "# view "))
        {
          if (view == NULL)
            view = g_string_new (NULL);
          else
            g_string_append_c (view, '\n');
          g_string_append (view, l + strlen ("# view "));
        }
    }
  *position = pos;
  if (view_settings)
    *view_settings = view ? g_string_free (g_steal_pointer (&view), FALSE) : NULL;
  return TRUE;
}

VaHistory *
va_session_file_load (const char       *path,
                      VaMachineConfig  *config_out,
                      char            **view_settings_out,
                      GError          **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(VaScenario) scenario = NULL;
  g_autoptr(VaHistory) history = NULL;
  g_autofree char *view = NULL;
  VaMachineConfig config;
  gint64 position;
  gsize len;
  guint n;

  g_return_val_if_fail (path != NULL && config_out != NULL, NULL);

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, VA_ERROR, VA_ERROR_IO, "%s", local->message);
      return NULL;
    }
  if (!g_str_has_prefix (text, VA_SESSION_FILE_HEADER) ||
      (text[strlen (VA_SESSION_FILE_HEADER)] != '\n' && text[strlen (VA_SESSION_FILE_HEADER)] != '\r'))
    {
      va_scenario_set_error (error, path, 1, 1,
                             "not a VM Atlas session; expected “" VA_SESSION_FILE_HEADER
                             "” on the first line");
      return NULL;
    }
  if (memchr (text, '\0', len) != NULL || !g_utf8_validate (text, len, NULL))
    {
      va_scenario_set_error (error, path, 1, 1, "the file is damaged (not UTF-8 text)");
      return NULL;
    }
  if (!(scenario = va_scenario_parse (path, text, error)))
    return NULL;
  va_machine_config_init (&config);
  if (!va_scenario_apply_machine (scenario, &config, error) ||
      !va_machine_config_validate (&config, error))
    return NULL;
  n = va_scenario_count_ops (scenario);
  if (!va_session_file_read_trailer (path, text, n, &position, &view, error))
    return NULL;
  if (!(history = va_history_new (&config, 0, error)))
    return NULL;
  for (guint i = 0; i < va_scenario_get_n_statements (scenario); i++)
    {
      const VaStatement *st = va_scenario_get_statement (scenario, i);
      VaOpResult result = { 0 };

      if (st->kind != VA_STMT_OP)
        continue;
      if (!va_history_apply (history, st->op, &result, error))
        {
          va_scenario_prefix_error (scenario, st, error);
          return NULL;
        }
      va_op_result_clear (&result);
    }
  if (position >= 0 && !va_history_seek (history, position, error))
    return NULL;
  *config_out = config;
  if (view_settings_out)
    *view_settings_out = g_steal_pointer (&view);
  return g_steal_pointer (&history);
}
