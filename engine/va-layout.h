/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-config.h"

G_BEGIN_DECLS

/* The i386 kernel's address-space layout for one machine.  Addresses are
 * 32-bit virtual; pfns are 4 KiB frame numbers (36-bit physical with PAE). */
typedef struct {
  guint32  page_offset;
  guint64  vmalloc_reserve;    /* __VMALLOC_RESERVE */
  guint64  maxmem;             /* MAXMEM (bytes of lowmem the kernel can map) */
  guint32  maxmem_pfn;
  guint32  max_pfn;            /* after mem= and the 4 GiB clamp */
  guint32  max_low_pfn;
  guint32  highstart_pfn;
  guint32  highend_pfn;
  guint32  high_memory;        /* virtual */
  guint32  vmalloc_offset;     /* 8 MiB */
  guint32  vmalloc_start;
  guint32  vmalloc_end;
  guint32  pkmap_base;
  guint32  last_pkmap;
  guint32  ldt_base;           /* 6.1; 0 elsewhere */
  guint32  ldt_end;
  guint32  cea_base;           /* 6.1 cpu_entry_area; 0 elsewhere */
  guint32  cea_end;
  guint32  fixaddr_start;
  guint32  fixaddr_top;
  guint32  pmd_size;
  guint64  ram_bytes;          /* as configured, before mem= */
  GPtrArray *messages;         /* the kernel's boot messages about memory, as printed */
  GPtrArray *warnings;         /* the subset that are warnings */
} VaLayout;

gboolean  va_layout_compute  (VaLayout              *layout,
                              const VaMachineConfig *config,
                              GError               **error);
void      va_layout_clear    (VaLayout              *layout);
char     *va_layout_format   (const VaLayout        *layout,
                              const VaMachineConfig *config);

G_END_DECLS
