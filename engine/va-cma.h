/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

/* struct cma (mm/cma.h, 6.1): one contiguous area reserved at boot, lent to
 * movable allocations until cma_alloc() takes ranges back. */
typedef struct {
  char    *name;            /* "reserved" for the cma= area */
  guint32  base_pfn;
  guint32  count;           /* pages */
  guint    order_per_bit;   /* 0: one bit per page */
  guint8  *bitmap;          /* one byte per bit, 1 = allocated */
} VaCmaArea;

struct _VaCma {
  GPtrArray *areas;         /* VaCmaArea* */
  guint32    total_pages;   /* totalcma_pages */
};

/* Boot: reserve (before the boot free path) and activate (after it). */
gboolean  va_cma_reserve       (VaMachine       *m,
                                GError         **error);
void      va_cma_activate      (VaMachine       *m);
void      va_cma_free          (VaCma           *cma);
VaCma    *va_cma_copy          (const VaCma     *cma);

gboolean  va_cma_alloc_op      (VaMachine       *m,
                                const VaOp      *op,
                                VaOpResult      *result,
                                GError         **error);
gboolean  va_cma_release_op    (VaMachine       *m,
                                const VaOp      *op,
                                GError         **error);
gboolean  va_pin_op            (VaMachine       *m,
                                const VaOp      *op,
                                GError         **error);
gboolean  va_workload_movable  (VaMachine       *m,
                                guint64          seed,
                                guint64          pages,
                                GError         **error);

guint32   va_cma_area_used     (const VaCmaArea *area);      /* pages marked in the bitmap */
guint32   va_cma_area_maxchunk (const VaCmaArea *area);      /* longest clear run, in pages */
gboolean  va_cma_check         (VaMachine       *m,
                                GError         **error);

G_END_DECLS
