/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

gboolean va_boot (VaMachine  *m,
                   GError    **error);

G_END_DECLS
