/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Engine-internal helpers shared by the allocator modules. */
#pragma once

#include "va-machine.h"

G_BEGIN_DECLS

#define VA_OWNER_NONE     0u
#define VA_OWNER_WORKLOAD 1u   /* allocs[1]: the shared record of workload blocks */

static inline VaPage *
va_page (VaMachine *m,
         guint32    pfn)
{
  return &m->pages[pfn];
}

static inline void
va_emit (VaMachine  *m,
         VaEventType type,
         VaKernelFn  fn,
         guint       zone,
         guint       order,
         guint       mt,
         guint       mt2,
         guint32     pfn,
         guint32     pfn2,
         guint32     v0,
         guint32     v1,
         guint32     v2)
{
  VaEvent ev;

  if (G_LIKELY (!m->record_events))
    return;
  ev.type = type;
  ev.fn = fn;
  ev.zone = zone;
  ev.order = order;
  ev.mt = mt;
  ev.mt2 = mt2;
  ev.pfn = pfn;
  ev.pfn2 = pfn2;
  ev.v[0] = v0;
  ev.v[1] = v1;
  ev.v[2] = v2;
  g_array_append_val (m->events, ev);
}

void va_machine_log (VaMachine  *m,
                     const char *format,
                     ...) G_GNUC_PRINTF (2, 3);

/* Lists threaded through VaPage (va-buddy.c). */
void va_list_add_head (VaMachine *m, VaList *list, guint32 pfn);
void va_list_add_tail (VaMachine *m, VaList *list, guint32 pfn);
void va_list_del      (VaMachine *m, VaList *list, guint32 pfn);

static inline guint
va_pageblock_index (const VaMachine *m,
                    guint32          pfn)
{
  return pfn >> m->pageblock_order;
}

static inline void
va_mark_tails (VaMachine *m,
               guint32    pfn,
               guint      order)
{
  for (guint32 i = 1; i < (1u << order); i++)
    m->pages[pfn + i].state = VA_PAGE_TAIL;
}

G_END_DECLS
