/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Engine-internal helpers shared by the allocator modules. */
#pragma once

#include "va-machine.h"

#include <string.h>

G_BEGIN_DECLS

#define VA_OWNER_NONE     0u
#define VA_OWNER_WORKLOAD 1u   /* allocs[1]: the shared record of workload blocks */

/* A frame the caller is going to write: marks its chunk for checkpoints.
 * Read-only code may index m->pages directly.  The dirty table is read
 * from the machine, not through page_store: every step of every op marks
 * frames, and the extra pointer hop was a load per mark. */
static inline VaPage *
va_page (VaMachine *m,
         guint32    pfn)
{
  m->page_dirty[pfn >> m->page_dirty_shift] = 1;
  return &m->pages[pfn];
}

/* Allocation record @id, which the caller is going to write. */
static inline VaAllocation *
va_machine_alloc_mut (VaMachine *m,
                      guint32    id)
{
  return va_chunk_array_mut (m->alloc_store, id);
}

void va_events_grow (VaMachine *m);

/* Appends one event.  Written by hand rather than with g_array_append_val():
 * events are the engine's hottest path when recording, and the GArray call
 * costs as much as the step it records.  The record is one plain struct
 * store: the small fields are mostly constants at each call site, so their
 * word folds, and a 24-byte record keeps its words aligned.  (Streaming the
 * words past the cache with movnti was measured slower than this once the
 * record shrank from 28 bytes: 3.66-3.79x against 3.51-3.61x, linux-6.1
 * 1 GiB, events on.) */
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
  if (G_LIKELY (!m->record_events))
    return;
  if (G_UNLIKELY (m->events->len >= m->events_capacity))
    va_events_grow (m);
  ((VaEvent *) (void *) m->events->data)[m->events->len++] = (VaEvent) {
    .type = type, .fn = fn, .zone = zone, .order = order, .mt = mt, .mt2 = mt2,
    .pfn = pfn, .pfn2 = pfn2, .v = { v0, v1, v2 },
  };
}

void va_machine_log (VaMachine  *m,
                     const char *format,
                     ...) G_GNUC_PRINTF (2, 3);

/* Named allocations (va-machine.c). */
VaAllocation *va_machine_new_allocation  (VaMachine   *m,
                                          const char  *name,
                                          VaAllocKind  kind);
VaAllocation *va_machine_new_unnamed      (VaMachine   *m,
                                          VaAllocKind  kind);
void          va_machine_sync_allocs     (VaMachine   *m);
void          va_machine_alloc_frames    (VaMachine   *m,
                                          guint32      nr_pfns);
void          va_machine_hot_fields      (VaMachine   *m);
/* What is not a chunk array (va-machine-snap.c): copied for
 * va_machine_copy(), freed by va_machine_free(). */
void          va_machine_copy_small_parts  (VaMachine       *m,
                                            const VaMachine *src);
void          va_machine_clear_small_parts (VaMachine *m);
/* Marks VaMachinePart bits as written since the last checkpoint. */
void          va_machine_touch_parts     (VaMachine   *m,
                                          guint        parts);
/* The named record, to write (NULL if the name was never used). */
VaAllocation *va_machine_find_mut        (VaMachine   *m,
                                          const char  *name);
gboolean      va_machine_check_name_free (VaMachine   *m,
                                          const char  *op,
                                          const char  *name,
                                          GError     **error);
void          va_machine_fail_op         (VaMachine    *m,
                                          VaAllocation *a,
                                          const char   *call,
                                          VaOpResult   *result,
                                          char         *reason);
VaAllocation *va_machine_find_live       (VaMachine   *m,
                                          const char  *op,
                                          const char  *name,
                                          GError     **error);

/* Lists threaded through VaPage.  Inline: every free, allocation, split
 * and merge runs one or two of them.  The _page forms take the frame the
 * caller already holds from va_page(), so that one step marks it once. */
static inline void
va_list_add_head_page (VaMachine *m,
                       VaList    *list,
                       guint32    pfn,
                       VaPage    *p)
{
  guint32 head = list->head;

  p->prev = VA_PFN_NONE;
  p->next = head;
  if (head != VA_PFN_NONE)
    va_page (m, head)->prev = pfn;
  else
    list->tail = pfn;
  list->head = pfn;
  list->count++;
}

static inline void
va_list_add_tail_page (VaMachine *m,
                       VaList    *list,
                       guint32    pfn,
                       VaPage    *p)
{
  guint32 tail = list->tail;

  p->next = VA_PFN_NONE;
  p->prev = tail;
  if (tail != VA_PFN_NONE)
    va_page (m, tail)->next = pfn;
  else
    list->head = pfn;
  list->tail = pfn;
  list->count++;
}

static inline void
va_list_del_page (VaMachine *m,
                  VaList    *list,
                  VaPage    *p)
{
  guint32 next = p->next, prev = p->prev;

  if (prev != VA_PFN_NONE)
    va_page (m, prev)->next = next;
  else
    list->head = next;
  if (next != VA_PFN_NONE)
    va_page (m, next)->prev = prev;
  else
    list->tail = prev;
  p->next = p->prev = VA_PFN_NONE;
  list->count--;
}

static inline void
va_list_add_head (VaMachine *m,
                  VaList    *list,
                  guint32    pfn)
{
  va_list_add_head_page (m, list, pfn, va_page (m, pfn));
}

static inline void
va_list_add_tail (VaMachine *m,
                  VaList    *list,
                  guint32    pfn)
{
  va_list_add_tail_page (m, list, pfn, va_page (m, pfn));
}

static inline void
va_list_del (VaMachine *m,
             VaList    *list,
             guint32    pfn)
{
  va_list_del_page (m, list, va_page (m, pfn));
}

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
    va_page (m, pfn + i)->state = VA_PAGE_TAIL;
}

G_END_DECLS
