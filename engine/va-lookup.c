/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "What is at virtual address X": the region of the i386 kernel map, and
 * for mapped pages the frame and who owns it. */
#define G_LOG_DOMAIN "va-lookup"

#include "va-lookup.h"
#include "va-kmap.h"
#include "va-vmalloc.h"


static const VaAllocation *
owner_of (const VaMachine *m,
          guint32          pfn)
{
  const VaPage *p = &m->pages[va_machine_block_head (m, pfn)];

  if (p->state != VA_PAGE_ALLOCATED || p->owner >= m->allocs->len)
    return NULL;
  return m->allocs->pdata[p->owner];
}

static void
set_region (VaLookup *out,
            VaRegion  region,
            guint32   start,
            guint64   end)
{
  out->region = region;
  out->region_start = start;
  out->region_end = end;
}

static void
lookup_vmalloc (VaMachine *m,
                guint32    addr,
                VaLookup  *out)
{
  const VaVmalloc *vm = m->vmalloc;
  const VaVmapArea *area = va_vmalloc_area_at (m, addr);
  guint32 page = addr & ~(VA_PAGE_SIZE - 1);

  if (area == NULL)
    {
      set_region (out, VA_REGION_VMALLOC_FREE, vm->start, vm->end);
      return;
    }
  out->owner = m->allocs->pdata[area->alloc_id];
  out->index = (page - area->start) >> VA_PAGE_SHIFT;
  if (area->lazy)
    set_region (out, VA_REGION_VMALLOC_LAZY, area->start, (guint64) area->start + area->size);
  else if (page == area->start + area->size - VA_PAGE_SIZE)
    set_region (out, VA_REGION_VMALLOC_GUARD, page, (guint64) page + VA_PAGE_SIZE);
  else
    {
      set_region (out, VA_REGION_VMALLOC_AREA, area->start,
                  (guint64) area->start + area->size - VA_PAGE_SIZE);
      out->pfn = vm->pte[(page - vm->start) >> VA_PAGE_SHIFT];
    }
}

static void
lookup_pkmap (VaMachine *m,
              guint32    addr,
              VaLookup  *out)
{
  const VaLayout *l = &m->layout;
  guint slot = (addr - l->pkmap_base) >> VA_PAGE_SHIFT;

  set_region (out, VA_REGION_PKMAP, l->pkmap_base,
              l->pkmap_base + (guint64) l->last_pkmap * VA_PAGE_SIZE);
  out->index = slot;
  if (va_pkmap_slot_count (m->pkmap, slot) > 0)
    {
      out->pfn = va_pkmap_slot_pfn (m->pkmap, slot);
      out->owner = owner_of (m, out->pfn);
    }
}

/* The fixed regions above the vmalloc window, top down as the kernel
 * lays them out (pgtable_32_areas.h, fixmap.h). */
static void
lookup_top (VaMachine *m,
            guint32    addr,
            VaLookup  *out)
{
  const VaLayout *l = &m->layout;
  guint64 pkmap_end = l->pkmap_base + (guint64) l->last_pkmap * VA_PAGE_SIZE;

  if (addr >= l->fixaddr_top)
    set_region (out, VA_REGION_TOP, l->fixaddr_top, G_GUINT64_CONSTANT (1) << 32);
  else if (addr >= l->fixaddr_start)
    set_region (out, VA_REGION_FIXMAP, l->fixaddr_start, l->fixaddr_top);
  else if (l->cea_base && addr >= l->cea_base && addr < l->cea_end)
    set_region (out, VA_REGION_CPU_ENTRY, l->cea_base, l->cea_end);
  else if (l->ldt_base && addr >= l->ldt_base && addr < l->ldt_end)
    set_region (out, VA_REGION_LDT, l->ldt_base, l->ldt_end);
  else if (addr >= l->pkmap_base && addr < pkmap_end)
    lookup_pkmap (m, addr, out);
  else if (addr >= l->pkmap_base)
    set_region (out, VA_REGION_UNUSED, pkmap_end, l->fixaddr_start);
  else
    set_region (out, VA_REGION_VMALLOC_END_GAP, l->vmalloc_end, l->pkmap_base);
}

void
va_lookup_address (VaMachine *m,
                   guint32    addr,
                   VaLookup  *out)
{
  const VaLayout *l = &m->layout;

  g_return_if_fail (m != NULL && out != NULL);

  *out = (VaLookup) { .addr = addr, .pfn = VA_PFN_NONE };
  if (addr < l->page_offset)
    set_region (out, VA_REGION_USER, 0, l->page_offset);
  else if (addr < l->high_memory)
    {
      set_region (out, VA_REGION_LINEAR, l->page_offset, l->high_memory);
      out->pfn = (addr - l->page_offset) >> VA_PAGE_SHIFT;
      out->owner = owner_of (m, out->pfn);
    }
  else if (addr < l->vmalloc_start)
    set_region (out, VA_REGION_VMALLOC_GAP, l->high_memory, l->vmalloc_start);
  else if (addr < l->vmalloc_end)
    lookup_vmalloc (m, addr, out);
  else
    lookup_top (m, addr, out);
}

/* "free (order-3 block at pfn 1000, free_area[3] Movable)", "allocated to “a”" … */
static void
describe_frame (VaMachine          *m,
                GString            *s,
                guint32             pfn,
                const VaAllocation *owner)
{
  guint32 head = va_machine_block_head (m, pfn);
  const VaPage *p = &m->pages[head];

  g_string_append_printf (s, "pfn %u (phys 0x%09" G_GINT64_MODIFIER "x, %s): ", pfn,
                          (guint64) pfn << VA_PAGE_SHIFT,
                          va_zone_name (va_machine_pfn_zone (m, pfn)));
  switch (p->state)
    {
    case VA_PAGE_FREE:
      g_string_append_printf (s, "free, in the order-%u block at pfn %u on free_area[%u]%s%s",
                              p->order, head, p->order, m->profile->has_migratetypes ? " " : "",
                              m->profile->has_migratetypes ? va_migratetype_name (p->list_mt) : "");
      break;
    case VA_PAGE_PCP:
      g_string_append_printf (s, "free on a per-cpu list (order-%u block at pfn %u)", p->order, head);
      break;
    case VA_PAGE_ALLOCATED:
      if (owner && owner->name)
        g_string_append_printf (s, "allocated to “%s” (%s, order-%u block at pfn %u)", owner->name,
                                va_alloc_kind_name (owner->kind), p->order, head);
      else
        g_string_append_printf (s, "allocated (%s, order-%u block at pfn %u)",
                                owner ? va_alloc_kind_name (owner->kind) : "boot", p->order, head);
      break;
    case VA_PAGE_HOLE:
      g_string_append (s, "no RAM (a hole in the e820 map)");
      break;
    default:
      if (pfn >= m->kernel_start_pfn && pfn < m->kernel_end_pfn)
        g_string_append (s, "reserved: the kernel image");
      else if (pfn >= m->mem_map_start_pfn && pfn < m->mem_map_end_pfn)
        g_string_append (s, "reserved: mem_map (the struct page array)");
      else
        g_string_append (s, "reserved: BIOS data, EBDA or the ISA hole");
      break;
    }
}

static const char *const region_names[] = {
  [VA_REGION_USER] = "user space",
  [VA_REGION_LINEAR] = "linear map of lowmem",
  [VA_REGION_VMALLOC_GAP] = "the VMALLOC_OFFSET gap between high_memory and VMALLOC_START: never mapped",
  [VA_REGION_VMALLOC_AREA] = "vmalloc area",
  [VA_REGION_VMALLOC_GUARD] = "guard page of a vmalloc area: not mapped, an overrun faults here",
  [VA_REGION_VMALLOC_LAZY] = "lazily freed vmalloc area: unmapped, its range waits for the lazy purge",
  [VA_REGION_VMALLOC_FREE] = "free vmalloc space",
  [VA_REGION_VMALLOC_END_GAP] = "the two unmapped pages between VMALLOC_END and PKMAP_BASE",
  [VA_REGION_PKMAP] = "pkmap (kmap) window",
  [VA_REGION_LDT] = "LDT remap (one PMD for per-process LDTs under PTI)",
  [VA_REGION_CPU_ENTRY] = "cpu_entry_area (per-CPU GDT, entry stack, TSS)",
  [VA_REGION_UNUSED] = "unused (boot-time fixmap slots, alignment)",
  [VA_REGION_FIXMAP] = "fixmap: compile-time fixed mappings (APIC, IO-APIC, kmap_atomic, ACPI)",
  [VA_REGION_TOP] = "above FIXADDR_TOP: not mapped",
};

char *
va_lookup_describe (VaMachine *m,
                    guint32    addr)
{
  /* zeroed: once inlined, the compiler sees va_lookup_address()'s early
   * return (g_return_if_fail) leave it unset */
  VaLookup l = { 0 };
  GString *s = g_string_new (NULL);

  va_lookup_address (m, addr, &l);
  g_string_append_printf (s, "0x%08x: %s [0x%08x-0x%08" G_GINT64_MODIFIER "x)", addr,
                          region_names[l.region], l.region_start, l.region_end);
  switch (l.region)
    {
    case VA_REGION_LINEAR:
      g_string_append (s, "; ");
      describe_frame (m, s, l.pfn, l.owner);
      break;
    case VA_REGION_VMALLOC_AREA:
      g_string_append_printf (s, " of “%s”, page %u -> ", l.owner->name, l.index);
      describe_frame (m, s, l.pfn, l.owner);
      break;
    case VA_REGION_VMALLOC_GUARD:
    case VA_REGION_VMALLOC_LAZY:
      g_string_append_printf (s, "; area of “%s”", l.owner->name);
      break;
    case VA_REGION_PKMAP:
      g_string_append_printf (s, "; slot %u: ", l.index);
      if (l.pfn == VA_PFN_NONE)
        g_string_append (s, "not mapped");
      else
        describe_frame (m, s, l.pfn, l.owner);
      break;
    default:
      break;
    }
  return g_string_free (s, FALSE);
}

char *
va_lookup_format (VaMachine *m,
                  GArray    *addrs)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < addrs->len; i++)
    {
      g_autofree char *line = va_lookup_describe (m, g_array_index (addrs, guint32, i));

      g_string_append_printf (s, "%s\n", line);
    }
  return g_string_free (s, FALSE);
}
