/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-types.h"

G_BEGIN_DECLS

/* Which of the kernel's formulas a profile uses.  The values (constants,
 * bit masks, messages) are data in the profile table; these enums only
 * select between formulas that differ in shape, not in numbers. */
typedef enum {
  VA_GEN_2_4,
  VA_GEN_2_6,
  VA_GEN_6_1,
} VaGeneration;

typedef enum {
  VA_PCP_NONE,       /* 2.4: no per-cpu lists */
  VA_PCP_HOT_COLD,   /* 2.6.9: order-0 hot and cold lists */
  VA_PCP_LISTS,      /* 6.1: lists per (migratetype, order <= 3) */
} VaPcpModel;

typedef struct {
  const char *name;
  guint32     bits;
} VaGfpName;

typedef struct _VaProfile VaProfile;

struct _VaProfile {
  const char   *name;            /* "linux-2.6.9" */
  const char   *version;         /* "2.6.9" */
  VaGeneration  gen;

  /* buddy allocator */
  guint         max_order;                 /* MAX_ORDER, exclusive */
  gboolean      split_returns_top;         /* 2.4 expand() keeps the upper half */
  gboolean      has_migratetypes;          /* mobility grouping, pageblocks */
  gboolean      buddy_index_zone_relative; /* page_idx relative to zone_mem_map */
  VaPcpModel    pcp;
  guint         nr_zones;                  /* 3, or 4 with ZONE_MOVABLE */

  /* layout */
  guint32       fixaddr_top;
  guint32       fixmap_pages[2];           /* __end_of_permanent_fixed_addresses, [pae] */
  guint32       pkmap_base[2];             /* fixed PKMAP_BASE (2.4, 2.6.9), [pae] */
  guint32       cea_base[2];               /* 6.1 CPU_ENTRY_AREA_BASE, [pae] */
  guint32       cea_pages;                 /* 6.1 CPU_ENTRY_AREA_PAGES + 1 (estimate) */
  gboolean      has_vmalloc_option;        /* vmalloc= on the command line */
  gboolean      vmalloc_option_adds_offset;/* 6.1: reserve = SIZE + VMALLOC_OFFSET */
  gboolean      has_split_option;          /* CONFIG_VMSPLIT_* */
  guint32       kernel_load;               /* physical load address of the image */
  guint32       kernel_kib;                /* resident image size (text+data+bss) */
  guint32       struct_page_bytes;         /* sizeof(struct page) for mem_map */
  guint64       min_ram;                   /* smallest machine the model boots */

  /* watermarks */
  guint         lowmem_reserve_ratio[VA_NR_ZONES];
  gboolean      thp_min_free_kbytes;       /* Debian 6.1: khugepaged raises min_free_kbytes */

  /* GFP flags: bit values and composites of this kernel */
  const VaGfpName *gfp_names;
  guint32       gfp_dma, gfp_highmem, gfp_movable, gfp_reclaimable;
  guint32       gfp_high, gfp_wait, gfp_atomic, gfp_cold;
  guint32       gfp_zonemask;

  /* /proc files that existed in this kernel */
  gboolean      has_buddyinfo;
  gboolean      has_pagetypeinfo;
  gboolean      has_zoneinfo;
  gboolean      has_vmallocinfo;
  gboolean      has_cma;

};

const VaProfile *va_profile_lookup        (const char *name);
const VaProfile *va_profile_default       (void);
const char      *va_profile_names         (void);  /* "linux-2.4.21, linux-2.6.9, linux-6.1" */
guint            va_profile_nr_types      (const VaProfile *profile);
guint            va_profile_pageblock_order (const VaProfile *profile,
                                             gboolean         pae);

G_END_DECLS
