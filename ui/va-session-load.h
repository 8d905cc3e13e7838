/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-history.h"
#include "va-scenario.h"

G_BEGIN_DECLS

/* A scenario made ready to be shown: parsed, its machine booted, every op
 * run once into a history (learning which fail) and the history back at
 * position 0.  This is the slow part of opening a file, and it touches
 * nothing but itself, so it can run on any thread: the explorer starts one
 * for the file it will open while GTK builds the window
 * (va_session_load_new_in_thread()), and VaSession installs the result. */
typedef struct
{
  char            *path;
  GString         *text;        /* ends with a newline unless empty */
  VaScenario      *scenario;
  VaMachineConfig  config;
  VaHistory       *history;
  GArray          *op_stmt;     /* guint: statement index of each op */
  GArray          *op_failed;   /* gboolean per op */
  GPtrArray       *op_reason;   /* char* per op, NULL if it succeeded */
  guint            saved_position; /* the text's `# position N` trailer, 0 if none */

  /* Set while a thread prepares it; va_session_load_wait() joins. */
  GThread         *thread;
  char            *machine;     /* the machine line the thread tries first, or NULL */
  GError          *error;
} VaSessionLoad;

VaSessionLoad *va_session_load_new            (const char     *filename,
                                               const char     *text,
                                               GError        **error);
/* Reads @path on a new thread and prepares it there; returns at once.
 * With @machine_line (a `machine KEY=VALUE…` statement), on that machine
 * instead of the file's own if the ops still run there, else as written. */
VaSessionLoad *va_session_load_new_in_thread  (const char     *path,
                                               const char     *machine_line);
/* Waits for the thread, if any (again: returns at once).  FALSE with
 * @error if the file could not be read or prepared. */
gboolean       va_session_load_wait           (VaSessionLoad  *self,
                                               GError        **error);
void           va_session_load_free           (VaSessionLoad  *self);
/* For a VaSessionLoad held by value (a session's current state): empty,
 * of @filename (may be NULL); and its members freed. */
void           va_session_load_init           (VaSessionLoad  *self,
                                               const char     *filename);
void           va_session_load_clear          (VaSessionLoad  *self);

/* @text with its machine statement replaced by @machine_line (put first
 * if it has none) and its `# position` trailer dropped; @scenario is
 * @text parsed. */
char          *va_session_text_with_machine   (const VaScenario *scenario,
                                               const char       *text,
                                               const char       *machine_line);

/* Fills @op_stmt with the statement index of each op of @scenario. */
void           va_session_index_ops           (const VaScenario *scenario,
                                               GArray           *op_stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaSessionLoad, va_session_load_free)

G_END_DECLS
