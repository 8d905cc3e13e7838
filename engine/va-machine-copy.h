/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"

G_BEGIN_DECLS

/* A full, independent copy (sharing only the immutable arena). */
VaMachine *va_machine_copy  (const VaMachine *machine);
gboolean   va_machine_equal (const VaMachine *a,
                             const VaMachine *b,
                             GString         *diff);

G_END_DECLS
