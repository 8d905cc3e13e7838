/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CMA (linux-6.1 with cma=): a boot-time area whose pageblocks are
 * MIGRATE_CMA, lent to movable allocations; cma_alloc() takes a range back
 * by isolating its pageblocks and migrating the movable pages out
 * (mm/cma.c, mm/page_alloc.c: alloc_contig_range(), mm/page_isolation.c). */
#define G_LOG_DOMAIN "va-cma"

#include "va-cma.h"
#include "va-buddy.h"
#include "va-gfp.h"
#include "va-page-alloc.h"
#include "va-pcp.h"

#include <string.h>

#define EBUSY  16
#define ENOMEM 12
#define CMA_ALIGNMENT 8      /* CONFIG_CMA_ALIGNMENT default */

static guint32
pageblock_pages (const VaMachine *m)
{
  return 1u << m->pageblock_order;
}

/*** Boot ***/

static void
area_free (gpointer data)
{
  VaCmaArea *area = data;

  g_free (area->name);
  g_free (area->bitmap);
  g_free (area);
}

/* models mm/cma.c: cma_declare_contiguous_nid() via kernel/dma/contiguous.c:
 * dma_contiguous_reserve() with limit = the end of lowmem (x86 passes
 * max_pfn_mapped): size and base aligned to a pageblock
 * (CMA_MIN_ALIGNMENT_PAGES), placed top-down unless @BASE is given. */
gboolean
va_cma_reserve (VaMachine  *m,
                GError    **error)
{
  guint64 align = (guint64) pageblock_pages (m) << VA_PAGE_SHIFT;
  guint64 size = (m->config.cma_bytes + align - 1) & ~(align - 1);
  guint64 limit = ((guint64) m->layout.max_low_pfn << VA_PAGE_SHIFT) & ~(align - 1);
  guint64 kernel_end = (guint64) m->kernel_end_pfn << VA_PAGE_SHIFT;
  guint64 base;
  VaCmaArea *area;

  if (m->config.cma_bytes == 0)
    return TRUE;
  if (m->config.cma_base)
    {
      base = (m->config.cma_base + align - 1) & ~(align - 1);
      if (base < limit && base + size > limit)
        {
          g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                       "cma: Failed to reserve %" G_GUINT64_FORMAT " MiB: the region at 0x%08"
                       G_GINT64_MODIFIER "x is defined on the low/high memory boundary (0x%08"
                       G_GINT64_MODIFIER "x)", size >> 20, base, limit);
          return FALSE;
        }
    }
  else
    base = limit >= size ? limit - size : 0;
  if (size == 0 || base + size > limit ||
      (base < kernel_end && base + size > ((guint64) m->kernel_start_pfn << VA_PAGE_SHIFT)))
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "cma: Failed to reserve %" G_GUINT64_FORMAT " MiB: it must lie in lowmem "
                   "(below 0x%08" G_GINT64_MODIFIER "x) and not overlap the kernel image "
                   "(0x%08" G_GINT64_MODIFIER "x-0x%08" G_GINT64_MODIFIER "x); use a smaller cma= "
                   "or another @BASE", size >> 20, limit,
                   (guint64) m->kernel_start_pfn << VA_PAGE_SHIFT, kernel_end);
      return FALSE;
    }
  if ((base >> VA_PAGE_SHIFT) < 4096 && ((base + size) >> VA_PAGE_SHIFT) > 4096)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "CMA area reserved could not be activated: 0x%08" G_GINT64_MODIFIER "x-0x%08"
                   G_GINT64_MODIFIER "x spans ZONE_DMA and ZONE_NORMAL", base, base + size);
      return FALSE;
    }
  m->cma = g_new0 (VaCma, 1);
  m->cma->areas = g_ptr_array_new_with_free_func (area_free);
  area = g_new0 (VaCmaArea, 1);
  area->name = g_strdup ("reserved");
  area->base_pfn = base >> VA_PAGE_SHIFT;
  area->count = size >> VA_PAGE_SHIFT;
  area->bitmap = g_new0 (guint8, area->count);
  g_ptr_array_add (m->cma->areas, area);
  m->cma->total_pages = area->count;
  va_machine_log (m, "cma: Reserved %" G_GUINT64_FORMAT " MiB at 0x%08" G_GINT64_MODIFIER "x",
                  size >> 20, base);
  return TRUE;
}

/* models mm/cma.c: cma_activate_area() → init_cma_reserved_pageblock():
 * each pageblock becomes MIGRATE_CMA and is freed as one block. */
void
va_cma_activate (VaMachine *m)
{
  if (m->cma == NULL)
    return;
  for (guint i = 0; i < m->cma->areas->len; i++)
    {
      const VaCmaArea *area = m->cma->areas->pdata[i];

      for (guint32 pfn = area->base_pfn; pfn < area->base_pfn + area->count;
           pfn += pageblock_pages (m))
        {
          VaZone *zone = &m->zones[va_machine_pfn_zone (m, pfn)];

          va_set_pageblock_migratetype (m, pfn, VA_MT_CMA, VA_FN_CMA_ALLOC);
          va_mark_tails (m, pfn, m->pageblock_order);
          zone->managed += pageblock_pages (m);
          zone->cma_pages += pageblock_pages (m);
          va_free_one_page (m, zone, pfn, m->pageblock_order, VA_MT_CMA, FALSE);
        }
    }
}

VaCma *
va_cma_copy (const VaCma *src)
{
  VaCma *cma = g_new0 (VaCma, 1);

  cma->total_pages = src->total_pages;
  cma->areas = g_ptr_array_new_with_free_func (area_free);
  for (guint i = 0; i < src->areas->len; i++)
    {
      const VaCmaArea *a = src->areas->pdata[i];
      VaCmaArea *copy = g_memdup2 (a, sizeof *a);

      copy->name = g_strdup (a->name);
      copy->bitmap = g_memdup2 (a->bitmap, a->count);
      g_ptr_array_add (cma->areas, copy);
    }
  return cma;
}

void
va_cma_free (VaCma *cma)
{
  if (cma == NULL)
    return;
  g_ptr_array_unref (cma->areas);
  g_free (cma);
}

/*** Bitmap ***/

guint32
va_cma_area_used (const VaCmaArea *area)
{
  guint32 n = 0;

  for (guint32 i = 0; i < area->count; i++)
    n += area->bitmap[i];
  return n;
}

guint32
va_cma_area_maxchunk (const VaCmaArea *area)
{
  guint32 run = 0, best = 0;

  for (guint32 i = 0; i < area->count; i++)
    {
      run = area->bitmap[i] ? 0 : run + 1;
      best = MAX (best, run);
    }
  return best;
}

/* models lib/bitmap.c: bitmap_find_next_zero_area_off(): the first index
 * >= @start with (index + @offset) & @mask == 0 and @nr clear bits. */
static gint64
find_next_zero_area (const VaCmaArea *area,
                     guint32          start,
                     guint32          nr,
                     guint32          mask,
                     guint32          offset)
{
  for (guint32 index = start; index + nr <= area->count; index++)
    {
      guint32 i;

      if ((index + offset) & mask)
        continue;
      for (i = 0; i < nr && !area->bitmap[index + i]; i++)
        ;
      if (i == nr)
        return index;
      index += i;   /* the next candidate starts after the set bit */
    }
  return -1;
}

/*** alloc_contig_range ***/

/* Splits a free block that straddles @boundary (PAE: a free order-10 block
 * covers two order-9 pageblocks), as isolate_single_pageblock() does. */
static void
split_free_block_at (VaMachine *m,
                     VaZone    *zone,
                     guint32    boundary)
{
  guint32 head, end;
  VaPage *p;
  guint mt;

  if (boundary <= zone->start_pfn || boundary >= zone->end_pfn)
    return;
  head = va_machine_block_head (m, boundary);
  p = va_page (m, head);
  if (head == boundary || p->state != VA_PAGE_FREE)
    return;
  end = head + (1u << p->order);
  mt = p->list_mt;
  va_del_from_free_list (m, zone, head, VA_FN_SET_MIGRATETYPE_ISOLATE);
  for (guint32 pfn = head; pfn < end;)
    {
      guint order = 0;

      while (pfn + (2u << order) <= (pfn < boundary ? boundary : end) &&
             !(pfn & ((2u << order) - 1)))
        order++;
      va_add_to_free_list (m, zone, pfn, order, mt, FALSE, VA_FN_SET_MIGRATETYPE_ISOLATE);
      pfn += 1u << order;
    }
}

/* models mm/page_isolation.c: start_isolate_page_range() +
 * set_migratetype_isolate(): CMA pageblocks hold no unmovable pages
 * (has_unmovable_pages() trusts them), so isolation itself cannot fail. */
static void
isolate_range (VaMachine *m,
               VaZone    *zone,
               guint32    first,
               guint32    end)
{
  split_free_block_at (m, zone, first);
  split_free_block_at (m, zone, end);
  for (guint32 pfn = first; pfn < end; pfn += pageblock_pages (m))
    {
      guint moved;

      va_set_pageblock_migratetype (m, pfn, VA_MT_ISOLATE, VA_FN_SET_MIGRATETYPE_ISOLATE);
      m->nr_isolated_pageblocks++;
      moved = va_move_freepages_block (m, zone, pfn, VA_MT_ISOLATE, NULL);
      va_emit (m, VA_EV_CMA_ISOLATE, VA_FN_SET_MIGRATETYPE_ISOLATE, zone->type, 0, 0, 0, pfn, 0,
               moved, 0, 0);
    }
}

/* models mm/page_isolation.c: undo_isolate_page_range() +
 * unset_migratetype_isolate(): back to MIGRATE_CMA; a free block of
 * pageblock order or more is freed again so it can merge with its buddy. */
static void
unisolate_range (VaMachine *m,
                 VaZone    *zone,
                 guint32    first,
                 guint32    end)
{
  for (guint32 pfn = first; pfn < end; pfn += pageblock_pages (m))
    {
      VaPage *p = va_page (m, pfn);
      gboolean refree = p->state == VA_PAGE_FREE && p->order >= m->pageblock_order &&
                        p->order < m->profile->max_order - 1;
      guint order = p->order;

      if (refree)
        va_del_from_free_list (m, zone, pfn, VA_FN_UNSET_MIGRATETYPE_ISOLATE);
      else
        va_move_freepages_block (m, zone, pfn, VA_MT_CMA, NULL);
      va_set_pageblock_migratetype (m, pfn, VA_MT_CMA, VA_FN_UNSET_MIGRATETYPE_ISOLATE);
      m->nr_isolated_pageblocks--;
      if (refree)
        va_free_one_page (m, zone, pfn, order, VA_MT_CMA, FALSE);
      va_emit (m, VA_EV_CMA_UNISOLATE, VA_FN_UNSET_MIGRATETYPE_ISOLATE, zone->type, 0,
               VA_MT_ISOLATE, VA_MT_CMA, pfn, 0, 0, 0, 0);
    }
}

static VaAllocation *
owner_record (VaMachine *m,
              guint32    head)
{
  guint32 id = va_page (m, head)->owner;

  return id < m->allocs->len && id != 0 ? va_machine_alloc_mut (m, id) : NULL;
}

/* Moves a migrated workload block's entry in the live list. */
static void
retarget_workload (VaMachine *m,
                   guint32    old_pfn,
                   guint32    new_pfn)
{
  for (guint i = 0; i < m->workload_live->len; i++)
    if (g_array_index (m->workload_live, guint32, i) == old_pfn)
      {
        g_array_index (m->workload_live, guint32, i) = new_pfn;
        return;
      }
  g_assert_not_reached ();
}

/* models mm/migrate.c: migrate_pages() for one movable block: a new block
 * from alloc_migration_target() (GFP_USER | __GFP_MOVABLE), the contents
 * and the owner move, the old block is freed (into the isolated block). */
static gboolean
migrate_block (VaMachine *m,
               guint32    head,
               GString   *log,
               guint     *unnamed)
{
  VaPage *old = va_page (m, head);
  guint order = old->order;
  guint32 owner = old->owner, gfp = 0, pfn;
  guint8 flags = old->flags;
  VaAllocation *a = owner_record (m, head);

  va_gfp_parse (m->profile, "GFP_USER|__GFP_MOVABLE", &gfp, NULL);
  pfn = va_alloc_pages (m, gfp, order, NULL, NULL);
  if (pfn == VA_PFN_NONE)
    return FALSE;
  va_page (m, pfn)->owner = owner;
  va_page (m, pfn)->flags = flags;
  if (owner == VA_OWNER_WORKLOAD)
    retarget_workload (m, head, pfn);
  else if (a)
    {
      a->pfn = pfn;
      a->zone = va_machine_pfn_zone (m, pfn);
      a->virt = a->zone == VA_ZONE_HIGHMEM ? 0 : m->config.page_offset + (pfn << VA_PAGE_SHIFT);
    }
  if (a && a->name)
    va_machine_log (m, "op %u: cma_alloc: migrated “%s” from pfn %u to pfn %u", m->op_count + 1,
                    a->name, head, pfn);
  else
    (*unnamed)++;
  va_emit (m, VA_EV_MIGRATE, VA_FN_ALLOC_CONTIG_MIGRATE_RANGE, va_machine_pfn_zone (m, pfn), order,
           0, 0, head, pfn, 0, 0, 0);
  va_free_pages (m, head, order);
  return TRUE;
}

/* models mm/page_alloc.c: __alloc_contig_migrate_range(): every movable
 * page of [start, end) moves out; pinned ones cannot (their extra
 * reference makes migrate_pages() fail).  Blocks that did move stay moved
 * even when another one fails, as in the kernel.  Appends busy pfns. */
static void
migrate_range (VaMachine *m,
               guint32    start,
               guint32    end,
               GString   *log,
               GString   *busy)
{
  guint unnamed = 0;

  for (guint32 pfn = va_machine_block_head (m, start); pfn < end;)
    {
      VaPage *p = va_page (m, pfn);
      guint32 next = pfn + (p->state == VA_PAGE_TAIL ? 1 : 1u << p->order);
      VaAllocation *a;

      if (p->state == VA_PAGE_ALLOCATED)
        {
          a = owner_record (m, pfn);
          if (p->flags & VA_PAGE_F_PINNED)
            {
              g_string_append_printf (busy, "%spfn %u is pinned by “%s”", busy->len ? ", " : "",
                                      pfn, a && a->name ? a->name : "?");
              va_emit (m, VA_EV_CMA_BUSY, VA_FN_ALLOC_CONTIG_MIGRATE_RANGE, va_machine_pfn_zone (m, pfn),
                       0, 0, 0, pfn, 0, p->owner, 1, 0);
            }
          else if (!(p->flags & VA_PAGE_F_MOVABLE) || !migrate_block (m, pfn, log, &unnamed))
            {
              g_string_append_printf (busy, "%spfn %u (%s) could not be migrated",
                                      busy->len ? ", " : "", pfn,
                                      a && a->name ? a->name : "unmovable");
              va_emit (m, VA_EV_CMA_BUSY, VA_FN_ALLOC_CONTIG_MIGRATE_RANGE, va_machine_pfn_zone (m, pfn),
                       0, 0, 0, pfn, 0, p->owner, 0, 0);
            }
        }
      pfn = next;
    }
  if (unnamed)
    va_machine_log (m, "op %u: cma_alloc: migrated %u workload blocks out of pfn %u-%u",
                    m->op_count + 1, unnamed, start, end - 1);
}

/* models mm/page_alloc.c: isolate_freepages_range() + split_map_pages() and
 * free_contig_range() of the excess: the range's frames become order-0
 * pages of @a; the parts of the outer free blocks outside the range are
 * freed again page by page. */
static void
take_range (VaMachine    *m,
            VaZone       *zone,
            guint32       start,
            guint32       end,
            VaAllocation *a)
{
  guint32 pfn = va_machine_block_head (m, start);

  while (pfn < end)
    {
      VaPage *p = va_page (m, pfn);
      guint32 block_end = pfn + (1u << p->order);

      g_assert (p->state == VA_PAGE_FREE);
      va_del_from_free_list (m, zone, pfn, VA_FN_ISOLATE_FREEPAGES_RANGE);
      for (guint32 q = pfn; q < block_end; q++)
        {
          VaPage *page = va_page (m, q);

          *page = (VaPage) { .owner = a->id, .state = VA_PAGE_ALLOCATED, .order = 0 };
          if (q < start || q >= end)
            va_free_one_page (m, zone, q, 0, VA_MT_ISOLATE, FALSE);
        }
      pfn = block_end;
    }
  va_emit (m, VA_EV_CMA_TAKE, VA_FN_ISOLATE_FREEPAGES_RANGE, zone->type, 0, 0, 0, start, end - 1,
           0, 0, 0);
}

/* models mm/page_isolation.c: test_pages_isolated(): every frame of the
 * range is a free block on an isolate list. */
static gboolean
range_is_free (VaMachine *m,
               guint32    start,
               guint32    end)
{
  for (guint32 pfn = va_machine_block_head (m, start); pfn < end;)
    {
      VaPage *p = va_page (m, pfn);

      if (p->state != VA_PAGE_FREE)
        return FALSE;
      pfn += 1u << p->order;
    }
  return TRUE;
}

/* models mm/page_alloc.c: alloc_contig_range(start, end, MIGRATE_CMA).
 * Returns 0 or -EBUSY with the busy pfns in @busy. */
static gint
alloc_contig_range (VaMachine    *m,
                    guint32       start,
                    guint32       end,
                    VaAllocation *a,
                    GString      *log,
                    GString      *busy)
{
  VaZone *zone = &m->zones[va_machine_pfn_zone (m, start)];
  guint32 block = pageblock_pages (m);
  guint32 first = start & ~(block - 1);
  guint32 last = (end + block - 1) & ~(block - 1);
  gint ret = 0;

  isolate_range (m, zone, first, last);
  va_pcp_drain_zone (m, zone);
  va_emit (m, VA_EV_CMA_DRAIN, VA_FN_DRAIN_ALL_PAGES, zone->type, 0, 0, 0, 0, 0, 0, 0, 0);
  migrate_range (m, start, end, log, busy);
  va_pcp_drain_zone (m, zone);
  if (busy->len || !range_is_free (m, start, end))
    ret = -EBUSY;
  else
    take_range (m, zone, start, end, a);
  unisolate_range (m, zone, first, last);
  return ret;
}

/*** Ops ***/

static gboolean
check_cma_available (VaMachine  *m,
                     const char *call,
                     GError    **error)
{
  if (!m->profile->has_cma)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED,
                   "%s: the contiguous memory allocator appeared in Linux 3.5; %s has none",
                   call, m->profile->name);
      return FALSE;
    }
  if (m->cma == NULL)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED,
                   "%s: this machine has no CMA area; boot it with cma=SIZE (linux-6.1)", call);
      return FALSE;
    }
  return TRUE;
}

static void
set_bits (VaCmaArea *area,
          guint32    first,
          guint32    count,
          guint8     value)
{
  memset (area->bitmap + first, value, count);
}

/* One attempt per aligned free bitmap range until one succeeds or the
 * bitmap has no candidate left.  Returns 0, -EBUSY or -ENOMEM. */
static gint
cma_alloc_range (VaMachine    *m,
                 VaCmaArea    *area,
                 guint32       count,
                 guint         align,
                 VaAllocation *a,
                 GString      *log,
                 GString      *busy)
{
  guint32 mask = (1u << align) - 1;
  guint32 offset = area->base_pfn & mask;   /* cma_bitmap_aligned_offset(), order_per_bit 0 */
  guint32 start = 0;
  gint ret = -ENOMEM;

  for (;;)
    {
      gint64 index = find_next_zero_area (area, start, count, mask, offset);
      g_autoptr(GString) why = g_string_new (NULL);
      guint32 pfn;

      if (index < 0)
        return ret;
      pfn = area->base_pfn + index;
      set_bits (area, index, count, 1);
      va_emit (m, VA_EV_CMA_BITMAP, VA_FN_CMA_ALLOC, VA_ZONE_NORMAL, 0, 0, 0, pfn, pfn + count - 1,
               index, 0, 0);
      if (alloc_contig_range (m, pfn, pfn + count, a, log, why) == 0)
        {
          a->pfn = pfn;
          return 0;
        }
      set_bits (area, index, count, 0);
      g_string_append_printf (busy, "%s%s", busy->len ? "; " : "", why->str);
      va_machine_log (m, "op %u: cma_alloc: pfn %u-%u busy (%s): -EBUSY, retrying at bitmap "
                      "offset %u", m->op_count + 1, pfn, pfn + count - 1, why->str,
                      (guint32) index + mask + 1);
      va_emit (m, VA_EV_CMA_RETRY, VA_FN_CMA_ALLOC, VA_ZONE_NORMAL, 0, 0, 0, pfn, 0,
               index + mask + 1, 0, 0);
      ret = -EBUSY;
      start = index + mask + 1;
    }
}

/* models mm/cma.c: cma_alloc(); the default alignment is that of
 * dma_alloc_from_contiguous(): min(get_order(size), CONFIG_CMA_ALIGNMENT). */
gboolean
va_cma_alloc_op (VaMachine   *m,
                 const VaOp  *op,
                 VaOpResult  *result,
                 GError     **error)
{
  VaCmaArea *area;
  VaAllocation *a;
  guint align;
  gint ret;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GString) busy = g_string_new (NULL);

  if (!check_cma_available (m, "cma_alloc", error) ||
      !va_machine_check_name_free (m, "cma_alloc", op->name, error))
    return FALSE;
  area = m->cma->areas->pdata[0];
  if (op->size == 0)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "cma_alloc %s 0: the count must be at least one page", op->name);
      return FALSE;
    }
  /* get_order(COUNT pages): 0 for one page */
  align = op->has_align ? op->order
                        : MIN (op->size > 1 ? (guint) g_bit_storage (op->size - 1) : 0, CMA_ALIGNMENT);
  a = va_machine_new_allocation (m, op->name, VA_ALLOC_CMA);
  a->size = op->size << VA_PAGE_SHIFT;
  a->nr_pages = op->size;
  /* cma_alloc(): bitmap_count > bitmap_maxno → -ENOMEM at once */
  ret = op->size > area->count ? -ENOMEM : cma_alloc_range (m, area, op->size, align, a, log, busy);
  if (ret != 0)
    {
      va_machine_fail_op (m, a, "cma_alloc", result,
                          g_strdup_printf ("cma_alloc: %s: alloc failed, req-size: %" G_GUINT64_FORMAT
                                           " pages, ret: %d (%s)", area->name, op->size, ret,
                                           ret == -ENOMEM ? "no free range of that size and alignment "
                                                            "in the bitmap" : busy->str));
      return TRUE;
    }
  a->state = VA_ALLOC_LIVE;
  a->zone = va_machine_pfn_zone (m, a->pfn);
  a->virt = m->config.page_offset + (a->pfn << VA_PAGE_SHIFT);
  a->nr_pages = op->size;
  a->migratetype = VA_MT_CMA;
  va_machine_log (m, "op %u: cma_alloc %s: %" G_GUINT64_FORMAT " page%s at pfn %u (align %u)",
                  m->op_count + 1, op->name, op->size, op->size == 1 ? "" : "s", a->pfn, align);
  return TRUE;
}

/* models mm/cma.c: cma_release() → free_contig_range(): page by page. */
gboolean
va_cma_release_op (VaMachine   *m,
                   const VaOp  *op,
                   GError     **error)
{
  VaAllocation *a;
  VaCmaArea *area;

  if (!check_cma_available (m, "cma_release", error) ||
      !(a = va_machine_find_live (m, "cma_release", op->name, error)))
    return FALSE;
  if (a->kind != VA_ALLOC_CMA)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_STATE, "cma_release %s: “%s” is a %s allocation, "
                   "not a CMA range", op->name, op->name, va_alloc_kind_name (a->kind));
      return FALSE;
    }
  area = m->cma->areas->pdata[0];
  for (guint32 i = 0; i < a->nr_pages; i++)
    va_free_pages (m, a->pfn + i, 0);
  set_bits (area, a->pfn - area->base_pfn, a->nr_pages, 0);
  va_emit (m, VA_EV_CMA_RELEASE, VA_FN_CMA_RELEASE, a->zone, 0, 0, 0, a->pfn,
           a->pfn + a->nr_pages - 1, 0, 0, 0);
  a->state = VA_ALLOC_FREED;
  return TRUE;
}

/* pin/unpin: an extra reference that migration cannot move (a FOLL_PIN
 * pin held during I/O, or a driver's get_page()).  6.1 migrates a page out
 * of CMA before a FOLL_LONGTERM pin (check_and_migrate_movable_pages());
 * this op models the pins that hold a page where it is. */
gboolean
va_pin_op (VaMachine   *m,
           const VaOp  *op,
           GError     **error)
{
  gboolean pin = op->kind == VA_OP_PIN;
  const char *call = pin ? "pin" : "unpin";
  VaAllocation *a;

  if (!m->profile->has_cma)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED,
                   "%s: pins matter here because they block CMA's migration; the contiguous "
                   "memory allocator appeared in Linux 3.5 and %s has none", call, m->profile->name);
      return FALSE;
    }
  if (!(a = va_machine_find_live (m, call, op->name, error)))
    return FALSE;
  if (a->kind != VA_ALLOC_PAGES || !(va_page (m, a->pfn)->flags & VA_PAGE_F_MOVABLE))
    {
      g_set_error (error, VA_ERROR, VA_ERROR_STATE,
                   "%s %s: only movable page allocations (GFP_HIGHUSER_MOVABLE, __GFP_MOVABLE) "
                   "are pinned user pages", call, op->name);
      return FALSE;
    }
  if (a->pinned == pin)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_STATE, "%s %s: “%s” is %s pinned", call, op->name,
                   op->name, pin ? "already" : "not");
      return FALSE;
    }
  a->pinned = pin;
  if (pin)
    va_page (m, a->pfn)->flags |= VA_PAGE_F_PINNED;
  else
    va_page (m, a->pfn)->flags &= ~VA_PAGE_F_PINNED;
  return TRUE;
}

/* `workload movable seed=S pages=N`: user pages (GFP_USER | __GFP_MOVABLE,
 * lowmem, so they may borrow CMA pageblocks) in order-0 blocks, one in ten
 * of order 1 or 2, until N pages are allocated or the allocator refuses. */
gboolean
va_workload_movable (VaMachine *m,
                     guint64    seed,
                     guint64    pages,
                     GError   **error)
{
  guint32 gfp = 0, in_cma = 0, failures = 0;
  guint64 done = 0;
  VaRng rng;

  va_rng_init (&rng, seed);
  if (!m->profile->gfp_movable)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED, "workload movable: %s has no "
                   "__GFP_MOVABLE (mobility grouping came in 2.6.24)", m->profile->name);
      return FALSE;
    }
  va_gfp_parse (m->profile, "GFP_USER|__GFP_MOVABLE", &gfp, NULL);
  while (done < pages)
    {
      guint order = va_rng_below (&rng, 10) ? 0 : 1 + va_rng_below (&rng, 2);
      guint32 pfn;

      while (done + (1u << order) > pages)
        order--;
      pfn = va_alloc_pages (m, gfp, order, NULL, NULL);

      if (pfn == VA_PFN_NONE)
        {
          failures++;
          break;
        }
      va_page (m, pfn)->owner = VA_OWNER_WORKLOAD;
      va_page (m, pfn)->flags |= VA_PAGE_F_MOVABLE;
      g_array_append_val (m->workload_live, pfn);
      in_cma += va_machine_pageblock_mt (m, pfn) == VA_MT_CMA ? 1u << order : 0;
      done += 1u << order;
    }
  va_machine_log (m, "op %u: workload movable seed=%" G_GUINT64_FORMAT ": %" G_GUINT64_FORMAT
                  " pages allocated, %u of them in CMA pageblocks%s", m->op_count + 1, seed, done,
                  in_cma, failures ? "; stopped when the allocator refused" : "");
  return TRUE;
}

/*** Invariants ***/

#define FAIL(...) G_STMT_START { \
    g_set_error (error, VA_ERROR, VA_ERROR_STATE, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

/* The bitmap equals the live CMA allocations; no pageblock is isolated
 * outside an op; no unmovable allocation holds a CMA page. */
gboolean
va_cma_check (VaMachine *m,
              GError   **error)
{
  const VaCmaArea *area;
  g_autofree guint8 *expect = NULL;

  if (m->nr_isolated_pageblocks)
    FAIL ("%u pageblocks are still MIGRATE_ISOLATE after the op", m->nr_isolated_pageblocks);
  if (m->cma == NULL)
    return TRUE;
  area = m->cma->areas->pdata[0];
  expect = g_new0 (guint8, area->count);
  for (guint i = 2; i < m->allocs->len; i++)
    {
      const VaAllocation *a = m->allocs->pdata[i];

      if (a->kind != VA_ALLOC_CMA || a->state != VA_ALLOC_LIVE)
        continue;
      for (guint32 p = 0; p < a->nr_pages; p++)
        {
          const VaPage *page = &m->pages[a->pfn + p];

          expect[a->pfn + p - area->base_pfn] = 1;
          if (page->state != VA_PAGE_ALLOCATED || page->order != 0 || page->owner != a->id)
            FAIL ("CMA allocation “%s”: pfn %u is not its page", a->name, a->pfn + p);
        }
    }
  if (memcmp (expect, area->bitmap, area->count) != 0)
    FAIL ("the CMA bitmap differs from the live cma_alloc ranges");
  for (guint32 pfn = area->base_pfn; pfn < area->base_pfn + area->count;)
    {
      const VaPage *p = &m->pages[pfn];

      if (m->pageblock_mt[pfn >> m->pageblock_order] != VA_MT_CMA)
        FAIL ("pageblock at pfn %u of the CMA area is not MIGRATE_CMA", pfn);
      if (p->state == VA_PAGE_ALLOCATED && !(p->flags & VA_PAGE_F_MOVABLE) &&
          !(p->owner < m->allocs->len && ((VaAllocation *) m->allocs->pdata[p->owner])->kind == VA_ALLOC_CMA))
        FAIL ("pfn %u in the CMA area is held by an unmovable allocation", pfn);
      pfn += p->state == VA_PAGE_TAIL ? 1 : 1u << p->order;
    }
  return TRUE;
}
