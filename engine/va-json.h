/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-history.h"
#include "va-machine.h"

G_BEGIN_DECLS

/* One JSON document describing the machine (DESIGN §5, `vmatlas run --json`):
 * "machine", "layout", "pageblock_order", "min_free_kbytes", "zones",
 * "allocations", "ops", "events", ["event_list"], "log".  Integers are
 * plain decimal numbers (bytes, pfns, pages).  @with_free_lists adds each
 * zone's "free_lists" (pfns head first); @with_events adds "event_list".
 * Returns a newly allocated string ending in a newline. */
char *va_json_machine (VaMachine *m,
                       gboolean   with_free_lists,
                       gboolean   with_events);
/* The same, plus a "history" object: ops (recorded), position, checkpoints,
 * interval, log_bytes, checkpoint_bytes and bytes (their sum). */
char *va_json_machine_with_history (VaMachine *m,
                                    VaHistory *history,
                                    gboolean   with_free_lists,
                                    gboolean   with_events);

G_END_DECLS
