/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-history.h"

G_BEGIN_DECLS

/* A saved session is one .vms scenario that any `vmatlas run` accepts:
 *
 *   # vmatlas session 1
 *   machine ram=1G profile=linux-2.6.9 seed=0
 *   title "…"                      (when there is one)
 *   alloc a order=3                (every recorded op, redo branch included)
 *   …
 *   # position 12                  (ops applied when saved)
 *   # view key=value …             (one line per line of view settings)
 *
 * (Named va_session_file_* so as not to clash with the GUI's VaSession.) */

#define VA_SESSION_FILE_HEADER "# vmatlas session 1"

/* Writes the session atomically: a temporary file in @path's folder, fsync,
 * rename over @path.  On any error the temporary file is removed and an
 * existing @path is left as it was. */
gboolean    va_session_file_save    (const char            *path,
                                     const VaMachineConfig *config,
                                     const char            *title,          /* may be NULL */
                                     VaHistory             *history,
                                     const char            *view_settings,  /* key=value text, may be NULL */
                                     GError               **error);

/* Reads a saved session, boots its machine, applies every op and seeks to
 * the saved position.  A foreign or damaged file (no header, bad statement,
 * refused op, position beyond the ops) gives a "FILE:LINE:COL: …" error,
 * returns NULL and leaves @config_out and @view_settings_out untouched. */
VaHistory  *va_session_file_load    (const char            *path,
                                     VaMachineConfig       *config_out,
                                     char                 **view_settings_out,   /* may be NULL */
                                     GError               **error);

/* Reads the trailer of a session's (or any scenario's) text: the last
 * `# position N` (-1 when there is none) and the `# view` lines joined by
 * "\n" (NULL when none).  @n_ops bounds the position; a malformed or too
 * large position is a "FILE:LINE:COL: …" error. */
gboolean    va_session_file_read_trailer (const char       *filename,
                                          const char       *text,
                                          guint             n_ops,
                                          gint64           *position,
                                          char            **view_settings,
                                          GError          **error);

/* TEST HOOK, debug only (used by tests/test-history): makes the writer of
 * va_session_file_save() fail after @fail_after_bytes bytes, as a full disk
 * or a crash would; -1 turns it off.  Not thread-safe; never call it in the
 * application. */
void        va_session_file_set_write_fault (gssize         fail_after_bytes);

G_END_DECLS
