/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

/* Allocates a block of 2^order frames; returns its first pfn, or
 * VA_PFN_NONE with a reason a student can act on in @reason. */
guint32  va_alloc_pages  (VaMachine  *m,
                          guint32     gfp,
                          guint       order,
                          VaZoneType *zone_out,
                          char      **reason);
void     va_free_pages   (VaMachine  *m,
                          guint32     pfn,
                          guint       order);

G_END_DECLS
