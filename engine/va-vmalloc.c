/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmalloc: virtually contiguous areas in [VMALLOC_START, VMALLOC_END), each
 * followed by an unmapped guard page, filled page by page from the buddy
 * allocator (HighMem first), as mm/vmalloc.c of each profile does it. */
#define G_LOG_DOMAIN "va-vmalloc"

#include "va-vmalloc.h"
#include "va-gfp.h"
#include "va-kmap.h"
#include "va-page-alloc.h"

#include <string.h>

static guint32
slot_of (const VaVmalloc *vm,
         guint32          addr)
{
  return (addr - vm->start) >> VA_PAGE_SHIFT;
}

static guint32
addr_of (const VaVmalloc *vm,
         guint32          slot)
{
  return vm->start + (slot << VA_PAGE_SHIFT);
}

VaVmalloc *
va_vmalloc_new (VaMachine *m)
{
  VaVmalloc *vm = g_new0 (VaVmalloc, 1);

  vm->start = m->layout.vmalloc_start;
  vm->end = m->layout.vmalloc_end;
  vm->nr_slots = (vm->end - vm->start) >> VA_PAGE_SHIFT;
  vm->space = va_gap_tree_new (vm->nr_slots);
  vm->pte = g_new (guint32, vm->nr_slots);
  memset (vm->pte, 0xff, vm->nr_slots * sizeof (guint32));
  vm->area_of = g_new0 (guint32, vm->nr_slots);
  vm->areas = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (vm->areas, NULL);
  return vm;
}

VaVmalloc *
va_vmalloc_copy (const VaVmalloc *src)
{
  VaVmalloc *vm = g_memdup2 (src, sizeof *src);

  vm->space = va_gap_tree_copy (src->space);
  vm->pte = g_memdup2 (src->pte, src->nr_slots * sizeof (guint32));
  vm->area_of = g_memdup2 (src->area_of, src->nr_slots * sizeof (guint32));
  vm->areas = g_ptr_array_new_full (src->areas->len, g_free);
  for (guint i = 0; i < src->areas->len; i++)
    {
      const VaVmapArea *a = src->areas->pdata[i];

      g_ptr_array_add (vm->areas, a ? g_memdup2 (a, sizeof *a) : NULL);
    }
  return vm;
}

void
va_vmalloc_free (VaVmalloc *vm)
{
  if (vm == NULL)
    return;
  va_gap_tree_free (vm->space);
  g_free (vm->pte);
  g_free (vm->area_of);
  g_ptr_array_unref (vm->areas);
  g_free (vm);
}

/* models mm/vmalloc.c: lazy_max_pages(): fls(num_online_cpus()) * 32 MiB */
guint32
va_vmalloc_lazy_max_pages (const VaMachine *m)
{
  return g_bit_storage (m->config.cpus) * ((32u << 20) / VA_PAGE_SIZE);
}

static VaKernelFn
area_fn (const VaMachine *m)
{
  return m->profile->gen == VA_GEN_6_1 ? VA_FN_ALLOC_VMAP_AREA : VA_FN_GET_VM_AREA;
}

static VaKernelFn
fill_fn (const VaMachine *m)
{
  static const VaKernelFn fns[] = {
    [VA_GEN_2_4] = VA_FN_VMALLOC_AREA_PAGES,
    [VA_GEN_2_6] = VA_FN_VMALLOC_AREA,
    [VA_GEN_6_1] = VA_FN_VMALLOC_AREA_NODE,
  };
  return fns[m->profile->gen];
}

/*** Address space ***/

/* Gives an area's range back to the free space and forgets the area. */
static void
release_area (VaMachine  *m,
              VaVmapArea *area)
{
  VaVmalloc *vm = m->vmalloc;
  guint32 first = slot_of (vm, area->start);
  guint32 slots = area->size >> VA_PAGE_SHIFT;

  va_gap_tree_set (vm->space, first, slots, FALSE);
  for (guint32 i = 0; i < slots; i++)
    {
      g_assert (vm->pte[first + i] == VA_PFN_NONE);   /* unmapped before it is released */
      vm->area_of[first + i] = 0;
    }
  if (area->lazy)
    vm->lazy_pages -= slots;
  else
    vm->busy_bytes -= area->size;
  va_emit (m, VA_EV_VMAP_RELEASE, area->lazy ? VA_FN_PURGE_VMAP_AREA_LAZY : VA_FN_VFREE, 0, 0, 0,
           0, area->start, 0, area->size, 0, 0);
  g_ptr_array_index (vm->areas, area->id) = NULL;
  g_free (area);
}

/* models mm/vmalloc.c: __purge_vmap_area_lazy() (6.1) */
static void
purge_vmap_area_lazy (VaMachine *m)
{
  VaVmalloc *vm = m->vmalloc;
  guint32 areas = 0, pages = vm->lazy_pages;

  for (guint i = 1; i < vm->areas->len; i++)
    {
      VaVmapArea *area = vm->areas->pdata[i];

      if (area && area->lazy)
        {
          release_area (m, area);
          areas++;
        }
    }
  va_emit (m, VA_EV_VMAP_PURGE, VA_FN_PURGE_VMAP_AREA_LAZY, 0, 0, 0, 0, 0, 0, areas, pages, 0);
}

/* models mm/vmalloc.c: __get_vm_area() (2.4, 2.6.9: first fit by address
 * over the sorted vmlist from VMALLOC_START) and alloc_vmap_area() (6.1:
 * find_vmap_lowest_match(), then one purge of the lazy areas and a retry
 * before giving up).  @slots includes the guard page. */
static VaVmapArea *
get_vm_area (VaMachine *m,
             guint32    slots,
             guint32    alloc_id)
{
  VaVmalloc *vm = m->vmalloc;
  gint64 first = va_gap_tree_find_first (vm->space, slots);
  VaVmapArea *area;

  if (first < 0 && vm->lazy_pages > 0)
    {
      purge_vmap_area_lazy (m);
      first = va_gap_tree_find_first (vm->space, slots);
    }
  if (first < 0)
    {
      va_emit (m, VA_EV_VMAP_FAIL, area_fn (m), 0, 0, 0, 0, 0, 0, slots << VA_PAGE_SHIFT,
               va_gap_tree_largest (vm->space) << VA_PAGE_SHIFT, 0);
      return NULL;
    }
  area = g_new0 (VaVmapArea, 1);
  area->id = vm->areas->len;
  area->start = addr_of (vm, first);
  area->size = slots << VA_PAGE_SHIFT;
  area->alloc_id = alloc_id;
  g_ptr_array_add (vm->areas, area);
  va_gap_tree_set (vm->space, first, slots, TRUE);
  for (guint32 s = 0; s < slots; s++)
    vm->area_of[first + s] = area->id;
  vm->busy_bytes += area->size;
  va_emit (m, VA_EV_VMAP_AREA, area_fn (m), 0, 0, 0, 0, area->start, 0, area->size, 0, 0);
  return area;
}

/* Unmaps and frees an area's pages; the caller decides about the range. */
static void
unmap_area_pages (VaMachine    *m,
                  VaVmapArea   *area,
                  VaAllocation *a)
{
  VaVmalloc *vm = m->vmalloc;
  guint32 first = slot_of (vm, area->start);

  for (guint32 i = 0; i < area->nr_pages; i++)
    {
      guint32 pfn = vm->pte[first + i];

      vm->pte[first + i] = VA_PFN_NONE;
      va_emit (m, VA_EV_VMAP_UNMAP, VA_FN_VFREE, va_machine_pfn_zone (m, pfn), 0, 0, 0,
               addr_of (vm, first + i), pfn, 0, 0, 0);
      va_free_pages (m, pfn, 0);
    }
  if (m->profile->gen == VA_GEN_6_1)
    vm->vmalloc_pages -= area->nr_pages;
  area->nr_pages = 0;
  if (a)
    a->nr_pages = 0;
}

/* models mm/vmalloc.c: free_vmap_area_noflush() (6.1: the range waits for
 * the lazy purge) or remove_vm_area() (2.4, 2.6.9: the range is free at once). */
static void
free_area_range (VaMachine  *m,
                 VaVmapArea *area)
{
  VaVmalloc *vm = m->vmalloc;
  guint32 max = va_vmalloc_lazy_max_pages (m);

  if (m->profile->gen != VA_GEN_6_1)
    {
      release_area (m, area);
      return;
    }
  area->lazy = TRUE;
  vm->busy_bytes -= area->size;
  vm->lazy_pages += area->size >> VA_PAGE_SHIFT;
  va_emit (m, VA_EV_VMAP_LAZY, VA_FN_FREE_VMAP_AREA_NOFLUSH, 0, 0, 0, 0, area->start, 0,
           vm->lazy_pages, max, 0);
  if (vm->lazy_pages > max)
    purge_vmap_area_lazy (m);
}

/*** vmalloc ***/

static const char *
out_of_space_message (const VaMachine *m)
{
  switch (m->profile->gen)
    {
    case VA_GEN_2_6: return "allocation failed: out of vmalloc space - use vmalloc=<size> to increase size.";
    case VA_GEN_6_1: return "vmap allocation failed: use vmalloc=<size> to increase size";
    case VA_GEN_2_4:
    default:         return "get_vm_area() found no hole: out of vmalloc space (2.4 has no vmalloc= option)";
    }
}


/* Fills the area page by page: alloc_page(gfp) per PTE, mapped in order. */
static gboolean
vmalloc_area_pages (VaMachine    *m,
                    VaVmapArea   *area,
                    VaAllocation *a,
                    guint32       gfp,
                    guint32       nr_pages,
                    char        **reason)
{
  VaVmalloc *vm = m->vmalloc;
  guint32 first = slot_of (vm, area->start);
  g_autofree guint32 *pfns = g_new (guint32, nr_pages);

  for (guint32 i = 0; i < nr_pages; i++)
    {
      VaZoneType zone;
      guint32 pfn = va_alloc_pages (m, gfp, 0, &zone, reason);

      if (pfn == VA_PFN_NONE)
        return FALSE;
      va_page (m, pfn)->owner = a->id;
      pfns[i] = pfn;
      a->nr_pages = ++area->nr_pages;
      vm->pte[first + i] = pfn;
      if (m->profile->gen == VA_GEN_6_1)
        vm->vmalloc_pages++;
      va_emit (m, VA_EV_VMAP_MAP, fill_fn (m), zone, 0, 0, 0, addr_of (vm, first + i), pfn,
               i, nr_pages, 0);
    }
  va_emit (m, VA_EV_VMAP_GUARD, area_fn (m), 0, 0, 0, 0, addr_of (vm, first + nr_pages), 0,
           0, 0, 0);
  /* the frame list never changes after this: the arena keeps it */
  a->pfns = va_arena_dup_u32 (m->arena, pfns, nr_pages);
  return TRUE;
}

/* vmalloc(): GFP_KERNEL | __GFP_HIGHMEM, so pages come from HighMem when it
 * exists; vmalloc_32(): GFP_KERNEL (6.1: GFP_DMA32, which is ZONE_NORMAL on
 * i386), so they stay in the linear map. */
static guint32
vmalloc_gfp (const VaMachine *m,
             gboolean         vm32)
{
  guint32 gfp = 0;

  va_gfp_parse (m->profile, "GFP_KERNEL", &gfp, NULL);
  return vm32 ? gfp : gfp | m->profile->gfp_highmem;
}

static guint32
total_ram_pages (const VaMachine *m)
{
  guint32 n = 0;

  for (guint z = 0; z < m->profile->nr_zones; z++)
    n += m->zones[z].managed;
  return n;
}

/* models mm/vmalloc.c: __vmalloc() / __vmalloc_node_range() */
gboolean
va_vmalloc_op (VaMachine   *m,
               const VaOp  *op,
               VaOpResult  *result,
               GError     **error)
{
  gboolean vm32 = op->kind == VA_OP_VMALLOC_32;
  const char *call = vm32 ? "vmalloc_32" : "vmalloc";
  guint64 pages = (op->size + VA_PAGE_SIZE - 1) >> VA_PAGE_SHIFT;
  VaAllocation *a;
  VaVmapArea *area;
  char *reason = NULL;

  if (op->size == 0)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID, "%s %s 0: the size must be at least one byte "
                   "(vmalloc(0) returns NULL)", call, op->name);
      return FALSE;
    }
  if (!va_machine_check_name_free (m, call, op->name, error))
    return FALSE;
  a = va_machine_new_allocation (m, op->name, VA_ALLOC_VMALLOC);
  a->size = op->size;
  a->gfp = vmalloc_gfp (m, vm32);
  if (pages > total_ram_pages (m))
    {
      va_machine_fail_op (m, a, call, result, g_strdup_printf ("%" G_GUINT64_FORMAT " pages is more than the "
                                              "machine's %u pages of RAM", pages, total_ram_pages (m)));
      return TRUE;
    }
  area = get_vm_area (m, pages + 1, a->id);
  if (area == NULL)
    {
      va_machine_fail_op (m, a, call, result,
               g_strdup_printf ("%s (%" G_GUINT64_FORMAT " KiB needed with the guard page; largest "
                                "hole %u KiB of a %u KiB window 0x%08x-0x%08x)",
                                out_of_space_message (m), (pages + 1) * 4,
                                va_gap_tree_largest (m->vmalloc->space) * 4,
                                m->vmalloc->nr_slots * 4, m->vmalloc->start, m->vmalloc->end));
      return TRUE;
    }
  a->virt = area->start;
  if (!vmalloc_area_pages (m, area, a, a->gfp, pages, &reason))
    {
      guint32 got = area->nr_pages;

      /* a failure part-way gives back what was taken (2.6.9 vfree(),
       * 6.1 __vfree() of the half-built area) */
      unmap_area_pages (m, area, a);
      free_area_range (m, area);
      va_machine_fail_op (m, a, call, result, g_strdup_printf ("%s: page %u of %" G_GUINT64_FORMAT " could not be "
                                              "allocated, the %u already taken were freed: %s",
                                              call, got + 1, pages, got, reason));
      g_free (reason);
      return TRUE;
    }
  a->state = VA_ALLOC_LIVE;
  a->pfn = a->pfns[0];
  a->zone = va_machine_pfn_zone (m, a->pfn);
  return TRUE;
}

/* models mm/vmalloc.c: vfree() → __vunmap() */
gboolean
va_vfree_op (VaMachine   *m,
             const VaOp  *op,
             GError     **error)
{
  VaAllocation *a = va_machine_find_mut (m, op->name);
  VaVmapArea *area;
  const char *user;

  if (a == NULL || a->kind != VA_ALLOC_VMALLOC || a->state != VA_ALLOC_LIVE)
    {
      if (a && a->kind != VA_ALLOC_VMALLOC && a->state == VA_ALLOC_LIVE)
        g_set_error (error, VA_ERROR, VA_ERROR_STATE, "vfree %s: “%s” is a %s allocation, "
                     "not a vmalloc area; free it with its own call", op->name, op->name,
                     va_alloc_kind_name (a->kind));
      else
        g_set_error (error, VA_ERROR, VA_ERROR_STATE,
                     "vfree %s: Trying to vfree() nonexistent vm area (%s)", op->name,
                     a == NULL ? "no allocation has that name"
                     : a->state == VA_ALLOC_FREED ? "it was already freed: double vfree"
                     : "its vmalloc failed, so there is nothing to free");
      return FALSE;
    }
  if ((user = va_kmap_user_of (m, a)) != NULL)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_STATE, "vfree %s: “%s” is still kmapped by “%s”; "
                   "kunmap it first", op->name, op->name, user);
      return FALSE;
    }
  area = (VaVmapArea *) va_vmalloc_area_at (m, a->virt);
  g_assert (area != NULL && area->alloc_id == a->id);
  unmap_area_pages (m, area, a);
  free_area_range (m, area);
  a->state = VA_ALLOC_FREED;
  return TRUE;
}

/*** Queries ***/

const VaVmapArea *
va_vmalloc_area_at (const VaMachine *m,
                    guint32          addr)
{
  const VaVmalloc *vm = m->vmalloc;
  guint32 id;

  if (addr < vm->start || addr >= vm->start + (vm->nr_slots << VA_PAGE_SHIFT))
    return NULL;
  id = vm->area_of[slot_of (vm, addr)];
  return id ? vm->areas->pdata[id] : NULL;
}

static gint
compare_start (gconstpointer a,
               gconstpointer b)
{
  const VaVmapArea *x = *(VaVmapArea *const *) a, *y = *(VaVmapArea *const *) b;

  return x->start < y->start ? -1 : x->start > y->start;
}

GPtrArray *
va_vmalloc_sorted_areas (const VaMachine *m)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 1; i < m->vmalloc->areas->len; i++)
    if (m->vmalloc->areas->pdata[i])
      g_ptr_array_add (out, m->vmalloc->areas->pdata[i]);
  g_ptr_array_sort (out, compare_start);
  return out;
}

#define FAIL(...) G_STMT_START { \
    g_set_error (error, VA_ERROR, VA_ERROR_STATE, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

/* One area: inside the window, its slots point back at it, its pages
 * mapped to frames it owns, its guard page mapped to nothing. */
static gboolean
check_area (VaMachine        *m,
            const VaVmapArea *area,
            guint32          *mapped,
            GError          **error)
{
  VaVmalloc *vm = m->vmalloc;
  guint32 first = slot_of (vm, area->start), slots = area->size >> VA_PAGE_SHIFT;
  const VaAllocation *a = m->allocs->pdata[area->alloc_id];

  if (area->start < vm->start || first + slots > vm->nr_slots || slots < 2)
    FAIL ("vmap area 0x%08x (%u bytes) lies outside the window", area->start, area->size);
  for (guint32 s = 0; s < slots; s++)
    {
      guint32 pfn = vm->pte[first + s];

      if (vm->area_of[first + s] != area->id)
        FAIL ("0x%08x inside area %u belongs to area %u", addr_of (vm, first + s), area->id,
              vm->area_of[first + s]);
      if (s >= area->nr_pages)
        {
          if (pfn != VA_PFN_NONE)
            FAIL ("0x%08x (guard or unmapped page) maps pfn %u", addr_of (vm, first + s), pfn);
          continue;
        }
      if (area->lazy || pfn >= m->nr_pfns || m->pages[pfn].state != VA_PAGE_ALLOCATED ||
          m->pages[pfn].owner != area->alloc_id || a->pfns[s] != pfn)
        FAIL ("0x%08x maps pfn %u, which area %u does not own", addr_of (vm, first + s), pfn,
              area->id);
      (*mapped)++;
    }
  if (!area->lazy && (a->state != VA_ALLOC_LIVE || area->nr_pages != slots - 1))
    FAIL ("area 0x%08x: its allocation “%s” is %s with %u of %u pages", area->start, a->name,
          va_alloc_state_name (a->state), area->nr_pages, slots - 1);
  return TRUE;
}

/* No overlap, a guard page after every area, every mapped frame owned by
 * exactly one area, and the counters equal to a recount. */
gboolean
va_vmalloc_check (VaMachine *m,
                  GError   **error)
{
  VaVmalloc *vm = m->vmalloc;
  guint32 mapped = 0, lazy = 0, busy = 0, used_slots = 0;

  for (guint i = 1; i < vm->areas->len; i++)
    {
      const VaVmapArea *area = vm->areas->pdata[i];

      if (area == NULL)
        continue;
      if (!check_area (m, area, &mapped, error))
        return FALSE;
      used_slots += area->size >> VA_PAGE_SHIFT;
      if (area->lazy)
        lazy += area->size >> VA_PAGE_SHIFT;
      else
        busy += area->size;
    }
  /* Every area's pages were checked above; the free-space tree must count
   * exactly the rest as free (ptes of released ranges are asserted clear
   * in release_area(), so the window needs no full scan here). */
  if (va_gap_tree_free_slots (vm->space) != vm->nr_slots - used_slots)
    FAIL ("areas cover %u pages but the free-space tree counts %u of %u free", used_slots,
          va_gap_tree_free_slots (vm->space), vm->nr_slots);
  if (va_gap_tree_largest (vm->space) > vm->nr_slots - used_slots)
    FAIL ("free-space tree claims a %u-page hole with %u pages free",
          va_gap_tree_largest (vm->space), vm->nr_slots - used_slots);
  if (lazy != vm->lazy_pages || busy != vm->busy_bytes ||
      (m->profile->gen == VA_GEN_6_1 && mapped != vm->vmalloc_pages))
    FAIL ("vmalloc counters: lazy %u busy %u pages %u, recount %u %u %u", vm->lazy_pages,
          vm->busy_bytes, vm->vmalloc_pages, lazy, busy, mapped);
  return TRUE;
}
