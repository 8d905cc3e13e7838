/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

guint32  va_pcp_alloc         (VaMachine       *m,
                               VaZone          *zone,
                               guint            order,
                               guint            mt,
                               guint            alloc_flags,
                               gboolean         cold);
void     va_pcp_free          (VaMachine       *m,
                               VaZone          *zone,
                               guint32          pfn,
                               guint            order,
                               gboolean         cold);
void     va_pcp_drain_zone    (VaMachine       *m,
                               VaZone          *zone);
void     va_pcp_setup_batch   (VaMachine       *m,
                               VaZone          *zone);
void     va_pcp_setup_high    (VaMachine       *m,
                               VaZone          *zone);
void     va_pcp_boot_pageset  (VaMachine       *m,
                               VaZone          *zone);

static inline guint
va_pcp_index (guint mt,
              guint order)
{
  /* mm/page_alloc.c: order_to_pindex() */
  return order * VA_MT_PCPTYPES + mt;
}

/* models mm/page_alloc.c: pcp_allowed_order() (6.1); order 0 in 2.6.9.
 * Inline: every allocation and free asks, so the machine keeps the answer
 * as one number (va_machine_new()). */
static inline gboolean
va_pcp_allowed_order (const VaMachine *m,
                      guint            order)
{
  return (gint) order <= m->pcp_max_order;
}

G_END_DECLS
