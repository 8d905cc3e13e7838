/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"

G_BEGIN_DECLS

/* Snapshots for history checkpoints: a snapshot shares the frame and record
 * chunks that did not change since the machine's previous snapshot (or
 * restore), and a restore copies only the chunks that differ, so both cost
 * what changed rather than the size of the machine. */
typedef struct _VaMachineSnap VaMachineSnap;

VaMachineSnap *va_machine_snapshot       (VaMachine           *machine);
void           va_machine_restore        (VaMachine           *machine,
                                          const VaMachineSnap *snap);
void           va_machine_snap_free      (VaMachineSnap       *snap);
/* Bytes held, counting chunks shared with snapshots already counted under
 * the same @epoch once. */
guint64        va_machine_snap_bytes     (const VaMachineSnap *snap,
                                          guint                epoch);
/* Bytes this snapshot copied when it was taken. */
guint64        va_machine_snap_new_bytes (const VaMachineSnap *snap);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaMachineSnap, va_machine_snap_free)

G_END_DECLS
