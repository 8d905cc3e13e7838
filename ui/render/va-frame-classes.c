/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-frame-classes"

#include "va-frame-classes.h"
#include "va-machine-private.h"

#include <string.h>

/* Allocated frames take the colour of their owner's kind. */
static const guint8 kind_role[] = {
  [VA_ALLOC_PAGES]    = VA_COLOR_ALLOC_PAGES,
  [VA_ALLOC_KMALLOC]  = VA_COLOR_ALLOC_KMALLOC,
  [VA_ALLOC_VMALLOC]  = VA_COLOR_ALLOC_VMALLOC,
  [VA_ALLOC_KMAP]     = VA_COLOR_ALLOC_KMAP,
  [VA_ALLOC_CMA]      = VA_COLOR_ALLOC_CMA,
  [VA_ALLOC_WORKLOAD] = VA_COLOR_ALLOC_WORKLOAD,
};

static guint8
reserved_class (const VaMachine *m,
                guint32          pfn)
{
  if (pfn >= m->kernel_start_pfn && pfn < m->kernel_end_pfn)
    return VA_COLOR_RESERVED_KERNEL;
  if (pfn >= m->mem_map_start_pfn && pfn < m->mem_map_end_pfn)
    return VA_COLOR_RESERVED_MEMMAP;
  return VA_COLOR_RESERVED;
}

/* The list a free head sits on says CMA or isolated; the pageblock says it
 * too for profiles that keep every free block on list 0. */
static guint8
free_class (const VaMachine *m,
            guint32          pfn,
            const VaPage    *p)
{
  guint8 mt = va_machine_pageblock_mt (m, pfn);

  if (p->list_mt == VA_MT_ISOLATE || mt == VA_MT_ISOLATE)
    return VA_COLOR_ISOLATED;
  if (p->list_mt == VA_MT_CMA || mt == VA_MT_CMA)
    return VA_COLOR_FREE_CMA;
  return VA_FRAME_CLASS_FREE (MIN (p->order, VA_MAX_ORDER_LIMIT - 1));
}

/* Movable pages (user pages, the movable workload) are what cma_alloc and
 * compaction may move, so they get their own colour whoever owns them;
 * cma_alloc's own pages are never flagged movable. */
static guint8
allocated_class (const VaMachine *m,
                 const VaPage    *p)
{
  const VaAllocation *a = NULL;

  if (p->flags & VA_PAGE_F_MOVABLE)
    return VA_COLOR_ALLOC_MOVABLE;
  if (p->owner == VA_OWNER_WORKLOAD)
    return VA_COLOR_ALLOC_WORKLOAD;
  if (p->owner < m->allocs->len)
    a = m->allocs->pdata[p->owner];
  if (a == NULL || a->kind >= G_N_ELEMENTS (kind_role))
    return VA_COLOR_ALLOC_PAGES;
  return kind_role[a->kind];
}

guint8
va_frame_class (const VaMachine *m,
                guint32          head_pfn)
{
  const VaPage *p;

  g_return_val_if_fail (m != NULL, VA_COLOR_HOLE);
  g_return_val_if_fail (head_pfn < m->nr_pfns, VA_COLOR_HOLE);

  p = &m->pages[head_pfn];
  if (p->state == VA_PAGE_TAIL)
    {
      head_pfn = va_machine_block_head (m, head_pfn);
      p = &m->pages[head_pfn];
    }
  switch ((VaPageState) p->state)
    {
    case VA_PAGE_HOLE:
      return VA_COLOR_HOLE;
    case VA_PAGE_RESERVED:
      return reserved_class (m, head_pfn);
    case VA_PAGE_FREE:
      return free_class (m, head_pfn, p);
    case VA_PAGE_PCP:
      return VA_COLOR_PCP;
    case VA_PAGE_ALLOCATED:
      return allocated_class (m, p);
    case VA_PAGE_TAIL:       /* no head found: not part of any block */
    default:
      return VA_COLOR_RESERVED;
    }
}

/* Frames a head stands for: whole blocks for buddy heads; reserved frames
 * and holes are marked one by one at boot, so they count as one. */
static guint32
block_frames (const VaPage *p)
{
  switch ((VaPageState) p->state)
    {
    case VA_PAGE_FREE:
    case VA_PAGE_PCP:
    case VA_PAGE_ALLOCATED:
      return 1u << p->order;
    case VA_PAGE_HOLE:
    case VA_PAGE_RESERVED:
    case VA_PAGE_TAIL:
    default:
      return 1;
    }
}

void
va_frame_classes_fill (const VaMachine *m,
                       guint8          *out)
{
  guint32 pfn = 0;

  g_return_if_fail (m != NULL);
  g_return_if_fail (out != NULL);

  /* Heads only: a boot-time 4 GiB machine is ~1000 order-10 blocks, so
   * this is mostly memset and costs far less than one byte per frame of
   * page-state reads. */
  while (pfn < m->nr_pfns)
    {
      guint32 n = MIN (block_frames (&m->pages[pfn]), m->nr_pfns - pfn);

      memset (out + pfn, va_frame_class (m, pfn), n);
      pfn += n;
    }
}

VaColorRole
va_frame_class_role (guint8 cls)
{
  if (va_frame_class_is_free_order (cls))
    return VA_COLOR_FREE_LOW;
  if (cls < VA_N_COLORS)
    return cls;
  return VA_COLOR_BACKGROUND;
}

static double
lerp (double a,
      double b,
      double t)
{
  return a + (b - a) * t;
}

VaRgb
va_frame_class_rgb (const VaPalette *palette,
                    guint8           cls,
                    guint            max_order)
{
  static const VaRgb black = { 0, 0, 0 };
  VaRgb lo, hi;
  double t;

  g_return_val_if_fail (palette != NULL, black);

  if (!va_frame_class_is_free_order (cls))
    return va_palette_get (palette, va_frame_class_role (cls));

  lo = va_palette_get (palette, VA_COLOR_FREE_LOW);
  hi = va_palette_get (palette, VA_COLOR_FREE_HIGH);
  t = max_order > 1 ? MIN (1.0, (double) (cls - VA_N_COLORS) / (max_order - 1)) : 0.0;
  return (VaRgb) { lerp (lo.r, hi.r, t), lerp (lo.g, hi.g, t), lerp (lo.b, hi.b, t) };
}

static guint32
rgb_to_pixel (VaRgb c)
{
  guint32 r = (guint32) (CLAMP (c.r, 0.0, 1.0) * 255.0 + 0.5);
  guint32 g = (guint32) (CLAMP (c.g, 0.0, 1.0) * 255.0 + 0.5);
  guint32 b = (guint32) (CLAMP (c.b, 0.0, 1.0) * 255.0 + 0.5);

  return 0xff000000u | (r << 16) | (g << 8) | b;
}

void
va_frame_class_lut (const VaPalette *palette,
                    guint            max_order,
                    guint32          lut[256])
{
  g_return_if_fail (palette != NULL);
  g_return_if_fail (lut != NULL);

  for (guint cls = 0; cls < 256; cls++)
    lut[cls] = rgb_to_pixel (va_frame_class_rgb (palette, cls, max_order));
}
