/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-types.h"

G_BEGIN_DECLS

typedef enum {
  VA_ALLOC_PAGES,     /* alloc_pages / __get_free_pages */
  VA_ALLOC_KMALLOC,
  VA_ALLOC_VMALLOC,
  VA_ALLOC_KMAP,
  VA_ALLOC_CMA,
  VA_ALLOC_WORKLOAD,  /* unnamed blocks of a workload */
} VaAllocKind;

typedef enum {
  VA_ALLOC_LIVE,
  VA_ALLOC_FREED,
  VA_ALLOC_FAILED,
} VaAllocState;

/* A named allocation (or a workload's unnamed block). */
typedef struct {
  guint32      id;          /* page owner id, index in VaMachine.allocs */
  const char  *name;        /* arena string; NULL for unnamed records */
  VaAllocKind  kind;
  VaAllocState state;
  guint32      pfn;         /* first frame (page blocks) */
  guint8       order;
  guint8       zone;
  guint8       migratetype;
  gboolean     pinned;
  guint32      gfp;
  guint64      size;        /* bytes asked for */
  guint32      virt;        /* kernel virtual address, 0 if the page has none (HighMem) */
  guint        op_index;    /* op that made it */
  const char  *reason;      /* why it failed (arena string) */

  /* vmalloc: the frames behind each virtual page, in order */
  guint32      nr_pages;
  const guint32 *pfns;      /* arena copy */
  /* kmalloc: the slab size class and the object's slab */
  guint32      size_class;
  guint32      slab_pfn;
  /* kmap: the pkmap slot (-1 for a lowmem page) and what was mapped */
  gint32       pkmap_slot;
  guint32      target_id;
} VaAllocation;

const char *va_alloc_kind_name  (VaAllocKind  kind);
const char *va_alloc_state_name (VaAllocState state);

G_END_DECLS
