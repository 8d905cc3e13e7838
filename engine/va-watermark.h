/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

void     va_setup_watermarks     (VaMachine *m);
guint32  va_nr_free_buffer_pages (const VaMachine *m);

G_END_DECLS
