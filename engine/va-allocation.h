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

/* A named allocation (or a workload's unnamed block).  Laid out without
 * holes (80 bytes): history checkpoints copy records by the chunk, so their
 * size is what a far seek costs. */
typedef struct {
  const char    *name;        /* arena string; NULL for unnamed records */
  const char    *reason;      /* why it failed (arena string) */
  const guint32 *pfns;        /* vmalloc: the frames behind each virtual page (arena copy) */
  guint64        size;        /* bytes asked for */
  guint32        id;          /* page owner id, index in VaMachine.allocs */
  guint32        pfn;         /* first frame (page blocks) */
  guint32        gfp;
  guint32        virt;        /* kernel virtual address, 0 if the page has none (HighMem) */
  guint32        op_index;    /* op that made it */
  guint32        nr_pages;    /* vmalloc: pages mapped */
  /* kmalloc: the slab size class and the object's slab */
  guint32        size_class;
  guint32        slab_pfn;
  /* kmap: the pkmap slot (-1 for a lowmem page) and what was mapped */
  gint32         pkmap_slot;
  guint32        target_id;
  guint8         kind;        /* VaAllocKind */
  guint8         state;       /* VaAllocState */
  guint8         order;
  guint8         zone;
  guint8         migratetype;
  guint8         pinned;      /* boolean */
} VaAllocation;

G_STATIC_ASSERT (sizeof (VaAllocation) == 80);

const char *va_alloc_kind_name  (VaAllocKind  kind);
const char *va_alloc_state_name (VaAllocState state);

G_END_DECLS
