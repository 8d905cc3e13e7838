/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-gap-tree.h"
#include "va-machine-private.h"

G_BEGIN_DECLS

/* One area of the vmalloc window (struct vm_struct / vmap_area): its pages
 * and the guard page that follows them. */
typedef struct {
  guint32  id;
  guint32  start;       /* virtual */
  guint32  size;        /* bytes, guard page included, as vm->size */
  guint32  alloc_id;    /* owning VaAllocation */
  guint32  nr_pages;    /* pages mapped (size / PAGE_SIZE - 1 once complete) */
  gboolean lazy;        /* 6.1: unmapped, waiting for the lazy purge */
} VaVmapArea;

struct _VaVmalloc {
  guint32     start;          /* VMALLOC_START */
  guint32     end;            /* VMALLOC_END */
  guint32     nr_slots;       /* pages in the window */
  VaGapTree  *space;          /* free address space (lazy areas still hold theirs) */
  guint32    *pte;            /* the window's page table: pfn per page, or VA_PFN_NONE */
  guint32    *area_of;        /* area id per page (guard included), 0 = none */
  GPtrArray  *areas;          /* VaVmapArea* by id; NULL once purged; [0] unused */
  guint32     lazy_pages;     /* 6.1 vmap_lazy_nr */
  guint32     vmalloc_pages;  /* 6.1 nr_vmalloc_pages */
  guint32     busy_bytes;     /* 2.6.9 VmallocUsed: sizes of all areas, guards included */
};

VaVmalloc        *va_vmalloc_new      (VaMachine       *m);
VaVmalloc        *va_vmalloc_copy     (const VaVmalloc *vm);
void              va_vmalloc_free     (VaVmalloc       *vm);

gboolean          va_vmalloc_op       (VaMachine       *m,
                                       const VaOp      *op,
                                       VaOpResult      *result,
                                       GError         **error);
gboolean          va_vfree_op         (VaMachine       *m,
                                       const VaOp      *op,
                                       GError         **error);

const VaVmapArea *va_vmalloc_area_at  (const VaMachine *m,
                                       guint32          addr);
GPtrArray        *va_vmalloc_sorted_areas (const VaMachine *m);   /* VaVmapArea*, by address */
guint32           va_vmalloc_lazy_max_pages (const VaMachine *m);
gboolean          va_vmalloc_check    (VaMachine       *m,
                                       GError         **error);

G_END_DECLS
