/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The /proc files of each profile's kernel, printed from the machine's
 * state with the kernel's own format strings. */
#define G_LOG_DOMAIN "va-procfs"

#include "va-procfs.h"
#include "va-cma.h"
#include "va-vmalloc.h"

/* pagetypeinfo_showfree_print() stops counting a list here (6.1). */
#define PAGETYPEINFO_LIST_LIMIT 100000u

static gboolean
zone_shown (const VaMachine *m,
            guint            z)
{
  return z < m->profile->nr_zones && va_zone_populated (&m->zones[z]);
}

/* Buddy lists are threaded through VaPage by pfn; a damaged list must not
 * hang the printer, so the walk stops after nr_pfns steps. */
static gboolean
list_step (const VaMachine *m,
           guint32         *pfn,
           guint32         *steps)
{
  if (*pfn == VA_PFN_NONE || *pfn >= m->nr_pfns || *steps > m->nr_pfns)
    return FALSE;
  *steps += 1;
  return TRUE;
}

static guint32
list_length (const VaMachine *m,
             const VaList    *list,
             guint32          limit)
{
  guint32 n = 0, steps = 0;

  for (guint32 pfn = list->head; n < limit && list_step (m, &pfn, &steps);
       pfn = m->pages[pfn].next)
    n++;
  return n;
}

static void
append_list_pfns (GString         *s,
                  const VaMachine *m,
                  const VaList    *list)
{
  guint32 steps = 0;

  for (guint32 pfn = list->head; list_step (m, &pfn, &steps); pfn = m->pages[pfn].next)
    g_string_append_printf (s, " %lu", (gulong) pfn);
}

/* The per-zone lines of /proc/buddyinfo. */
static void
append_buddy_lines (GString   *s,
                    VaMachine *m)
{
  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      const VaZone *zone = &m->zones[z];

      if (!zone_shown (m, z))
        continue;
      g_string_append_printf (s, "Node 0, zone %8s ", va_zone_name (z));
      for (guint o = 0; o < m->profile->max_order; o++)
        g_string_append_printf (s, "%6lu ", (gulong) zone->free_area[o].nr_free);
      g_string_append_c (s, '\n');
    }
}

/* format of mm/vmstat.c: frag_show_print() (6.1); mm/page_alloc.c: frag_show() (2.6.9) */
char *
va_procfs_buddyinfo (VaMachine *m)
{
  g_autoptr (GString) s = g_string_new (NULL);

  g_return_val_if_fail (m != NULL, NULL);
  if (!m->profile->has_buddyinfo)
    g_string_append_printf (s, "# %s has no /proc/buddyinfo (it appeared in 2.6); "
                            "same counts in its format:\n", m->profile->name);
  append_buddy_lines (s, m);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The migrate types a 6.1 kernel of this configuration has: CMA only with
 * CONFIG_CMA, which the machine has when it has a CMA area. */
static guint
shown_migratetypes (const VaMachine *m,
                    VaMigrateType    types[VA_MT_TYPES])
{
  guint n = 0;

  for (guint mt = 0; mt < VA_MT_TYPES; mt++)
    if (mt != VA_MT_CMA || m->config.cma_bytes > 0)
      types[n++] = mt;
  return n;
}

/* format of mm/vmstat.c: pagetypeinfo_show(), pagetypeinfo_showfree_print() and
 * pagetypeinfo_showblockcount_print() (6.1) */
char *
va_procfs_pagetypeinfo (VaMachine *m)
{
  g_autoptr (GString) s = g_string_new (NULL);
  VaMigrateType types[VA_MT_TYPES];
  guint n_types, max_order;
  guint32 nr_pages;

  g_return_val_if_fail (m != NULL, NULL);
  if (!m->profile->has_pagetypeinfo || !m->profile->has_migratetypes)
    {
      g_string_append_printf (s, "# %s has no /proc/pagetypeinfo (it appeared in 2.6.24 with "
                              "mobility grouping); every free block is on one list per order\n",
                              m->profile->name);
      append_buddy_lines (s, m);
      return g_string_free (g_steal_pointer (&s), FALSE);
    }

  n_types = shown_migratetypes (m, types);
  max_order = m->profile->max_order;
  nr_pages = 1u << m->pageblock_order;

  g_string_append_printf (s, "Page block order: %d\n", (int) m->pageblock_order);
  g_string_append_printf (s, "Pages per block:  %lu\n", (gulong) nr_pages);
  g_string_append_c (s, '\n');

  /* pagetypeinfo_showfree() */
  g_string_append_printf (s, "%-43s ", "Free pages count per migrate type at order");
  for (guint o = 0; o < max_order; o++)
    g_string_append_printf (s, "%6d ", (int) o);
  g_string_append_c (s, '\n');
  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      const VaZone *zone = &m->zones[z];

      if (!zone_shown (m, z))
        continue;
      for (guint t = 0; t < n_types; t++)
        {
          g_string_append_printf (s, "Node %4d, zone %8s, type %12s ", 0, va_zone_name (z),
                                  va_migratetype_name (types[t]));
          for (guint o = 0; o < max_order; o++)
            {
              guint32 n = list_length (m, &zone->free_area[o].free_list[types[t]],
                                       PAGETYPEINFO_LIST_LIMIT);

              g_string_append_printf (s, "%s%6lu ", n >= PAGETYPEINFO_LIST_LIMIT ? ">" : "",
                                      (gulong) n);
            }
          g_string_append_c (s, '\n');
        }
    }

  /* pagetypeinfo_showblockcount(): the kernel steps from zone_start_pfn by
   * pageblock_nr_pages without aligning, so an unaligned zone counts the
   * pageblock its first pfn falls in. */
  g_string_append_printf (s, "\n%-23s", "Number of blocks type ");
  for (guint t = 0; t < n_types; t++)
    g_string_append_printf (s, "%12s ", va_migratetype_name (types[t]));
  g_string_append_c (s, '\n');
  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      const VaZone *zone = &m->zones[z];
      gulong count[VA_MT_TYPES] = { 0, };

      if (!zone_shown (m, z))
        continue;
      for (guint64 pfn = zone->start_pfn; pfn < zone->end_pfn && pfn < m->nr_pfns; pfn += nr_pages)
        {
          guint mt = m->pageblock_mt[pfn >> m->pageblock_order];

          if (mt < VA_MT_TYPES)
            count[mt]++;
        }
      g_string_append_printf (s, "Node %d, zone %8s ", 0, va_zone_name (z));
      for (guint t = 0; t < n_types; t++)
        g_string_append_printf (s, "%12lu ", count[types[t]]);
      g_string_append_c (s, '\n');
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* include/linux/bitops.h: fls() */
static int
fls32 (guint32 x)
{
  int r = 0;

  while (x)
    {
      x >>= 1;
      r++;
    }
  return r;
}

/* mm/vmstat.c: calculate_normal_threshold() (6.1) */
static int
stat_threshold (const VaMachine *m,
                const VaZone    *zone)
{
  int mem = zone->managed >> (27 - VA_PAGE_SHIFT);   /* 128 MiB units */
  int threshold = 2 * fls32 (m->config.cpus) * (1 + fls32 (mem));

  return MIN (125, threshold);
}

/* The zone counters of 6.1's zone_stat_item, in vmstat_text[] order, with
 * the values the simulator tracks (it has no LRU, mlock, bounce or zsmalloc). */
static void
append_zone_stats (GString      *s,
                   const VaZone *zone)
{
  const struct {
    const char *name;
    guint32     value;
  } items[] = {
    { "nr_free_pages", zone->free },
    { "nr_zone_inactive_anon", 0 },
    { "nr_zone_active_anon", 0 },
    { "nr_zone_inactive_file", 0 },
    { "nr_zone_active_file", 0 },
    { "nr_zone_unevictable", 0 },
    { "nr_zone_write_pending", 0 },
    { "nr_mlock", 0 },
    { "nr_bounce", 0 },
    { "nr_zspages", 0 },
    { "nr_free_cma", zone->free_cma },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    g_string_append_printf (s, "\n      %-12s %lu", items[i].name, (gulong) items[i].value);
}

/* format of mm/vmstat.c: zoneinfo_show_print() (6.1), without the
 * "per-node stats" block (node LRU and slab counters are not simulated).
 * 2.6.9 and 2.4.21 get the same fields, with 2.6.9's hot/cold per-cpu lists
 * printed as 2.6.13's zoneinfo did. */
char *
va_procfs_zoneinfo (VaMachine *m)
{
  g_autoptr (GString) s = g_string_new (NULL);
  const VaProfile *p;
  gboolean modern;

  g_return_val_if_fail (m != NULL, NULL);
  p = m->profile;
  modern = p->gen == VA_GEN_6_1;
  if (!p->has_zoneinfo)
    g_string_append_printf (s, "# %s has no /proc/zoneinfo (it appeared in 2.6.13); "
                            "the same fields:\n", p->name);

  for (guint z = 0; z < p->nr_zones; z++)
    {
      const VaZone *zone = &m->zones[z];
      /* 6.1: min_wmark_pages() and friends add watermark_boost */
      guint32 boost = modern ? zone->wmark_boost : 0;

      g_string_append_printf (s, "Node %d, zone %8s", 0, va_zone_name (z));
      g_string_append_printf (s,
                              "\n  pages free     %lu"
                              "\n        boost    %lu"
                              "\n        min      %lu"
                              "\n        low      %lu"
                              "\n        high     %lu"
                              "\n        spanned  %lu"
                              "\n        present  %lu"
                              "\n        managed  %lu"
                              "\n        cma      %lu",
                              (gulong) zone->free,
                              (gulong) zone->wmark_boost,
                              (gulong) zone->wmark_min + boost,
                              (gulong) zone->wmark_low + boost,
                              (gulong) zone->wmark_high + boost,
                              (gulong) zone->spanned,
                              (gulong) zone->present,
                              (gulong) zone->managed,
                              (gulong) zone->cma_pages);
      g_string_append_printf (s, "\n        protection: (%ld", (glong) zone->lowmem_reserve[0]);
      for (guint j = 1; j < p->nr_zones; j++)
        g_string_append_printf (s, ", %ld", (glong) zone->lowmem_reserve[j]);
      g_string_append_c (s, ')');

      /* If unpopulated, no other information is useful */
      if (!va_zone_populated (zone))
        {
          g_string_append_c (s, '\n');
          continue;
        }

      if (modern)
        append_zone_stats (s, zone);
      else
        g_string_append_printf (s, "\n      %-12s %lu", "nr_free_pages", (gulong) zone->free);

      if (p->pcp != VA_PCP_NONE)
        {
          g_string_append (s, "\n  pagesets");
          for (guint c = 0; c < m->config.cpus && c < VA_MAX_CPUS; c++)
            {
              const VaPcp *pcp = &zone->pcp[c];

              if (p->pcp == VA_PCP_HOT_COLD)
                {
                  for (guint j = 0; j < 2; j++)
                    g_string_append_printf (s,
                                            "\n    cpu: %i pcp: %i"
                                            "\n              count: %i"
                                            "\n              low:   %i"
                                            "\n              high:  %i"
                                            "\n              batch: %i",
                                            (int) c, (int) j, (int) pcp->count[j],
                                            (int) pcp->low[j], (int) pcp->high[j],
                                            (int) pcp->batch);
                }
              else
                {
                  g_string_append_printf (s,
                                          "\n    cpu: %i"
                                          "\n              count: %i"
                                          "\n              high:  %i"
                                          "\n              batch: %i",
                                          (int) c, (int) pcp->count[0], (int) pcp->high[0],
                                          (int) pcp->batch);
                  g_string_append_printf (s, "\n  vm stats threshold: %d",
                                          stat_threshold (m, zone));
                }
            }
        }
      g_string_append_printf (s,
                              "\n  node_unreclaimable:  %u"
                              "\n  start_pfn:           %lu",
                              0u, (gulong) zone->start_pfn);
      g_string_append_c (s, '\n');
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* vmalloc space in use, in kB: no vmalloc areas are simulated yet. */
/* VmallocUsed: 6.1 counts vmalloc'ed pages only (nr_vmalloc_pages);
 * 2.6.9 adds up vm->size of every area, guard pages included. */
static guint64
vmalloc_used_kb (VaMachine *m)
{
  if (m->profile->gen == VA_GEN_6_1)
    return (guint64) m->vmalloc->vmalloc_pages * (VA_PAGE_SIZE >> 10);
  return m->vmalloc->busy_bytes >> 10;
}

static guint64
vmalloc_total_kb (VaMachine *m)
{
  return ((guint64) m->layout.vmalloc_end - m->layout.vmalloc_start) >> 10;
}

/* VmallocChunk: 6.1 prints 0 always; 2.6.9's get_vmalloc_info() reports the
 * largest gap between areas. */
static guint64
vmalloc_chunk_kb (VaMachine *m)
{
  if (m->profile->gen == VA_GEN_6_1)
    return 0;
  return (guint64) va_gap_tree_largest (m->vmalloc->space) * (VA_PAGE_SIZE >> 10);
}

typedef struct {
  guint64 total, free, high_total, high_free;   /* pages */
} MemTotals;

/* si_meminfo(): totalram_pages and the buddy free count (pcp pages are not
 * free pages for the kernel), split by highmem zones.  6.1's ZONE_MOVABLE
 * is highmem when it is carved from HighMem (zone_movable_is_highmem()). */
static void
mem_totals (const VaMachine *m,
            MemTotals       *t)
{
  gboolean movable_high = m->zones[VA_ZONE_HIGHMEM].present > 0;

  *t = (MemTotals) { 0, };
  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      const VaZone *zone = &m->zones[z];
      gboolean high = z == VA_ZONE_HIGHMEM || (z == VA_ZONE_MOVABLE && movable_high);

      t->total += zone->managed;
      t->free += zone->free;
      if (high)
        {
          t->high_total += zone->managed;
          t->high_free += zone->free;
        }
    }
}

/* MemAvailable: mm/page_alloc.c si_mem_available() (6.1), simplified to a
 * machine without page cache or reclaimable slab: free pages less
 * totalreserve_pages, which calculate_totalreserve_pages() sums per zone as
 * min(managed, largest lowmem_reserve + high watermark). */
static guint64
mem_available_pages (const VaMachine *m,
                     guint64          free_pages)
{
  guint64 reserve = 0;

  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      const VaZone *zone = &m->zones[z];
      guint64 max = 0;

      for (guint j = z; j < m->profile->nr_zones; j++)
        max = MAX (max, zone->lowmem_reserve[j]);
      max += zone->wmark_high;
      reserve += MIN (max, zone->managed);
    }
  return free_pages > reserve ? free_pages - reserve : 0;
}

#define KB(pages) ((guint64) (pages) << (VA_PAGE_SHIFT - 10))

/* show_val_kb(): "Name:" padded to 16 columns, then "%8lu kB" */
static void
show_kb (GString    *s,
         const char *label,
         guint64     kb)
{
  g_string_append_printf (s, "%-16s%8" G_GUINT64_FORMAT " kB\n", label, kb);
}

/* format of fs/proc/meminfo.c: meminfo_proc_show() with hugetlb_report_meminfo() (6.1) */
static void
meminfo_6_1 (GString   *s,
             VaMachine *m)
{
  MemTotals t;
  guint64 cma_total = 0, cma_free = 0;

  mem_totals (m, &t);
  for (guint z = 0; z < m->profile->nr_zones; z++)
    {
      cma_total += m->zones[z].cma_pages;
      cma_free += m->zones[z].free_cma;
    }

  show_kb (s, "MemTotal:", KB (t.total));
  show_kb (s, "MemFree:", KB (t.free));
  show_kb (s, "MemAvailable:", KB (mem_available_pages (m, t.free)));
  show_kb (s, "Buffers:", 0);
  show_kb (s, "Cached:", 0);
  show_kb (s, "SwapCached:", 0);
  show_kb (s, "Active:", 0);
  show_kb (s, "Inactive:", 0);
  show_kb (s, "Active(anon):", 0);
  show_kb (s, "Inactive(anon):", 0);
  show_kb (s, "Active(file):", 0);
  show_kb (s, "Inactive(file):", 0);
  show_kb (s, "Unevictable:", 0);
  show_kb (s, "Mlocked:", 0);
  show_kb (s, "HighTotal:", KB (t.high_total));
  show_kb (s, "HighFree:", KB (t.high_free));
  show_kb (s, "LowTotal:", KB (t.total - t.high_total));
  show_kb (s, "LowFree:", KB (t.free - t.high_free));
  show_kb (s, "SwapTotal:", 0);
  show_kb (s, "SwapFree:", 0);
  show_kb (s, "Zswap:", 0);
  show_kb (s, "Zswapped:", 0);
  show_kb (s, "Dirty:", 0);
  show_kb (s, "Writeback:", 0);
  show_kb (s, "AnonPages:", 0);
  show_kb (s, "Mapped:", 0);
  show_kb (s, "Shmem:", 0);
  show_kb (s, "KReclaimable:", 0);
  show_kb (s, "Slab:", 0);
  show_kb (s, "SReclaimable:", 0);
  show_kb (s, "SUnreclaim:", 0);
  show_kb (s, "KernelStack:", 0);
  show_kb (s, "PageTables:", 0);
  show_kb (s, "SecPageTables:", 0);
  show_kb (s, "NFS_Unstable:", 0);
  show_kb (s, "Bounce:", 0);
  show_kb (s, "WritebackTmp:", 0);
  show_kb (s, "CommitLimit:", 0);
  show_kb (s, "Committed_AS:", 0);
  show_kb (s, "VmallocTotal:", vmalloc_total_kb (m));
  show_kb (s, "VmallocUsed:", vmalloc_used_kb (m));
  show_kb (s, "VmallocChunk:", vmalloc_chunk_kb (m));
  show_kb (s, "Percpu:", 0);
  g_string_append_printf (s, "HardwareCorrupted: %5lu kB\n", 0ul);
  show_kb (s, "AnonHugePages:", 0);
  show_kb (s, "ShmemHugePages:", 0);
  show_kb (s, "ShmemPmdMapped:", 0);
  show_kb (s, "FileHugePages:", 0);
  show_kb (s, "FilePmdMapped:", 0);
  if (m->config.cma_bytes > 0)
    {
      show_kb (s, "CmaTotal:", KB (cma_total));
      show_kb (s, "CmaFree:", KB (cma_free));
    }
  g_string_append_printf (s,
                          "HugePages_Total:   %5lu\n"
                          "HugePages_Free:    %5lu\n"
                          "HugePages_Rsvd:    %5lu\n"
                          "HugePages_Surp:    %5lu\n"
                          "Hugepagesize:   %8lu kB\n",
                          0ul, 0ul, 0ul, 0ul,
                          m->config.pae ? 2048ul : 4096ul);   /* HPAGE_SIZE = PMD_SIZE */
  g_string_append_printf (s, "Hugetlb:        %8lu kB\n", 0ul);
}

/* "Name:" padded to 14 columns, then "%8lu kB" (2.4.21 and 2.6.9) */
static void
show_kb_legacy (GString    *s,
                const char *label,
                guint64     kb)
{
  g_string_append_printf (s, "%-14s%8" G_GUINT64_FORMAT " kB\n", label, kb);
}

/* format of fs/proc/proc_misc.c: meminfo_read_proc() (2.6.9) */
static void
meminfo_2_6 (GString   *s,
             VaMachine *m)
{
  MemTotals t;

  mem_totals (m, &t);
  show_kb_legacy (s, "MemTotal:", KB (t.total));
  show_kb_legacy (s, "MemFree:", KB (t.free));
  show_kb_legacy (s, "Buffers:", 0);
  show_kb_legacy (s, "Cached:", 0);
  show_kb_legacy (s, "SwapCached:", 0);
  show_kb_legacy (s, "Active:", 0);
  show_kb_legacy (s, "Inactive:", 0);
  show_kb_legacy (s, "HighTotal:", KB (t.high_total));
  show_kb_legacy (s, "HighFree:", KB (t.high_free));
  show_kb_legacy (s, "LowTotal:", KB (t.total - t.high_total));
  show_kb_legacy (s, "LowFree:", KB (t.free - t.high_free));
  show_kb_legacy (s, "SwapTotal:", 0);
  show_kb_legacy (s, "SwapFree:", 0);
  show_kb_legacy (s, "Dirty:", 0);
  show_kb_legacy (s, "Writeback:", 0);
  show_kb_legacy (s, "Mapped:", 0);
  show_kb_legacy (s, "Slab:", 0);
  show_kb_legacy (s, "Committed_AS:", 0);
  show_kb_legacy (s, "PageTables:", 0);
  show_kb_legacy (s, "VmallocTotal:", vmalloc_total_kb (m));
  show_kb_legacy (s, "VmallocUsed:", vmalloc_used_kb (m));
  show_kb_legacy (s, "VmallocChunk:", vmalloc_chunk_kb (m));
}

/* format of fs/proc/proc_misc.c: meminfo_read_proc() (2.4.21) */
static void
meminfo_2_4 (GString   *s,
             VaMachine *m)
{
  MemTotals t;
  guint64 total_b, free_b;

  mem_totals (m, &t);
  total_b = t.total << VA_PAGE_SHIFT;
  free_b = t.free << VA_PAGE_SHIFT;
  g_string_append (s, "        total:    used:    free:  shared: buffers:  cached:\n");
  g_string_append_printf (s,
                          "Mem:  %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT
                          " %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT
                          " %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT "\n",
                          total_b, total_b - free_b, free_b,
                          (guint64) 0, (guint64) 0, (guint64) 0);
  g_string_append_printf (s,
                          "Swap: %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT
                          " %8" G_GUINT64_FORMAT "\n",
                          (guint64) 0, (guint64) 0, (guint64) 0);
  show_kb_legacy (s, "MemTotal:", KB (t.total));
  show_kb_legacy (s, "MemFree:", KB (t.free));
  show_kb_legacy (s, "MemShared:", 0);
  show_kb_legacy (s, "Buffers:", 0);
  show_kb_legacy (s, "Cached:", 0);
  show_kb_legacy (s, "SwapCached:", 0);
  show_kb_legacy (s, "Active:", 0);
  show_kb_legacy (s, "Inactive:", 0);
  show_kb_legacy (s, "HighTotal:", KB (t.high_total));
  show_kb_legacy (s, "HighFree:", KB (t.high_free));
  show_kb_legacy (s, "LowTotal:", KB (t.total - t.high_total));
  show_kb_legacy (s, "LowFree:", KB (t.free - t.high_free));
  show_kb_legacy (s, "SwapTotal:", 0);
  show_kb_legacy (s, "SwapFree:", 0);
}

/* Values the simulator does not model (page cache, slab, swap, LRU) are 0. */
char *
va_procfs_meminfo (VaMachine *m)
{
  g_autoptr (GString) s = g_string_new (NULL);

  g_return_val_if_fail (m != NULL, NULL);
  switch (m->profile->gen)
    {
    case VA_GEN_2_4:
      meminfo_2_4 (s, m);
      break;
    case VA_GEN_2_6:
      meminfo_2_6 (s, m);
      break;
    case VA_GEN_6_1:
    default:
      meminfo_6_1 (s, m);
      break;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Not a kernel file: free_area[order].free_list[type] of every zone (and
 * the per-cpu lists) as the pfns of their blocks, head first. */
char *
va_procfs_freelists (VaMachine *m)
{
  g_autoptr (GString) s = g_string_new (NULL);
  const VaProfile *p;

  g_return_val_if_fail (m != NULL, NULL);
  p = m->profile;
  for (guint z = 0; z < p->nr_zones; z++)
    {
      const VaZone *zone = &m->zones[z];

      for (guint o = 0; o < p->max_order; o++)
        for (guint mt = 0; mt < VA_MT_TYPES; mt++)
          {
            const VaList *list = &zone->free_area[o].free_list[mt];

            if (list->head == VA_PFN_NONE)
              continue;
            g_string_append_printf (s, "%s order=%u type=%s:", va_zone_name (z), o,
                                    p->has_migratetypes ? va_migratetype_name (mt) : "-");
            append_list_pfns (s, m, list);
            g_string_append_c (s, '\n');
          }
    }

  if (p->pcp == VA_PCP_NONE)
    return g_string_free (g_steal_pointer (&s), FALSE);
  for (guint z = 0; z < p->nr_zones; z++)
    for (guint c = 0; c < m->config.cpus && c < VA_MAX_CPUS; c++)
      {
        const VaPcp *pcp = &m->zones[z].pcp[c];

        if (p->pcp == VA_PCP_HOT_COLD)
          {
            /* 2.6.9: pcp[0] is the hot list, pcp[1] the cold one */
            for (guint j = 0; j < 2; j++)
              {
                if (pcp->lists[j].head == VA_PFN_NONE)
                  continue;
                g_string_append_printf (s, "%s pcp cpu=%u %s:", va_zone_name (z), c,
                                        j == 0 ? "hot" : "cold");
                append_list_pfns (s, m, &pcp->lists[j]);
                g_string_append_c (s, '\n');
              }
          }
        else
          {
            /* 6.1: lists[order_to_pindex(mt, order)] = lists[order * MIGRATE_PCPTYPES + mt] */
            for (guint pindex = 0; pindex < VA_PCP_NR_LISTS; pindex++)
              {
                if (pcp->lists[pindex].head == VA_PFN_NONE)
                  continue;
                g_string_append_printf (s, "%s pcp cpu=%u order=%u type=%s:", va_zone_name (z),
                                        c, pindex / VA_MT_PCPTYPES,
                                        va_migratetype_name (pindex % VA_MT_PCPTYPES));
                append_list_pfns (s, m, &pcp->lists[pindex]);
                g_string_append_c (s, '\n');
              }
          }
      }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Not a kernel file: the machine's log, one entry per line. */
char *
va_procfs_log (VaMachine *m)
{
  g_autoptr (GString) s = g_string_new (NULL);

  g_return_val_if_fail (m != NULL, NULL);
  for (guint i = 0; m->log != NULL && i < m->log->len; i++)
    {
      g_string_append (s, g_ptr_array_index (m->log, i));
      g_string_append_c (s, '\n');
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* format of mm/vmalloc.c: s_show() and show_purge_info() (6.1): busy areas
 * in address order, the caller column being the allocation's name, sizes
 * with the guard page; then the lazily freed areas. */
char *
va_procfs_vmallocinfo (VaMachine *m)
{
  GString *s = g_string_new (NULL);
  g_autoptr(GPtrArray) areas = va_vmalloc_sorted_areas (m);

  if (!m->profile->has_vmallocinfo)
    g_string_append_printf (s, "# %s has no /proc/vmallocinfo (it appeared in 2.6.25); "
                            "the same list in its format:\n", m->profile->name);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < areas->len; i++)
      {
        const VaVmapArea *area = areas->pdata[i];
        const VaAllocation *a = m->allocs->pdata[area->alloc_id];

        if (area->lazy != (pass == 1))
          continue;
        g_string_append_printf (s, "0x%08x-0x%08x %7u", area->start, area->start + area->size,
                                area->size);
        if (area->lazy)
          g_string_append (s, " unpurged vm_area\n");
        else
          g_string_append_printf (s, " %s pages=%u vmalloc\n", a->name, area->nr_pages);
      }
  return g_string_free (s, FALSE);
}

/* The set bits of a CMA bitmap as ranges, "0-63,128-191" ("" when none).
 * debugfs's bitmap file prints the raw bitmap as u32 words
 * (debugfs_create_u32_array); ranges say the same and are what a reader
 * wants to see. */
static void
append_bitmap_ranges (GString         *s,
                      const VaCmaArea *area)
{
  guint32 bits = area->count >> area->order_per_bit;
  gboolean first = TRUE;

  for (guint32 i = 0; i < bits; i++)
    {
      guint32 start = i;

      if (!area->bitmap[i])
        continue;
      while (i + 1 < bits && area->bitmap[i + 1])
        i++;
      g_string_append_printf (s, first ? "%lu" : ",%lu", (gulong) start);
      if (i > start)
        g_string_append_printf (s, "-%lu", (gulong) i);
      first = FALSE;
    }
}

/* format of mm/cma_debug.c: cma_debugfs_add_one() (6.1): one debugfs
 * directory per area, named after it; each line here is one of its files,
 * "<name>/<file>: <value>". */
char *
va_procfs_cma (VaMachine *m)
{
  g_autoptr (GString) s = g_string_new (NULL);

  g_return_val_if_fail (m != NULL, NULL);
  if (!m->profile->has_cma)
    {
      g_string_append_printf (s, "# %s has no CMA (it appeared in Linux 3.5)\n", m->profile->name);
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  if (m->cma == NULL || m->cma->areas == NULL || m->cma->areas->len == 0)
    {
      g_string_append (s, "# no CMA area: boot with cma=SIZE (linux-6.1)\n");
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  for (guint i = 0; i < m->cma->areas->len; i++)
    {
      const VaCmaArea *area = g_ptr_array_index (m->cma->areas, i);
      const char *name = area->name;

      /* cma_used_get(), cma_maxchunk_get(): in pages (bits << order_per_bit) */
      g_string_append_printf (s, "%s/base_pfn: %lu\n", name, (gulong) area->base_pfn);
      g_string_append_printf (s, "%s/count: %lu\n", name, (gulong) area->count);
      g_string_append_printf (s, "%s/order_per_bit: %u\n", name, area->order_per_bit);
      g_string_append_printf (s, "%s/used: %lu\n", name, (gulong) va_cma_area_used (area));
      g_string_append_printf (s, "%s/maxchunk: %lu\n", name, (gulong) va_cma_area_maxchunk (area));
      g_string_append_printf (s, "%s/bitmap: ", name);
      append_bitmap_ranges (s, area);
      g_string_append_c (s, '\n');
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}
