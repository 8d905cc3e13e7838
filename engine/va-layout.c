/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-layout"

#include "va-layout.h"

#include <string.h>

#define MiB (G_GUINT64_CONSTANT (1) << 20)
#define VMALLOC_OFFSET (8u << 20)
#define MAX_NONPAE_PFN (1u << 20)
#define PAGES_TO_MB(p) ((p) >> (20 - VA_PAGE_SHIFT))

static void
say (VaLayout   *layout,
     gboolean    warning,
     const char *format,
     ...) G_GNUC_PRINTF (3, 4);

static void
say (VaLayout   *layout,
     gboolean    warning,
     const char *format,
     ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (layout->messages, text);
  if (warning)
    g_ptr_array_add (layout->warnings, g_strdup (text));
}

/* __VMALLOC_RESERVE: 128 MiB by default; vmalloc=SIZE sets it to SIZE in
 * 2.6.9 (arch/i386/kernel/setup.c) and to SIZE + VMALLOC_OFFSET in 6.1
 * (arch/x86/mm/pgtable_32.c: parse_vmalloc()). */
static guint64
vmalloc_reserve (const VaMachineConfig *config)
{
  if (config->vmalloc_bytes == 0)
    return 128 * MiB;
  if (config->profile->vmalloc_option_adds_offset)
    return config->vmalloc_bytes + VMALLOC_OFFSET;
  return config->vmalloc_bytes;
}

/* Top of the address space, downward from FIXADDR_TOP to VMALLOC_END. */
static void
compute_top (VaLayout              *layout,
             const VaMachineConfig *config)
{
  const VaProfile *p = config->profile;
  guint32 pmd_mask;

  layout->pmd_size = config->pae ? (2u << 20) : (4u << 20);
  pmd_mask = ~(layout->pmd_size - 1);
  layout->fixaddr_top = p->fixaddr_top;
  layout->fixaddr_start = p->fixaddr_top - p->fixmap_pages[config->pae] * VA_PAGE_SIZE;
  layout->last_pkmap = config->pae ? 512 : 1024;
  if (p->gen == VA_GEN_6_1)
    {
      /* pgtable_32_areas.h: LDT below the cpu_entry_area, pkmap below the LDT,
       * each aligned down to a PMD. */
      layout->cea_base = p->cea_base[config->pae];
      layout->cea_end = layout->cea_base + p->cea_pages * VA_PAGE_SIZE;
      layout->ldt_base = (layout->cea_base - VA_PAGE_SIZE) & pmd_mask;
      layout->ldt_end = layout->ldt_base + layout->pmd_size;
      layout->pkmap_base = (layout->ldt_base - VA_PAGE_SIZE) & pmd_mask;
    }
  else
    layout->pkmap_base = p->pkmap_base[config->pae];
  /* VMALLOC_END = PKMAP_BASE - 2*PAGE_SIZE with CONFIG_HIGHMEM (all profiles) */
  layout->vmalloc_end = layout->pkmap_base - 2 * VA_PAGE_SIZE;
}

/* MAXMEM: -PAGE_OFFSET - __VMALLOC_RESERVE in 2.4/2.6.9 (asm-i386/page.h);
 * VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE in 6.1 (pgtable_32_areas.h). */
static gboolean
compute_maxmem (VaLayout              *layout,
                const VaMachineConfig *config,
                GError               **error)
{
  guint64 top = config->profile->gen == VA_GEN_6_1 ? layout->vmalloc_end
                                                   : (G_GUINT64_CONSTANT (1) << 32);
  guint64 below = (guint64) config->page_offset + layout->vmalloc_reserve;

  if (below + 32 * MiB > top)
    {
      g_autofree char *v = va_format_size (config->vmalloc_bytes);
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "vmalloc=%s leaves less than 32M of lowmem between PAGE_OFFSET 0x%08x and "
                   "0x%08" G_GINT64_MODIFIER "x; choose a smaller vmalloc=", v,
                   config->page_offset, top);
      return FALSE;
    }
  layout->maxmem = top - below;
  layout->maxmem_pfn = layout->maxmem >> VA_PAGE_SHIFT;
  return TRUE;
}

/* models arch/i386/kernel/setup.c: find_max_low_pfn() (2.4, 2.6.9) and
 * arch/x86/mm/init_32.c: highmem_pfn_init()/lowmem_pfn_init() (6.1). */
static void
find_max_low_pfn (VaLayout              *layout,
                  const VaMachineConfig *config)
{
  const VaProfile *p = config->profile;
  guint64 ram = config->ram_bytes;

  if (config->mem_bytes && config->mem_bytes < ram)
    ram = config->mem_bytes;
  layout->max_pfn = ram >> VA_PAGE_SHIFT;
  if (layout->max_pfn > layout->maxmem_pfn)
    {
      layout->max_low_pfn = layout->maxmem_pfn;
      if (!config->pae && layout->max_pfn > MAX_NONPAE_PFN)
        {
          layout->max_pfn = MAX_NONPAE_PFN;
          if (p->gen == VA_GEN_6_1)
            say (layout, TRUE, "Warning: only 4GB will be used. Use a HIGHMEM64G enabled kernel!");
          else
            {
              say (layout, TRUE, "Warning only 4GB will be used.");
              say (layout, TRUE, "Use a PAE enabled kernel.");
            }
        }
    }
  else
    layout->max_low_pfn = layout->max_pfn;
  layout->highstart_pfn = layout->highend_pfn = layout->max_pfn;
  if (layout->max_pfn > layout->max_low_pfn)
    layout->highstart_pfn = layout->max_low_pfn;
  say (layout, FALSE, "%uMB HIGHMEM available.",
       PAGES_TO_MB (layout->highend_pfn - layout->highstart_pfn));
  say (layout, FALSE, "%uMB LOWMEM available.", PAGES_TO_MB (layout->max_low_pfn));
  if (p->gen == VA_GEN_6_1)
    {
      say (layout, FALSE, "  mapped low ram: 0 - %08x", layout->max_low_pfn << VA_PAGE_SHIFT);
      say (layout, FALSE, "  low ram: 0 - %08x", layout->max_low_pfn << VA_PAGE_SHIFT);
    }
}

/* high_memory and VMALLOC_START: 8 MiB-rounded in 2.4/2.6.9
 * (asm-i386/pgtable.h), exactly high_memory + 8 MiB in 6.1. */
static void
compute_vmalloc_start (VaLayout              *layout,
                       const VaMachineConfig *config)
{
  layout->high_memory = config->page_offset + (layout->highstart_pfn << VA_PAGE_SHIFT);
  layout->vmalloc_offset = VMALLOC_OFFSET;
  if (config->profile->gen == VA_GEN_6_1)
    layout->vmalloc_start = layout->high_memory + VMALLOC_OFFSET;
  else
    layout->vmalloc_start = (layout->high_memory + 2 * VMALLOC_OFFSET - 1) & ~(VMALLOC_OFFSET - 1);
}

static void
check_zone_alignment (VaLayout              *layout,
                      const VaMachineConfig *config)
{
  guint32 align = 1u << (config->profile->max_order - 1);

  /* mm/page_alloc.c free_area_init_core() (2.4, 2.6.9) */
  if (config->profile->gen != VA_GEN_6_1 && layout->highend_pfn > layout->highstart_pfn &&
      layout->highstart_pfn % align != 0)
    say (layout, TRUE, "BUG: wrong zone alignment, it will crash");
}

gboolean
va_layout_compute (VaLayout               *layout,
                   const VaMachineConfig  *config,
                   GError                **error)
{
  g_return_val_if_fail (layout != NULL && config != NULL, FALSE);

  if (!va_machine_config_validate (config, error))
    return FALSE;
  memset (layout, 0, sizeof *layout);
  layout->messages = g_ptr_array_new_with_free_func (g_free);
  layout->warnings = g_ptr_array_new_with_free_func (g_free);
  layout->page_offset = config->page_offset;
  layout->ram_bytes = config->ram_bytes;
  layout->vmalloc_reserve = vmalloc_reserve (config);
  compute_top (layout, config);
  if (!compute_maxmem (layout, config, error))
    {
      va_layout_clear (layout);
      return FALSE;
    }
  find_max_low_pfn (layout, config);
  compute_vmalloc_start (layout, config);
  check_zone_alignment (layout, config);
  return TRUE;
}

void
va_layout_clear (VaLayout *layout)
{
  g_clear_pointer (&layout->messages, g_ptr_array_unref);
  g_clear_pointer (&layout->warnings, g_ptr_array_unref);
}

static void
append_region (GString    *s,
               const char *name,
               guint32     start,
               guint64     end)
{
  guint64 kb = (end - start) >> 10;

  if (kb >= 10240)
    g_string_append_printf (s, "    %-8s: 0x%08x - 0x%08" G_GINT64_MODIFIER "x   (%4" G_GUINT64_FORMAT " MB)\n",
                            name, start, end, kb >> 10);
  else
    g_string_append_printf (s, "    %-8s: 0x%08x - 0x%08" G_GINT64_MODIFIER "x   (%4" G_GUINT64_FORMAT " kB)\n",
                            name, start, end, kb);
}

/* Text for `vmatlas layout`: the kernel's own boot lines, then the
 * "virtual kernel memory layout" table in the format 2.6.20–5.6 printed. */
char *
va_layout_format (const VaLayout        *layout,
                  const VaMachineConfig *config)
{
  GString *s = g_string_new (NULL);
  g_autofree char *machine = va_machine_config_to_string (config);

  g_string_append_printf (s, "# %s\n", machine);
  for (guint i = 0; i < layout->messages->len; i++)
    g_string_append_printf (s, "%s\n", (char *) layout->messages->pdata[i]);
  g_string_append_printf (s, "# %s printed no such table; the format is that of 2.6.20 to 5.6\n",
                          config->profile->name);
  g_string_append (s, "virtual kernel memory layout:\n");
  append_region (s, "fixmap", layout->fixaddr_start, layout->fixaddr_top);
  if (layout->cea_base)
    {
      append_region (s, "cpu_entry", layout->cea_base, layout->cea_end);
      append_region (s, "ldt", layout->ldt_base, layout->ldt_end);
    }
  append_region (s, "pkmap", layout->pkmap_base,
                 layout->pkmap_base + (guint64) layout->last_pkmap * VA_PAGE_SIZE);
  append_region (s, "vmalloc", layout->vmalloc_start, layout->vmalloc_end);
  append_region (s, "lowmem", layout->page_offset, layout->high_memory);
  g_string_append_printf (s, "PAGE_OFFSET     0x%08x\n", layout->page_offset);
  g_string_append_printf (s, "high_memory     0x%08x\n", layout->high_memory);
  g_string_append_printf (s, "VMALLOC_OFFSET  0x%08x (gap 0x%08x-0x%08x, %u KiB)\n",
                          layout->vmalloc_offset, layout->high_memory, layout->vmalloc_start,
                          (layout->vmalloc_start - layout->high_memory) >> 10);
  g_string_append_printf (s, "VMALLOC_START   0x%08x\n", layout->vmalloc_start);
  g_string_append_printf (s, "VMALLOC_END     0x%08x\n", layout->vmalloc_end);
  g_string_append_printf (s, "VmallocTotal    %u kB\n",
                          (layout->vmalloc_end - layout->vmalloc_start) >> 10);
  g_string_append_printf (s, "PKMAP_BASE      0x%08x\n", layout->pkmap_base);
  g_string_append_printf (s, "LAST_PKMAP      %u\n", layout->last_pkmap);
  g_string_append_printf (s, "FIXADDR_START   0x%08x\n", layout->fixaddr_start);
  g_string_append_printf (s, "FIXADDR_TOP     0x%08x\n", layout->fixaddr_top);
  g_string_append_printf (s, "MAXMEM          0x%08" G_GINT64_MODIFIER "x\n", layout->maxmem);
  g_string_append_printf (s, "max_low_pfn     0x%05x (%u)\n", layout->max_low_pfn, layout->max_low_pfn);
  g_string_append_printf (s, "highstart_pfn   0x%05x (%u)\n", layout->highstart_pfn, layout->highstart_pfn);
  g_string_append_printf (s, "max_pfn         0x%05x (%u)\n", layout->max_pfn, layout->max_pfn);
  return g_string_free (s, FALSE);
}
