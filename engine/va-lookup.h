/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"

G_BEGIN_DECLS

/* The regions of the 4 GiB i386 address space, bottom up. */
typedef enum {
  VA_REGION_USER,
  VA_REGION_LINEAR,          /* PAGE_OFFSET .. high_memory */
  VA_REGION_VMALLOC_GAP,     /* high_memory .. VMALLOC_START (VMALLOC_OFFSET) */
  VA_REGION_VMALLOC_AREA,    /* a page of a vmalloc area */
  VA_REGION_VMALLOC_GUARD,   /* the guard page after an area */
  VA_REGION_VMALLOC_LAZY,    /* 6.1: a lazily freed area */
  VA_REGION_VMALLOC_FREE,    /* free vmalloc space */
  VA_REGION_VMALLOC_END_GAP, /* VMALLOC_END .. PKMAP_BASE */
  VA_REGION_PKMAP,
  VA_REGION_LDT,             /* 6.1 */
  VA_REGION_CPU_ENTRY,       /* 6.1 */
  VA_REGION_UNUSED,
  VA_REGION_FIXMAP,
  VA_REGION_TOP,             /* above FIXADDR_TOP */
} VaRegion;

/* What is at one virtual address. */
typedef struct {
  VaRegion            region;
  guint32             addr;
  guint32             region_start;
  guint64             region_end;    /* exclusive; 64-bit so the top can be 4 GiB */
  guint32             pfn;           /* frame mapped there, VA_PFN_NONE if none */
  const VaAllocation *owner;         /* allocation using that page, if any */
  guint32             index;         /* page index in a vmalloc area, pkmap slot */
} VaLookup;

void  va_lookup_address  (VaMachine *m,
                          guint32    addr,
                          VaLookup  *out);
char *va_lookup_describe (VaMachine *m,
                          guint32    addr);
/* Everything known about one frame, a line each: physical and kernel
 * virtual addresses, zone, pageblock and its migrate type, state, block,
 * the block's buddy and whether it is free, owner. */
char *va_lookup_describe_pfn (VaMachine *m,
                              guint32    pfn);
char *va_lookup_format   (VaMachine *m,
                          GArray    *addrs);   /* guint32 addresses, one line each */

G_END_DECLS
