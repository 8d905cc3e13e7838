/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib-object.h>

#include "va-machine.h"
#include "va-scenario.h"
#include "va-session-load.h"

G_BEGIN_DECLS

#define VA_TYPE_SESSION (va_session_get_type ())

G_DECLARE_FINAL_TYPE (VaSession, va_session, VA, SESSION, GObject)

/* What the window shows and edits: a scenario's text (statements, plus the
 * ops made interactively, appended as .vms lines), the machine it runs on,
 * and the position (ops applied).  Emits "changed" after every load, step,
 * seek or interactive op. */
VaSession         *va_session_new               (void);

gboolean           va_session_load_file         (VaSession    *self,
                                                 const char   *path,
                                                 GError      **error);
/* Installs a load prepared apart (waiting for its thread if it has one):
 * FALSE with its @error, and nothing changed, if it failed. */
gboolean           va_session_install_load      (VaSession     *self,
                                                 VaSessionLoad *load,
                                                 GError       **error);
gboolean           va_session_load_text         (VaSession    *self,
                                                 const char   *filename,
                                                 const char   *text,
                                                 GError      **error);

VaMachine         *va_session_get_machine       (VaSession    *self);
const char        *va_session_get_path          (VaSession    *self);
const char        *va_session_get_title         (VaSession    *self);
guint              va_session_get_position      (VaSession    *self);
guint              va_session_get_n_ops         (VaSession    *self);
/* The op at @index (0-based) as a .vms statement, and whether it failed
 * (known for every op: a load runs the scenario once to find out). */
char              *va_session_op_text           (VaSession    *self,
                                                 guint         index);
gboolean           va_session_op_failed         (VaSession    *self,
                                                 guint         index);
/* Whether the micro-steps of op @index are recorded when it is reached:
 * not for workloads of more than 20000 ops or pages (a seek onto one
 * restores the checkpoint after it instead of running it again). */
gboolean           va_session_op_narrated       (VaSession    *self,
                                                 guint         index);
/* The scenario's `say` text for the current step (lines joined by "\n";
 * "" when none), and the current op's micro-events in words. */
char              *va_session_dup_say           (VaSession    *self);
char              *va_session_dup_events_text   (VaSession    *self);
/* The current op's micro-events, in order, or NULL at position 0: a new
 * array (unref it) of pointers into the machine's events, valid until the
 * next "changed". */
GPtrArray         *va_session_dup_op_events     (VaSession    *self);
/* Positions where a `pause` statement stops the scenario: after the ops
 * before it.  The next after @position (or the number of ops when no
 * pause follows) and the previous before it (or 0). */
gboolean           va_session_has_pauses        (VaSession    *self);
guint              va_session_next_pause        (VaSession    *self,
                                                 guint         position);
guint              va_session_prev_pause        (VaSession    *self,
                                                 guint         position);
/* Why the current op failed, or NULL. */
const char        *va_session_get_failure       (VaSession    *self);

gboolean           va_session_step_forward      (VaSession    *self,
                                                 GError      **error);
gboolean           va_session_step_back         (VaSession    *self,
                                                 GError      **error);
gboolean           va_session_seek              (VaSession    *self,
                                                 guint         position,
                                                 GError      **error);
/* Applies @op at the current position.  An op the machine refuses (unknown
 * name, double free, missing feature) returns FALSE with @error and changes
 * nothing.  Otherwise the ops after the position are dropped, @op is
 * appended to the text, and the position moves past it. */
gboolean           va_session_apply_op          (VaSession    *self,
                                                 const VaOp   *op,
                                                 GError      **error);
/* Starts a fresh machine of @config: the text with its `machine` line
 * replaced, at position 0, when its ops still apply to it (*@kept_ops
 * TRUE); otherwise an empty session on that machine.  FALSE with @error,
 * and nothing changed, when the machine cannot boot. */
gboolean           va_session_restart           (VaSession              *self,
                                                 const VaMachineConfig  *config,
                                                 gboolean               *kept_ops,
                                                 GError                **error);
/* For the widgets that show a session and follow its "changed": points
 * *@slot at @session (a reference of its own, or NULL to let go, as in
 * destroy) and moves @instance's handlers from the session before to it,
 * connecting @changed_cb (called swapped, on @instance) when not NULL.
 * FALSE, nothing done, when *@slot is @session already. */
gboolean           va_session_bind              (VaSession   **slot,
                                                 VaSession    *session,
                                                 GCallback     changed_cb,
                                                 gpointer      instance);
/* The session as .vms text (machine, title, statements, interactive ops). */
const char        *va_session_get_text          (VaSession    *self);
gboolean           va_session_save              (VaSession    *self,
                                                 const char   *path,
                                                 GError      **error);

G_END_DECLS
