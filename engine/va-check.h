/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"

G_BEGIN_DECLS

/* The allocator's invariants, recounted from scratch.  Tests call it after
 * every op; it returns FALSE with the first violation in @error. */
gboolean va_machine_check (VaMachine *machine,
                           GError   **error);

G_END_DECLS
