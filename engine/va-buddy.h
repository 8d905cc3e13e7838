/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

/* ALLOC_* flags of 6.1 mm/internal.h that the buddy layer reads. */
#define VA_AF_WMARK_MIN   0x00
#define VA_AF_WMARK_LOW   0x01
#define VA_AF_WMARK_HIGH  0x02
#define VA_AF_WMARK_MASK  0x03
#define VA_AF_HARDER      0x10
#define VA_AF_HIGH        0x20
#define VA_AF_CMA         0x80
#define VA_AF_KSWAPD      0x800

void     va_add_to_free_list     (VaMachine *m,
                                  VaZone    *zone,
                                  guint32    pfn,
                                  guint      order,
                                  guint      mt,
                                  gboolean   tail,
                                  VaKernelFn fn);
void     va_del_from_free_list   (VaMachine *m,
                                  VaZone    *zone,
                                  guint32    pfn,
                                  VaKernelFn fn);
void     va_move_to_free_list    (VaMachine *m,
                                  VaZone    *zone,
                                  guint32    pfn,
                                  guint      mt);
guint32  va_expand               (VaMachine *m,
                                  VaZone    *zone,
                                  guint32    pfn,
                                  guint      low,
                                  guint      high,
                                  guint      mt);
guint32  va_rmqueue_smallest     (VaMachine *m,
                                  VaZone    *zone,
                                  guint      order,
                                  guint      mt);
guint32  va_rmqueue              (VaMachine *m,
                                  VaZone    *zone,
                                  guint      order,
                                  guint      mt,
                                  guint      alloc_flags);
void     va_free_one_page        (VaMachine *m,
                                  VaZone    *zone,
                                  guint32    pfn,
                                  guint      order,
                                  guint      mt,
                                  gboolean   to_tail);
guint    va_move_freepages_block (VaMachine *m,
                                  VaZone    *zone,
                                  guint32    pfn,
                                  guint      mt,
                                  guint     *num_movable);
void     va_set_pageblock_migratetype (VaMachine *m,
                                       guint32    pfn,
                                       guint      mt,
                                       VaKernelFn fn);

static inline gboolean
va_migratetype_is_mergeable (guint mt)
{
  return mt < VA_MT_PCPTYPES;
}

/* Inline: every free runs them at each order it merges. */

static inline guint32
va_buddy_pfn (const VaMachine *m,
              const VaZone    *zone,
              guint32          pfn,
              guint            order)
{
  guint32 base = m->profile->buddy_index_zone_relative ? zone->start_pfn : 0;

  return base + ((pfn - base) ^ (1u << order));
}

/* models mm/page_alloc.c: page_is_buddy(): the buddy is a free block head
 * (PageBuddy) of the same order in the same zone.  2.4/2.6.9 test a bit
 * of free_area[order].map instead; the bit is set exactly when this holds. */
static inline gboolean
va_page_is_buddy (const VaMachine *m,
                  const VaZone    *zone,
                  guint32          pfn,
                  guint            order)
{
  const VaPage *p;

  if (!va_zone_contains (zone, pfn))
    return FALSE;
  p = &m->pages[pfn];
  return p->state == VA_PAGE_FREE && p->order == order;
}

G_END_DECLS
