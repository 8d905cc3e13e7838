/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VA_PAGE_SHIFT 12
#define VA_PAGE_SIZE  4096u
#define VA_MAX_ORDER_LIMIT 11   /* largest MAX_ORDER of any profile (exclusive) */
#define VA_PFN_NONE   G_MAXUINT32
#define VA_MAX_CPUS   8

/* Zone indices, as enum zone_type on i386 (include/linux/mmzone.h). */
typedef enum {
  VA_ZONE_DMA,
  VA_ZONE_NORMAL,
  VA_ZONE_HIGHMEM,
  VA_ZONE_MOVABLE,
  VA_NR_ZONES,
} VaZoneType;

/* Migrate types in 6.1 numbering (include/linux/mmzone.h).  Profiles
 * without mobility grouping keep every free block on type 0. */
typedef enum {
  VA_MT_UNMOVABLE,
  VA_MT_MOVABLE,
  VA_MT_RECLAIMABLE,
  VA_MT_HIGHATOMIC,   /* == MIGRATE_PCPTYPES */
  VA_MT_CMA,
  VA_MT_ISOLATE,
  VA_MT_TYPES,
} VaMigrateType;

#define VA_MT_PCPTYPES VA_MT_HIGHATOMIC

/* What a page frame is doing right now. */
typedef enum {
  VA_PAGE_HOLE,       /* no RAM behind this pfn (ISA hole in 6.1) */
  VA_PAGE_RESERVED,   /* PageReserved: firmware, kernel image, mem_map */
  VA_PAGE_FREE,       /* head of a free buddy block (PageBuddy) */
  VA_PAGE_PCP,        /* head of a block on a per-cpu list */
  VA_PAGE_ALLOCATED,  /* head of an allocated block */
  VA_PAGE_TAIL,       /* inside a block; its head says what the block is */
} VaPageState;

/* Only block heads carry state: a split writes one new head, a merge turns
 * one head into a tail, so every buddy step stays O(1). */

/* One page frame: 12 bytes, the engine's whole per-frame cost.  A block
 * head is either on a list (free, pcp: next/prev) or allocated (owner),
 * never both, so the two share their words like the kernel's page->lru
 * and page->private do. */
typedef struct {
  union {
    struct {
      guint32 next;   /* list link (free list or pcp list), pfn or VA_PFN_NONE */
      guint32 prev;
    };
    struct {
      guint32 owner;  /* allocation id of an allocated head, 0 if none */
      guint32 owner_aux;
    };
  };
  guint8  state;      /* VaPageState */
  guint8  order;      /* block order (heads) */
  guint8  list_mt;    /* migrate type of the list a free/pcp head sits on */
  guint8  flags;      /* VA_PAGE_F_* */
} VaPage;

#define VA_PAGE_F_PINNED   0x01
#define VA_PAGE_F_MOVABLE  0x02   /* in use and movable (LRU / __PageMovable) */
#define VA_PAGE_F_COLD     0x04   /* on the 2.6.9 cold pcp list */

const char *va_zone_name          (VaZoneType    zone);
const char *va_migratetype_name   (VaMigrateType mt);
gboolean    va_zone_from_name     (const char   *name,
                                   VaZoneType   *out);

G_END_DECLS
