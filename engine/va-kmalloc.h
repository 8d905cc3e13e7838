/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmalloc(): the general caches of the slab allocator (2.4.21, 2.6.9) and
 * of SLUB (6.1), as size classes whose slabs come from the page allocator. */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

/* Which allocator's naming and slab sizing a machine uses. */
typedef enum {
  VA_SLAB_FLAVOUR_SLAB,   /* 2.4.21, 2.6.9 mm/slab.c: "size-4096" */
  VA_SLAB_FLAVOUR_SLUB,   /* 6.1 mm/slub.c: "kmalloc-4k" */
} VaSlabFlavour;

/* The kernel's sets of kmalloc caches (6.1 enum kmalloc_cache_type;
 * 2.x has the normal and the DMA set only). */
typedef enum {
  VA_KMALLOC_NORMAL,
  VA_KMALLOC_RECLAIM,     /* 6.1 __GFP_RECLAIMABLE: "kmalloc-rcl-N" */
  VA_KMALLOC_DMA,         /* __GFP_DMA: "size-N(DMA)", "dma-kmalloc-N" */
  VA_KMALLOC_CGROUP,      /* 6.1 __GFP_ACCOUNT: "kmalloc-cg-N" */
  VA_KMALLOC_NR_TYPES,
} VaKmallocType;

VaSlabCaches *va_slab_caches_new     (VaMachine          *m);
void          va_slab_caches_free    (VaSlabCaches       *caches);
VaSlabCaches *va_slab_caches_copy    (const VaSlabCaches *caches);
gboolean      va_slab_caches_equal   (const VaSlabCaches *a,
                                      const VaSlabCaches *b);

/* `kmalloc NAME SIZE [gfp=…]`.  Invalid input (size, gfp, name in use) is
 * a GError and changes nothing; a page allocation that fails sets
 * @result->failed with the page allocator's reason. */
gboolean      va_kmalloc_op          (VaMachine          *m,
                                      const VaOp         *op,
                                      VaOpResult         *result,
                                      GError            **error);
/* Frees a live kmalloc allocation (the machine's `free` calls it). */
void          va_kfree               (VaMachine          *m,
                                      VaAllocation       *a);

/* "size-4096", "kmalloc-96", "dma-kmalloc-1k", "page allocator (order 2)". */
const char   *va_kmalloc_class_name  (const VaMachine    *m,
                                      const VaAllocation *a);
/* The name of one cache as /proc/slabinfo prints it, newly allocated; for
 * narration of events that carry (flavour, type, size). */
char         *va_kmalloc_cache_name  (VaSlabFlavour       flavour,
                                      VaKmallocType       type,
                                      guint32             size);
/* Objects per slab and slab order of the cache @size belongs to, or FALSE
 * when @size has no cache (0, or beyond the largest class). */
gboolean      va_kmalloc_cache_geometry (const VaMachine *m,
                                         guint32          size,
                                         guint32         *size_class,
                                         guint           *order,
                                         guint           *objects);

/* Invariants: every live kmalloc object's bit is set in its slab, every set
 * bit belongs to exactly one live object, slab frames are allocated heads
 * owned by their slab record, large kmallocs own their block. */
gboolean      va_kmalloc_check       (VaMachine          *m,
                                      GError            **error);

G_END_DECLS
