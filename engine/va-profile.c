/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The three kernel generations as data.  Sources are the short names of
 * ../shared/reference/kernel-mm-facts.md (S24b = 2.4.22 for 2.4.21 facts,
 * S269 = 2.6.9, S61 = 6.1.20); values measured on Debian's 6.1 kernels
 * (facts §0a) win over estimates. */
#define G_LOG_DOMAIN "va-profile"

#include "va-profile.h"

#include <string.h>

/* include/linux/mm.h (S24b) */
static const VaGfpName gfp_2_4[] = {
  { "__GFP_DMA", 0x01 }, { "__GFP_HIGHMEM", 0x02 }, { "__GFP_WAIT", 0x10 },
  { "__GFP_HIGH", 0x20 }, { "__GFP_IO", 0x40 }, { "__GFP_HIGHIO", 0x80 },
  { "__GFP_FS", 0x100 },
  { "GFP_NOHIGHIO", 0x70 }, { "GFP_NOIO", 0x30 }, { "GFP_NOFS", 0xf0 },
  { "GFP_ATOMIC", 0x20 }, { "GFP_USER", 0x1d0 }, { "GFP_HIGHUSER", 0x1d2 },
  { "GFP_KERNEL", 0x1f0 }, { "GFP_NFS", 0x1f0 }, { "GFP_KSWAPD", 0x1d0 },
  { "GFP_DMA", 0x01 },
  { NULL, 0 },
};

/* include/linux/gfp.h (S269) */
static const VaGfpName gfp_2_6[] = {
  { "__GFP_DMA", 0x01 }, { "__GFP_HIGHMEM", 0x02 }, { "__GFP_WAIT", 0x10 },
  { "__GFP_HIGH", 0x20 }, { "__GFP_IO", 0x40 }, { "__GFP_FS", 0x80 },
  { "__GFP_COLD", 0x100 }, { "__GFP_NOWARN", 0x200 }, { "__GFP_REPEAT", 0x400 },
  { "__GFP_NOFAIL", 0x800 }, { "__GFP_NORETRY", 0x1000 }, { "__GFP_NO_GROW", 0x2000 },
  { "__GFP_COMP", 0x4000 },
  { "GFP_ATOMIC", 0x20 }, { "GFP_NOIO", 0x10 }, { "GFP_NOFS", 0x50 },
  { "GFP_KERNEL", 0xd0 }, { "GFP_USER", 0xd0 }, { "GFP_HIGHUSER", 0xd2 },
  { "GFP_DMA", 0x01 },
  { NULL, 0 },
};

/* include/linux/gfp_types.h (S61); the KASAN skip bits are 0 without
 * CONFIG_KASAN_HW_TAGS, so GFP_HIGHUSER_MOVABLE is 0x100cca on i386. */
static const VaGfpName gfp_6_1[] = {
  { "__GFP_DMA", 0x01 }, { "__GFP_HIGHMEM", 0x02 }, { "__GFP_DMA32", 0x04 },
  { "__GFP_MOVABLE", 0x08 }, { "__GFP_RECLAIMABLE", 0x10 }, { "__GFP_HIGH", 0x20 },
  { "__GFP_IO", 0x40 }, { "__GFP_FS", 0x80 }, { "__GFP_ZERO", 0x100 },
  { "__GFP_ATOMIC", 0x200 }, { "__GFP_DIRECT_RECLAIM", 0x400 },
  { "__GFP_KSWAPD_RECLAIM", 0x800 }, { "__GFP_RECLAIM", 0xc00 }, { "__GFP_WRITE", 0x1000 },
  { "__GFP_NOWARN", 0x2000 }, { "__GFP_RETRY_MAYFAIL", 0x4000 }, { "__GFP_NOFAIL", 0x8000 },
  { "__GFP_NORETRY", 0x10000 }, { "__GFP_MEMALLOC", 0x20000 }, { "__GFP_COMP", 0x40000 },
  { "__GFP_NOMEMALLOC", 0x80000 }, { "__GFP_HARDWALL", 0x100000 },
  { "__GFP_THISNODE", 0x200000 }, { "__GFP_ACCOUNT", 0x400000 },
  { "GFP_ATOMIC", 0xa20 }, { "GFP_KERNEL", 0xcc0 }, { "GFP_KERNEL_ACCOUNT", 0x400cc0 },
  { "GFP_NOWAIT", 0x800 }, { "GFP_NOIO", 0xc00 }, { "GFP_NOFS", 0xc40 },
  { "GFP_USER", 0x100cc0 }, { "GFP_DMA", 0x01 }, { "GFP_DMA32", 0x04 },
  { "GFP_HIGHUSER", 0x100cc2 }, { "GFP_HIGHUSER_MOVABLE", 0x100cca },
  { NULL, 0 },
};

static const VaProfile profiles[] = {
  {
    .name = "linux-2.4.21", .version = "2.4.21", .gen = VA_GEN_2_4,
    .max_order = 10, .split_returns_top = TRUE, .has_migratetypes = FALSE,
    .buddy_index_zone_relative = TRUE, .pcp = VA_PCP_NONE, .nr_zones = 3,
    /* include/asm-i386/fixmap.h, highmem.h (S24b) */
    .fixaddr_top = 0xFFFFE000u,
    .fixmap_pages = { 265, 265 },   /* APIC 1 + IO-APIC 8 + KMAP 8 x NR_CPUS 32 */
    .pkmap_base = { 0xFE000000u, 0xFE000000u },
    .has_vmalloc_option = FALSE, .has_split_option = FALSE,
    .kernel_load = 0x100000u, .kernel_kib = 1536, .struct_page_bytes = 48,
    .min_ram = 8u << 20,
    .lowmem_reserve_ratio = { 0, 0, 0, 0 },
    .gfp_names = gfp_2_4, .gfp_dma = 0x01, .gfp_highmem = 0x02,
    .gfp_high = 0x20, .gfp_wait = 0x10, .gfp_zonemask = 0x0f,
    .has_buddyinfo = FALSE, .has_pagetypeinfo = FALSE, .has_zoneinfo = FALSE,
    .has_vmallocinfo = FALSE, .has_cma = FALSE,
  },
  {
    .name = "linux-2.6.9", .version = "2.6.9", .gen = VA_GEN_2_6,
    .max_order = 11, .split_returns_top = FALSE, .has_migratetypes = FALSE,
    .buddy_index_zone_relative = TRUE, .pcp = VA_PCP_HOT_COLD, .nr_zones = 3,
    /* include/asm-i386/fixmap.h, highmem.h (S269), NR_CPUS <= 32 */
    .fixaddr_top = 0xFFFFF000u,
    .fixmap_pages = { 120, 120 },   /* HOLE, VSYSCALL, APIC, IO-APIC 8, KMAP 13 x 8, ACPI 4, MCFG */
    .pkmap_base = { 0xFF800000u, 0xFF800000u },
    .has_vmalloc_option = TRUE, .vmalloc_option_adds_offset = FALSE,
    .has_split_option = FALSE,
    .kernel_load = 0x100000u, .kernel_kib = 3072, .struct_page_bytes = 32,
    .min_ram = 8u << 20,
    .lowmem_reserve_ratio = { 0, 0, 0, 0 },
    .gfp_names = gfp_2_6, .gfp_dma = 0x01, .gfp_highmem = 0x02,
    .gfp_high = 0x20, .gfp_wait = 0x10, .gfp_cold = 0x100, .gfp_zonemask = 0x03,
    .has_buddyinfo = TRUE, .has_pagetypeinfo = FALSE, .has_zoneinfo = FALSE,
    .has_vmallocinfo = FALSE, .has_cma = FALSE,
  },
  {
    .name = "linux-6.1", .version = "6.1", .gen = VA_GEN_6_1,
    .max_order = 11, .split_returns_top = FALSE, .has_migratetypes = TRUE,
    .buddy_index_zone_relative = FALSE, .pcp = VA_PCP_LISTS, .nr_zones = 4,
    /* arch/x86/include/asm/pgtable_32_areas.h (S61).  CPU_ENTRY_AREA_BASE is
     * derived from PKMAP_BASE measured on Debian's 686 (0xFEC00000) and
     * 686-pae (0xFF000000) kernels through the LDT/PKMAP formulas; the
     * fixmap and cpu_entry_area sizes are estimates for NR_CPUS=32. */
    .fixaddr_top = 0xFFFFF000u,
    .fixmap_pages = { 650, 650 },
    .cea_base = { 0xFF400000u, 0xFF400000u },
    .cea_pages = 32 * 40 + 1,
    .has_vmalloc_option = TRUE, .vmalloc_option_adds_offset = TRUE,
    .has_split_option = TRUE,
    .kernel_load = 0x1000000u, .kernel_kib = 14225, .struct_page_bytes = 32,
    .min_ram = 48u << 20,
    /* sysctl_lowmem_reserve_ratio on i386 (S61 mm/page_alloc.c) */
    .lowmem_reserve_ratio = { 256, 32, 0, 0 },
    .thp_min_free_kbytes = TRUE,
    .gfp_names = gfp_6_1, .gfp_dma = 0x01, .gfp_highmem = 0x02,
    .gfp_movable = 0x08, .gfp_reclaimable = 0x10, .gfp_high = 0x20,
    .gfp_wait = 0x400, .gfp_atomic = 0x200, .gfp_zonemask = 0x0f,
    .has_buddyinfo = TRUE, .has_pagetypeinfo = TRUE, .has_zoneinfo = TRUE,
    .has_vmallocinfo = TRUE, .has_cma = TRUE,
  },
};

const VaProfile *
va_profile_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (strcmp (profiles[i].name, name) == 0)
      return &profiles[i];
  return NULL;
}

const VaProfile *
va_profile_default (void)
{
  return &profiles[1];
}

const char *
va_profile_names (void)
{
  return "linux-2.4.21, linux-2.6.9, linux-6.1";
}

/* Number of free-list types per order: one list without mobility grouping. */
guint
va_profile_nr_types (const VaProfile *profile)
{
  return profile->has_migratetypes ? VA_MT_TYPES : 1;
}

/* include/linux/pageblock-flags.h (S61): HUGETLB_PAGE_ORDER = PMD_SHIFT - 12,
 * so 10 without PAE (4 MiB) and 9 with PAE (2 MiB).  Profiles without
 * pageblocks report MAX_ORDER - 1 so block arithmetic stays defined. */
guint
va_profile_pageblock_order (const VaProfile *profile,
                            gboolean         pae)
{
  if (!profile->has_migratetypes)
    return profile->max_order - 1;
  return pae ? 9 : 10;
}
