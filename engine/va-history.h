/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"

G_BEGIN_DECLS

/* The op log of one machine, with checkpoints: undo, redo and seek land on
 * exactly the state a fresh replay from boot reaches. */
typedef struct _VaHistory VaHistory;

VaHistory  *va_history_new          (const VaMachineConfig *config,
                                     guint                  checkpoint_interval,  /* 0: tuned */
                                     GError               **error);
void        va_history_free         (VaHistory             *history);

/* The machine at the current position; owned by the history. */
VaMachine  *va_history_machine      (VaHistory             *history);
guint       va_history_position     (const VaHistory       *history);   /* ops applied */
guint       va_history_length       (const VaHistory       *history);   /* ops recorded */

/* Applies @op at the current position.  Ops after it (the redo branch) are
 * dropped, unless @op is the same as the next recorded one: then it is a redo. */
gboolean    va_history_apply        (VaHistory             *history,
                                     const VaOp            *op,
                                     VaOpResult            *result,
                                     GError               **error);
gboolean    va_history_undo         (VaHistory             *history);
gboolean    va_history_redo         (VaHistory             *history);
/* Seeks to the state after op @position (0 = just booted). */
gboolean    va_history_seek         (VaHistory             *history,
                                     guint                  position,
                                     GError               **error);
/* Seeks into op @op (1-based): the state before it, and @micro of its
 * events replayed for the view (the engine applies an op as one step). */
gboolean    va_history_seek_micro   (VaHistory             *history,
                                     guint                  op,
                                     guint                  micro,
                                     GError               **error);
/* The events of op @op (1-based), recomputed by replaying it. */
GArray     *va_history_op_events    (VaHistory             *history,
                                     guint                  op,
                                     GError               **error);

VaOp       *va_history_get_op       (const VaHistory       *history,
                                     guint                  index);   /* 0-based; free it */
guint       va_history_checkpoints  (const VaHistory       *history);
guint       va_history_interval     (const VaHistory       *history);
guint64     va_history_log_bytes    (const VaHistory       *history);  /* the op log, without checkpoints */
guint64     va_history_checkpoint_bytes (const VaHistory   *history);
/* Checkpoints beyond @bytes are thinned out (the interval doubles); the
 * default is 768 MiB plus twice the machine's frames. */
void        va_history_set_checkpoint_budget (VaHistory    *history,
                                              guint64       bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaHistory, va_history_free)

G_END_DECLS
