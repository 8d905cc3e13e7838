/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmap(): persistent kernel mappings of HighMem pages in the pkmap window
 * (mm/highmem.c), and the linear address of lowmem pages. */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

VaPkmap    *va_pkmap_copy (const VaPkmap *pk);
gboolean    va_pkmap_equal (const VaPkmap *a, const VaPkmap *b);
VaPkmap    *va_pkmap_new          (VaMachine          *m);
void        va_pkmap_free         (VaPkmap            *pkmap);

/* `kmap NAME TARGET` / `kmap NAME TARGET[i]`.  Invalid input is a GError and
 * changes nothing; when every pkmap slot is in use the op fails (the kernel
 * would sleep) with @result->reason. */
gboolean    va_kmap_op            (VaMachine          *m,
                                   const VaOp         *op,
                                   VaOpResult         *result,
                                   GError            **error);
/* `kunmap NAME` */
gboolean    va_kunmap_op          (VaMachine          *m,
                                   const VaOp         *op,
                                   VaOpResult         *result,
                                   GError            **error);

/* pkmap_count[slot]: 0 free, 1 unmapped but not yet flushed, n ≥ 2 mapped
 * by n − 1 users; -1 for a slot beyond LAST_PKMAP. */
gint        va_pkmap_slot_count   (const VaPkmap      *pkmap,
                                   guint               slot);
/* The frame a slot maps (its pte), VA_PFN_NONE when none. */
guint32     va_pkmap_slot_pfn     (const VaPkmap      *pkmap,
                                   guint               slot);
guint       va_pkmap_nr_slots     (const VaPkmap      *pkmap);   /* LAST_PKMAP */
guint       va_pkmap_last_nr      (const VaPkmap      *pkmap);   /* last_pkmap_nr */

/* The name of a live kmap of @target, or NULL: free/vfree refuse to free a
 * page that is still kmapped. */
const char *va_kmap_user_of       (VaMachine          *m,
                                   const VaAllocation *target);

/* Invariants: pkmap_count matches the live kmap records, each mapped slot's
 * pte and page_address() agree, slots in use map live frames. */
gboolean    va_kmap_check         (VaMachine          *m,
                                   GError            **error);

G_END_DECLS
