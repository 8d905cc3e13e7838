/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "What is at virtual address X": the region of the i386 kernel map, and
 * for mapped pages the frame and who owns it. */
#define G_LOG_DOMAIN "va-lookup"

#include "va-lookup.h"
#include "va-buddy.h"
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

/* What the frame's block is: "free, in the order-3 block …", "allocated to “a” …" */
static void
describe_state (VaMachine          *m,
                GString            *s,
                guint32             pfn,
                const VaAllocation *owner)
{
  guint32 head = va_machine_block_head (m, pfn);
  const VaPage *p = &m->pages[head];

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

/* "pfn 1000 (phys …, Normal): free, in the order-3 block …" */
static void
describe_frame (VaMachine          *m,
                GString            *s,
                guint32             pfn,
                const VaAllocation *owner)
{
  g_string_append_printf (s, "pfn %u (phys 0x%09" G_GINT64_MODIFIER "x, %s): ", pfn,
                          (guint64) pfn << VA_PAGE_SHIFT,
                          va_zone_name (va_machine_pfn_zone (m, pfn)));
  describe_state (m, s, pfn, owner);
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

/* Every kernel virtual address that maps @pfn: the linear map for lowmem,
 * the vmalloc area page and the pkmap slot that map it now. */
static void
describe_mappings (VaMachine          *m,
                   GString            *s,
                   guint32             pfn,
                   const VaAllocation *owner)
{
  guint n = 0;

  if (pfn < m->layout.max_low_pfn)
    g_string_append_printf (s, "%s0x%08x (linear map)", n++ ? ", " : "",
                            m->layout.page_offset + (pfn << VA_PAGE_SHIFT));
  if (owner && owner->kind == VA_ALLOC_VMALLOC && owner->state == VA_ALLOC_LIVE)
    for (guint i = 0; i < owner->nr_pages; i++)
      if (owner->pfns[i] == pfn)
        g_string_append_printf (s, "%s0x%08x (vmalloc “%s”, page %u)", n++ ? ", " : "",
                                owner->virt + (i << VA_PAGE_SHIFT), owner->name, i);
  for (guint slot = 0; slot < va_pkmap_nr_slots (m->pkmap); slot++)
    if (va_pkmap_slot_count (m->pkmap, slot) > 0 && va_pkmap_slot_pfn (m->pkmap, slot) == pfn)
      g_string_append_printf (s, "%s0x%08x (pkmap slot %u)", n++ ? ", " : "",
                              m->layout.pkmap_base + (slot << VA_PAGE_SHIFT), slot);
  if (n == 0)
    g_string_append (s, "none: HighMem has no permanent kernel address (kmap or vmalloc maps it)");
}

/* A head of a buddy block (free, on a per-cpu list or allocated), not
 * reserved memory or a hole. */
static gboolean
is_buddy_block (const VaPage *p)
{
  return p->state == VA_PAGE_FREE || p->state == VA_PAGE_PCP || p->state == VA_PAGE_ALLOCATED;
}

static const char *
block_state_word (guint state)
{
  switch (state)
    {
    case VA_PAGE_FREE:      return "free";
    case VA_PAGE_PCP:       return "free (per-cpu)";
    case VA_PAGE_ALLOCATED: return "allocated";
    case VA_PAGE_HOLE:      return "no RAM";
    default:                return "reserved";
    }
}

/* "an allocated order-0 block", "inside the free order-5 block at pfn 512" */
static void
describe_block_briefly (VaMachine *m,
                        GString   *s,
                        guint32    pfn)
{
  guint32 head = va_machine_block_head (m, pfn);
  const VaPage *p = &m->pages[head];

  if (!is_buddy_block (p))
    g_string_append (s, block_state_word (p->state));
  else if (head == pfn)
    g_string_append_printf (s, "%s %s order-%u block", p->state == VA_PAGE_ALLOCATED ? "an" : "a",
                            block_state_word (p->state), p->order);
  else
    g_string_append_printf (s, "inside the %s order-%u block at pfn %u", block_state_word (p->state),
                            p->order, head);
}

/* The block's buddy at its order and whether the two could merge, as
 * __free_one_page() decides it (page_is_buddy()). */
static void
describe_buddy (VaMachine *m,
                GString   *s,
                guint32    head)
{
  const VaPage *p = &m->pages[head];
  const VaZone *zone = &m->zones[va_machine_pfn_zone (m, head)];
  guint32 buddy;

  if (p->order >= m->profile->max_order - 1)
    {
      g_string_append_printf (s, "none: order %u is MAX_ORDER-1, the largest", p->order);
      return;
    }
  buddy = va_buddy_pfn (m, zone, head, p->order);
  g_string_append_printf (s, "pfn %u, ", buddy);
  if (!va_zone_contains (zone, buddy))
    g_string_append_printf (s, "outside %s: no merge", va_zone_name (zone->type));
  else if (va_page_is_buddy (m, zone, buddy, p->order))
    g_string_append_printf (s, "free at order %u: %s", p->order,
                            p->state == VA_PAGE_FREE ? "kept apart by their pageblocks' migrate types" :
                            p->state == VA_PAGE_PCP  ? "they merge when the per-cpu list gives this page back"
                                                     : "they merge when this block is freed");
  else
    {
      describe_block_briefly (m, s, buddy);
      g_string_append_printf (s, ": not free at order %u, no merge", p->order);
    }
}

static void
describe_pageblock (VaMachine *m,
                    GString   *s,
                    guint32    pfn)
{
  guint32 first = pfn >> m->pageblock_order << m->pageblock_order;

  if (!m->profile->has_migratetypes)
    {
      g_string_append_printf (s, "none in %s: grouping by mobility came in 2.6.24", m->profile->name);
      return;
    }
  g_string_append_printf (s, "%u (pfns %u-%u), MIGRATE_%s", pfn >> m->pageblock_order, first,
                          first + (1u << m->pageblock_order) - 1,
                          va_migratetype_name (va_machine_pageblock_mt (m, pfn)));
}

/* The state line, and for a buddy block its order, extent and buddy. */
static void
describe_block (VaMachine          *m,
                GString            *s,
                guint32             pfn,
                const VaAllocation *owner)
{
  guint32 head = va_machine_block_head (m, pfn);
  const VaPage *p = &m->pages[head];

  if (!is_buddy_block (p))
    {
      g_string_append (s, "  state      ");
      describe_state (m, s, pfn, owner);
      g_string_append_c (s, '\n');
      return;
    }
  g_string_append_printf (s, "  state      %s", block_state_word (p->state));
  if (p->state == VA_PAGE_FREE)
    g_string_append_printf (s, ", on free_area[%u]%s%s", p->order, m->profile->has_migratetypes ? " " : "",
                            m->profile->has_migratetypes ? va_migratetype_name (p->list_mt) : "");
  g_string_append_printf (s, "\n  block      order %u, pfns %u-%u\n  buddy      ", p->order, head,
                          head + (1u << p->order) - 1);
  describe_buddy (m, s, head);
  g_string_append_c (s, '\n');
}

char *
va_lookup_describe_pfn (VaMachine *m,
                        guint32    pfn)
{
  GString *s;
  const VaAllocation *owner;

  g_return_val_if_fail (m != NULL, NULL);
  g_return_val_if_fail (pfn < m->nr_pfns, NULL);

  s = g_string_new (NULL);
  owner = owner_of (m, pfn);
  g_string_append_printf (s, "page frame   %u\n  physical   0x%09" G_GINT64_MODIFIER "x\n  virtual    ", pfn,
                          (guint64) pfn << VA_PAGE_SHIFT);
  describe_mappings (m, s, pfn, owner);
  g_string_append_printf (s, "\n  zone       %s\n  pageblock  ", va_zone_name (va_machine_pfn_zone (m, pfn)));
  describe_pageblock (m, s, pfn);
  g_string_append_c (s, '\n');
  describe_block (m, s, pfn, owner);
  if (owner && owner->name)
    g_string_append_printf (s, "  owner      “%s” (%s)%s%s\n", owner->name, va_alloc_kind_name (owner->kind),
                            owner->pinned ? ", pinned" : "",
                            m->pages[va_machine_block_head (m, pfn)].flags & VA_PAGE_F_MOVABLE ? ", movable" : "");
  g_string_truncate (s, s->len - 1);   /* lines joined, none after the last */
  return g_string_free (s, FALSE);
}
