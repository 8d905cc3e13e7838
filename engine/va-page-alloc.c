/* SPDX-License-Identifier: GPL-2.0-or-later */
/* __alloc_pages() of each profile: walk the zonelist, check the zone's
 * watermark, take a block from the buddy lists or the per-cpu lists.
 * There is no reclaim and no compaction: when the passes the kernel makes
 * before reclaiming fail, the allocation fails and says why. */
#define G_LOG_DOMAIN "va-page-alloc"

#include "va-page-alloc.h"
#include "va-buddy.h"
#include "va-gfp.h"
#include "va-pcp.h"

/* What one zone said during the last pass, to explain a failure. */
typedef struct {
  VaZoneType zone;
  gboolean   wmark_failed;
  gint64     free;
  gint64     need;
  const char *mark;
} ZoneTry;

typedef struct {
  ZoneTry tries[VA_NR_ZONES];
  guint   n;
} Attempt;

static void
attempt_reset (Attempt *a)
{
  a->n = 0;
}

/* Inline: every zone of every allocation notes its watermark check; a
 * call costs as much as the note. */
static G_ALWAYS_INLINE inline void
attempt_note (VaMachine  *m,
              Attempt    *a,
              VaZoneType  zone,
              gboolean    ok,
              gint64      free,
              gint64      need,
              const char *mark)
{
  ZoneTry *t = &a->tries[a->n++];

  t->zone = zone;
  t->wmark_failed = !ok;
  t->free = free;
  t->need = need;
  t->mark = mark;
  va_emit (m, ok ? VA_EV_WMARK_OK : VA_EV_WMARK_FAIL, VA_FN_ZONE_WATERMARK_OK, zone, 0, 0, 0,
           0, 0, (guint32) MAX (free, 0), (guint32) MAX (need, 0), 0);
}

static guint
largest_free_order (const VaMachine *m,
                    const VaZone    *zone)
{
  for (gint o = m->profile->max_order - 1; o >= 0; o--)
    if (zone->free_area[o].nr_free)
      return o;
  return 0;
}

/* Builds the failure text from the last pass over the zonelist. */
static char *
explain_failure (VaMachine     *m,
                 const Attempt *a,
                 guint32        gfp,
                 guint          order,
                 const char    *tail)
{
  GString *s = g_string_new (NULL);
  g_autofree char *flags = va_gfp_format (m->profile, gfp);
  gboolean fragmented = FALSE;

  g_string_append_printf (s, "order-%u allocation (%s) failed:", order, flags);
  if (a->n == 0)
    g_string_append (s, " no zone in the zonelist has pages");
  for (guint i = 0; i < a->n; i++)
    {
      const ZoneTry *t = &a->tries[i];
      const VaZone *zone = &m->zones[t->zone];

      if (t->wmark_failed)
        g_string_append_printf (s, " %s: free %" G_GINT64_FORMAT " <= %s %" G_GINT64_FORMAT ";",
                                va_zone_name (t->zone), t->free, t->mark, t->need);
      else
        {
          fragmented = TRUE;
          g_string_append_printf (s, " %s: %u pages free but no free block of order >= %u "
                                  "(largest is order %u);", va_zone_name (t->zone), zone->free,
                                  order, largest_free_order (m, zone));
        }
    }
  if (fragmented)
    g_string_append_printf (s, " free pages exist but no block of order %u: fragmentation.", order);
  else if (a->n)
    g_string_append (s, " every zone is below its watermark.");
  if (tail)
    g_string_append_printf (s, " %s", tail);
  return g_string_free (s, FALSE);
}

/* The block is no longer a buddy (prep_new_page()); each profile's
 * __alloc_pages() marks it where it got it, once.  Every path that hands
 * out a block wrote its head frame taking it off a list (va_page()), so
 * the frame is marked for checkpoints already. */
static void
mark_allocated (VaMachine *m,
                guint32    pfn,
                guint      order)
{
  VaPage *p = &m->pages[pfn];

  p->state = VA_PAGE_ALLOCATED;
  p->order = order;
  p->owner = VA_OWNER_NONE;
  p->owner_aux = 0;
}

/*** 2.4.21 ***/

/* models mm/page_alloc.c: __alloc_pages() (2.4): a zone is used when its free
 * pages exceed the *cumulative* pages_low (then pages_min) of the zones so
 * far, so a fallback zone also covers the reserves of the ones before it. */
static guint32
alloc_2_4 (VaMachine        *m,
           guint32           gfp,
           guint             order,
           const VaZonelist *zl,
           Attempt          *a)
{
  /* two copies of the pass, so that each has its marks as constants */
#pragma GCC unroll 2
  for (guint pass = 0; pass < 2; pass++)
    {
      guint64 min = 1u << order;

      attempt_reset (a);
      for (guint i = 0; i < zl->n; i++)
        {
          VaZone *zone = &m->zones[zl->zones[i]];
          guint64 local = pass == 0 ? zone->wmark_low : zone->wmark_min;
          guint32 pfn;

          if (pass == 1 && !(gfp & m->profile->gfp_wait))
            local >>= 2;
          min += local;
          attempt_note (m, a, zl->zones[i], zone->free > min, zone->free, min,
                        pass == 0 ? "cumulative pages_low" : "cumulative pages_min");
          if (zone->free <= min)
            continue;
          pfn = va_rmqueue_smallest_gen (m, zone, order, 0, VA_GEN_2_4);
          if (pfn != VA_PFN_NONE)
            {
              mark_allocated (m, pfn, order);
              return pfn;
            }
          va_emit (m, VA_EV_NO_BLOCK, VA_FN_RMQUEUE, zone->type, order, 0, 0, 0, 0, 0, 0, 0);
        }
    }
  return VA_PFN_NONE;
}

/*** 2.6.9 ***/

/* models mm/page_alloc.c: buffered_rmqueue() (2.6.9) */
static guint32
buffered_rmqueue (VaMachine *m,
                  VaZone    *zone,
                  guint      order,
                  guint32    gfp)
{
  guint32 pfn = VA_PFN_NONE;

  if (va_pcp_allowed_order (m, order))
    pfn = va_buffered_rmqueue_pcp (m, zone, (gfp & m->profile->gfp_cold) != 0);
  if (pfn == VA_PFN_NONE)
    pfn = va_rmqueue_smallest_gen (m, zone, order, 0, VA_GEN_2_6);
  return pfn;
}

/* models mm/page_alloc.c: __alloc_pages() (2.6.9): pass 1 against
 * pages_low, pass 2 against pages_min (halved for __GFP_HIGH, less a quarter
 * when the caller cannot sleep: GFP_ATOMIC reaches 3/8 of pages_min). */
static guint32
alloc_2_6 (VaMachine        *m,
           guint32           gfp,
           guint             order,
           const VaZonelist *zl,
           Attempt          *a)
{
  /* two copies of the pass, so that each has its marks as constants */
#pragma GCC unroll 2
  for (guint pass = 0; pass < 2; pass++)
    {
      attempt_reset (a);
      for (guint i = 0; i < zl->n; i++)
        {
          VaZone *zone = &m->zones[zl->zones[i]];
          guint64 min;
          guint32 pfn;

          if (pass == 0)
            min = zone->wmark_low;
          else
            {
              min = zone->wmark_min;
              if (gfp & m->profile->gfp_high)
                min /= 2;
              if (!(gfp & m->profile->gfp_wait))   /* can_try_harder */
                min -= min / 4;
            }
          min += (1u << order) + zone->lowmem_reserve[zl->classzone];
          attempt_note (m, a, zl->zones[i], zone->free >= min, zone->free, min,
                        pass == 0 ? "pages_low + 2^order" : "pages_min + 2^order");
          if (zone->free < min)
            continue;
          pfn = buffered_rmqueue (m, zone, order, gfp);
          if (pfn != VA_PFN_NONE)
            {
              mark_allocated (m, pfn, order);
              return pfn;
            }
          va_emit (m, VA_EV_NO_BLOCK, VA_FN_RMQUEUE, zone->type, order, 0, 0, 0, 0, 0, 0, 0);
        }
    }
  return VA_PFN_NONE;
}

/*** 6.1 ***/

/* models mm/page_alloc.c: __zone_watermark_ok() (6.1)
 * Inline, like everything get_page_from_freelist() runs per zone: out of
 * line, the calls cost as much as the checks. */
static G_ALWAYS_INLINE inline gboolean
zone_watermark_ok (VaMachine  *m,
                   VaZone     *zone,
                   guint       order,
                   gint64      mark,
                   VaZoneType  classzone,
                   guint       alloc_flags,
                   Attempt    *a)
{
  gint64 free = zone->free;
  gint64 min = mark;
  gboolean harder = (alloc_flags & VA_AF_HARDER) != 0;
  gboolean ok = FALSE;

  /* __zone_watermark_unusable_free() */
  free -= (1 << order) - 1;
  if (!harder)
    free -= zone->nr_reserved_highatomic;
  if (!(alloc_flags & VA_AF_CMA))
    free -= zone->free_cma;
  if (alloc_flags & VA_AF_HIGH)
    min -= min / 2;
  if (harder)
    min -= min / 4;
  if (free > min + zone->lowmem_reserve[classzone])
    {
      ok = order == 0;
      for (guint o = order; !ok && o < m->profile->max_order; o++)
        {
          const VaFreeArea *area = &zone->free_area[o];

          for (guint mt = 0; mt < VA_MT_PCPTYPES && !ok; mt++)
            ok = area->free_list[mt].head != VA_PFN_NONE;
          if ((alloc_flags & VA_AF_CMA) && area->free_list[VA_MT_CMA].head != VA_PFN_NONE)
            ok = TRUE;
          if (harder && area->free_list[VA_MT_HIGHATOMIC].head != VA_PFN_NONE)
            ok = TRUE;
        }
      if (!ok)
        {
          /* the watermark holds but no block is big enough: record it as such */
          attempt_note (m, a, zone->type, TRUE, free, min + zone->lowmem_reserve[classzone],
                        "watermark");
          return FALSE;
        }
    }
  attempt_note (m, a, zone->type, ok, free, min + zone->lowmem_reserve[classzone],
                (alloc_flags & VA_AF_WMARK_MASK) == VA_AF_WMARK_LOW ? "low watermark + lowmem_reserve"
                                                                            : "min watermark + lowmem_reserve");
  return ok;
}

/* models mm/page_alloc.c: reserve_highatomic_pageblock() (6.1): at most
 * 1% of the zone plus one pageblock. */
static void
reserve_highatomic_pageblock (VaMachine *m,
                              VaZone    *zone,
                              guint32    pfn)
{
  guint32 max_managed = zone->managed / 100 + (1u << m->pageblock_order);
  guint mt = va_machine_pageblock_mt (m, pfn);

  if (zone->nr_reserved_highatomic >= max_managed || !va_migratetype_is_mergeable (mt))
    return;
  zone->nr_reserved_highatomic += 1u << m->pageblock_order;
  va_set_pageblock_migratetype (m, pfn, VA_MT_HIGHATOMIC, VA_FN_RESERVE_HIGHATOMIC);
  va_move_freepages_block (m, zone, pfn, VA_MT_HIGHATOMIC, NULL);
}

/* models mm/page_alloc.c: rmqueue() + rmqueue_buddy() (6.1) */
static G_ALWAYS_INLINE inline guint32
rmqueue_61 (VaMachine *m,
            VaZone    *zone,
            guint      order,
            guint      mt,
            guint      alloc_flags)
{
  guint32 pfn = VA_PFN_NONE;

  if (va_pcp_allowed_order (m, order))
    {
      pfn = va_rmqueue_pcplist (m, zone, order, mt, alloc_flags);
      if (pfn != VA_PFN_NONE)
        return pfn;
    }
  if (order > 0 && (alloc_flags & VA_AF_HARDER))
    pfn = va_rmqueue_smallest_gen (m, zone, order, VA_MT_HIGHATOMIC, VA_GEN_6_1);
  if (pfn == VA_PFN_NONE)
    pfn = va_rmqueue (m, zone, order, mt, alloc_flags);
  return pfn;
}

/* models mm/page_alloc.c: get_page_from_freelist() (6.1)
 * Inline in alloc_6_1(): the fast pass runs it for every allocation. */
static G_ALWAYS_INLINE inline guint32
get_page_from_freelist (VaMachine        *m,
                        guint             order,
                        guint             mt,
                        guint             alloc_flags,
                        const VaZonelist *zl,
                        Attempt          *a)
{
  attempt_reset (a);
  for (guint i = 0; i < zl->n; i++)
    {
      VaZone *zone = &m->zones[zl->zones[i]];
      guint wm = alloc_flags & VA_AF_WMARK_MASK;
      gint64 mark = (wm == VA_AF_WMARK_LOW ? zone->wmark_low
                     : wm == VA_AF_WMARK_HIGH ? zone->wmark_high : zone->wmark_min) +
                    zone->wmark_boost;
      guint32 pfn;

      if (!zone_watermark_ok (m, zone, order, mark, zl->classzone, alloc_flags, a))
        continue;
      pfn = rmqueue_61 (m, zone, order, mt, alloc_flags);
      if (pfn != VA_PFN_NONE)
        {
          /* prep_new_page() comes first: the block is no longer a buddy, so
           * move_freepages_block() must pass over it when its pageblock
           * turns HighAtomic (it moved it as a free block, corrupting the
           * lists) */
          mark_allocated (m, pfn, order);
          if (order && (alloc_flags & VA_AF_HARDER))
            reserve_highatomic_pageblock (m, zone, pfn);
          return pfn;
        }
      a->tries[a->n - 1].wmark_failed = FALSE;
      va_emit (m, VA_EV_NO_BLOCK, VA_FN_RMQUEUE, zone->type, order, mt, 0, 0, 0, 0, 0, 0);
    }
  return VA_PFN_NONE;
}

/* models mm/page_alloc.c: __alloc_pages() + the first steps of
 * __alloc_pages_slowpath() (6.1): the fast pass at the low watermark,
 * then gfp_to_alloc_flags(): the min watermark, ALLOC_HIGH for __GFP_HIGH,
 * ALLOC_HARDER for __GFP_ATOMIC. */
static guint32
alloc_6_1 (VaMachine        *m,
           guint32           gfp,
           guint             order,
           guint             mt,
           const VaZonelist *zl,
           Attempt          *a,
           const char      **tail)
{
  const VaProfile *p = m->profile;
  guint cma = (mt == VA_MT_MOVABLE) ? VA_AF_CMA : 0;

  guint32 pfn;
  guint flags;

  /* The fast pass inline on its own: its flags are constants there, so
   * __zone_watermark_ok() folds to the plain comparison most allocations
   * need. */
  pfn = get_page_from_freelist (m, order, mt, VA_AF_WMARK_LOW | cma, zl, a);
  if (pfn != VA_PFN_NONE)
    return pfn;
  flags = VA_AF_WMARK_MIN | cma;
  if (gfp & p->gfp_high)
    flags |= VA_AF_HIGH;
  if (gfp & p->gfp_atomic)
    flags |= VA_AF_HARDER;
  pfn = get_page_from_freelist (m, order, mt, flags, zl, a);
  if (pfn != VA_PFN_NONE)
    return pfn;
  *tail = (gfp & p->gfp_wait)
            ? "The kernel would now reclaim and compact; the simulator has no page cache to reclaim."
            : "Without __GFP_DIRECT_RECLAIM the caller cannot wait for reclaim.";
  return VA_PFN_NONE;
}

/* Clears a watermark boost as kswapd would once woken (no reclaim to do). */
static void
kswapd_reset_boost (VaMachine *m)
{
  if (G_LIKELY (!m->wmark_boosted))
    return;
  m->wmark_boosted = FALSE;
  for (guint z = 0; z < m->profile->nr_zones; z++)
    if (m->zones[z].wmark_boost)
      {
        m->zones[z].wmark_boost = 0;
        va_emit (m, VA_EV_BOOST_RESET, VA_FN_KSWAPD, z, 0, 0, 0, 0, 0, 0, 0, 0);
      }
}

guint32
va_alloc_pages (VaMachine  *m,
                guint32     gfp,
                guint       order,
                VaZoneType *zone_out,
                char      **reason)
{
  const VaZonelist *zl;
  Attempt a;
  const char *tail = NULL;
  guint32 pfn = VA_PFN_NONE;

  g_return_val_if_fail (order < m->profile->max_order, VA_PFN_NONE);

  a.n = 0;
  /* gfp_zone() and gfp_migratetype() read five profile fields; callers
   * mostly repeat one mask, so the machine keeps the last answer */
  if (G_UNLIKELY (gfp != m->gfp_alloc_mask))
    {
      m->gfp_alloc_mask = gfp;
      m->gfp_alloc_zone = va_gfp_zone (m->profile, gfp);
      m->gfp_alloc_mt = va_gfp_migratetype (m->profile, gfp);
    }
  zl = &m->zonelists[m->gfp_alloc_zone];
  switch (m->profile->gen)
    {
    case VA_GEN_2_4: pfn = alloc_2_4 (m, gfp, order, zl, &a); break;
    case VA_GEN_2_6: pfn = alloc_2_6 (m, gfp, order, zl, &a); break;
    case VA_GEN_6_1: pfn = alloc_6_1 (m, gfp, order, m->gfp_alloc_mt, zl, &a, &tail); break;
    default: g_assert_not_reached ();
    }
  kswapd_reset_boost (m);
  if (pfn == VA_PFN_NONE)
    {
      if (reason)
        *reason = explain_failure (m, &a, gfp, order, tail);
      return VA_PFN_NONE;
    }
  if (zone_out)
    *zone_out = va_machine_pfn_zone (m, pfn);
  return pfn;
}

/* The generation's free_the_page(): its per-cpu free for small orders,
 * __free_one_page() for the rest. */
static G_ALWAYS_INLINE inline void
free_pages_gen (VaMachine   *m,
                VaZone      *zone,
                guint32      pfn,
                VaPage      *p,
                guint        order,
                VaGeneration gen)
{
  if (gen == VA_GEN_6_1 && va_pcp_allowed_order (m, order))
    va_free_unref_page (m, zone, pfn, p, order);
  else if (gen == VA_GEN_2_6 && va_pcp_allowed_order (m, order))
    va_free_hot_cold_page (m, zone, pfn, p, FALSE);
  else
    va_free_one_page_gen (m, zone, pfn, order, va_machine_pageblock_mt (m, pfn), FALSE, gen);
}

/* models mm/page_alloc.c: __free_pages() → free_the_page(): small orders go
 * to the per-cpu lists where the profile has them, the rest to the buddy
 * lists with the pageblock's migrate type. */
void
va_free_pages (VaMachine *m,
               guint32    pfn,
               guint      order)
{
  VaZoneType zone_type = va_machine_pfn_zone (m, pfn);
  VaZone *zone = &m->zones[zone_type];
  VaPage *p = va_page (m, pfn);

  g_return_if_fail (p->state == VA_PAGE_ALLOCATED && p->order == order);

  p->owner = VA_OWNER_NONE;
  p->flags = 0;
  va_emit (m, VA_EV_FREE, VA_FN_ALLOC_PAGES, zone_type, order, 0, 0, pfn, 0, 0, 0, 0);
  /* The generation is asked once, and is a constant in each copy of
   * free_pages_gen() */
  switch (m->profile->gen)
    {
    case VA_GEN_6_1: free_pages_gen (m, zone, pfn, p, order, VA_GEN_6_1); break;
    case VA_GEN_2_6: free_pages_gen (m, zone, pfn, p, order, VA_GEN_2_6); break;
    case VA_GEN_2_4:
    default:         free_pages_gen (m, zone, pfn, p, order, VA_GEN_2_4); break;
    }
}
