/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Machine snapshots for history checkpoints.  The frames, the allocation
 * records and the name map are chunk arrays (VaChunkArray): a snapshot
 * shares the chunks nobody wrote since the previous one.  Parts kept as
 * objects (vmalloc, slab caches, pkmap, CMA, workload blocks) are copied
 * when an op that may write them ran since, and shared otherwise; the rest
 * (pageblock types, the log, layout messages) is small and copied every
 * time.  A restore copies only what differs from the live machine. */
#define G_LOG_DOMAIN "va-machine-snap"

#include "va-machine-snap.h"
#include "va-machine-private.h"
#include "va-cma.h"
#include "va-kmalloc.h"
#include "va-kmap.h"
#include "va-vmalloc.h"

#include <string.h>

static GPtrArray *
copy_strings (const GPtrArray *src)
{
  GPtrArray *out = g_ptr_array_new_full (src->len, g_free);

  for (guint i = 0; i < src->len; i++)
    g_ptr_array_add (out, g_strdup (src->pdata[i]));
  return out;
}

/*** Parts copied whole ***/

typedef gpointer (*PartCopy) (gconstpointer part);

static gpointer
copy_cma (gconstpointer cma)
{
  return cma ? va_cma_copy (cma) : NULL;
}

static gpointer
copy_u32_array (gconstpointer array)
{
  return g_array_copy ((GArray *) array);
}

static void
free_u32_array (gpointer array)
{
  g_array_unref (array);
}

static void
free_cma (gpointer cma)
{
  va_cma_free (cma);
}

/* In VaMachinePart bit order. */
static const struct {
  gsize          offset;
  PartCopy       copy;
  GDestroyNotify free;
} parts[] = {
  { G_STRUCT_OFFSET (VaMachine, vmalloc), (PartCopy) va_vmalloc_copy, (GDestroyNotify) va_vmalloc_free },
  { G_STRUCT_OFFSET (VaMachine, slab), (PartCopy) va_slab_caches_copy,
    (GDestroyNotify) va_slab_caches_free },
  { G_STRUCT_OFFSET (VaMachine, pkmap), (PartCopy) va_pkmap_copy, (GDestroyNotify) va_pkmap_free },
  { G_STRUCT_OFFSET (VaMachine, cma), copy_cma, free_cma },
  { G_STRUCT_OFFSET (VaMachine, workload_live), copy_u32_array, free_u32_array },
};
#define N_PARTS G_N_ELEMENTS (parts)

static gpointer *
part_field (VaMachine *m,
            guint      p)
{
  return (gpointer *) (void *) ((guint8 *) m + parts[p].offset);
}

/* A part's copy held by checkpoints, shared while nobody writes the part. */
typedef struct {
  guint    ref;
  guint    part;
  gpointer obj;
} SharedPart;

static SharedPart *
shared_part_ref (SharedPart *sp)
{
  sp->ref++;
  return sp;
}

static void
shared_part_unref (SharedPart *sp)
{
  if (sp == NULL || --sp->ref > 0)
    return;
  if (sp->obj)
    parts[sp->part].free (sp->obj);
  g_free (sp);
}

/* The live machine's side: which parts were written since they were last
 * synced with a checkpoint, and the shared copy each equals otherwise. */
struct _VaMachineSync {
  guint       dirty;
  SharedPart *base[N_PARTS];
};

void
va_machine_touch_parts (VaMachine *m,
                        guint      mask)
{
  if (m->sync != NULL)
    m->sync->dirty |= mask;
}

static VaMachineSync *
machine_sync (VaMachine *m)
{
  if (m->sync == NULL)
    {
      m->sync = g_new0 (VaMachineSync, 1);
      m->sync->dirty = ~0u;
    }
  return m->sync;
}

static void
sync_free (VaMachineSync *sync)
{
  if (sync == NULL)
    return;
  for (guint p = 0; p < N_PARTS; p++)
    shared_part_unref (sync->base[p]);
  g_free (sync);
}

static void
sync_set_base (VaMachineSync *sync,
               guint          p,
               SharedPart    *sp)
{
  shared_part_ref (sp);
  shared_part_unref (sync->base[p]);
  sync->base[p] = sp;
  sync->dirty &= ~(1u << p);
}

/*** Parts copied every time ***/

/* The layout's messages, the pageblock types and the log: small next to
 * the frames, and changed by most ops. */
static void
copy_fixed_parts (VaMachine       *m,
                  const VaMachine *src)
{
  m->layout.messages = copy_strings (src->layout.messages);
  m->layout.warnings = copy_strings (src->layout.warnings);
  m->pageblock_mt = g_memdup2 (src->pageblock_mt, (src->nr_pfns >> src->pageblock_order) + 1);
  m->log = g_ptr_array_copy (src->log, NULL, NULL);   /* arena strings */
  m->arena = va_arena_ref (src->arena);
}

static void
clear_fixed_parts (VaMachine *m)
{
  va_layout_clear (&m->layout);
  g_clear_pointer (&m->pageblock_mt, g_free);
  g_clear_pointer (&m->log, g_ptr_array_unref);
  g_clear_pointer (&m->arena, va_arena_unref);
}

void
va_machine_clear_small_parts (VaMachine *m)
{
  clear_fixed_parts (m);
  for (guint p = 0; p < N_PARTS; p++)
    {
      gpointer *field = part_field (m, p);

      if (*field)
        parts[p].free (*field);
      *field = NULL;
    }
  g_clear_pointer (&m->sync, sync_free);
}

/* What a checkpoint copies every time, roughly. */
static guint64
fixed_parts_bytes (const VaMachine *m)
{
  return sizeof (VaMachine) + (m->nr_pfns >> m->pageblock_order) + 1 +
         (guint64) m->log->len * sizeof (gpointer);
}

/* What a copy of a part holds, roughly. */
static guint64
part_bytes (const VaMachine *m,
            guint            p)
{
  switch (1u << p)
    {
    case VA_PART_VMALLOC:
      return (guint64) m->vmalloc->nr_slots * 2 * sizeof (guint32) +
             (guint64) m->vmalloc->areas->len * (sizeof (gpointer) + sizeof (VaVmapArea));
    case VA_PART_WORKLOAD:
      return (guint64) m->workload_live->len * sizeof (guint32);
    default:
      return 4096;
    }
}

/* For va_machine_copy(): every small part, copied (no sharing). */
void
va_machine_copy_small_parts (VaMachine       *m,
                             const VaMachine *src)
{
  copy_fixed_parts (m, src);
  for (guint p = 0; p < N_PARTS; p++)
    *part_field (m, p) = parts[p].copy (*part_field ((VaMachine *) src, p));
  m->sync = NULL;
}

/*** Snapshots ***/

struct _VaMachineSnap {
  VaMachine   *rest;      /* fixed parts only: no frames, records, parts or events */
  SharedPart  *part[N_PARTS];
  VaChunkSnap *pages;
  VaChunkSnap *records;
  VaChunkSnap *names;
  guint64      rest_bytes;
  guint64      new_bytes;  /* what taking it copied */
};

VaMachineSnap *
va_machine_snapshot (VaMachine *m)
{
  VaMachineSnap *snap = g_new0 (VaMachineSnap, 1);
  VaMachineSync *sync;
  VaMachine *rest;

  g_return_val_if_fail (m != NULL, NULL);

  sync = machine_sync (m);
  snap->rest = rest = g_memdup2 (m, sizeof *m);
  copy_fixed_parts (rest, m);
  rest->page_store = NULL;
  rest->pages = NULL;
  rest->page_dirty = NULL;
  rest->alloc_store = NULL;
  rest->name_map = NULL;
  rest->allocs = NULL;
  rest->events = NULL;
  rest->sync = NULL;
  snap->rest_bytes = fixed_parts_bytes (m);
  snap->new_bytes = snap->rest_bytes;
  for (guint p = 0; p < N_PARTS; p++)
    {
      *part_field (rest, p) = NULL;
      if ((sync->dirty & (1u << p)) || sync->base[p] == NULL)
        {
          SharedPart *sp = g_new0 (SharedPart, 1);

          sp->part = p;
          sp->obj = parts[p].copy (*part_field (m, p));
          sync_set_base (sync, p, sp);
          snap->new_bytes += part_bytes (m, p);
        }
      snap->part[p] = shared_part_ref (sync->base[p]);
      snap->rest_bytes += part_bytes (m, p);
    }
  snap->pages = va_chunk_array_snapshot (m->page_store);
  snap->records = va_chunk_array_snapshot (m->alloc_store);
  snap->names = va_chunk_array_snapshot (m->name_map);
  return snap;
}

void
va_machine_restore (VaMachine           *m,
                    const VaMachineSnap *snap)
{
  VaMachine live;
  VaMachineSync *sync;

  g_return_if_fail (m != NULL && snap != NULL);
  g_return_if_fail (m->nr_pfns == snap->rest->nr_pfns);

  sync = machine_sync (m);
  clear_fixed_parts (m);
  live = *m;
  *m = *snap->rest;
  copy_fixed_parts (m, snap->rest);
  /* a part nobody wrote since it was synced with the same copy stays */
  for (guint p = 0; p < N_PARTS; p++)
    {
      gpointer obj = *part_field (&live, p);

      if ((sync->dirty & (1u << p)) || sync->base[p] != snap->part[p])
        {
          if (obj)
            parts[p].free (obj);
          obj = parts[p].copy (snap->part[p]->obj);
          sync_set_base (sync, p, snap->part[p]);
        }
      *part_field (m, p) = obj;
    }
  m->sync = sync;
  /* the chunk arrays and the events stay; only the chunks that differ are copied */
  m->page_store = live.page_store;
  m->pages = live.pages;
  m->page_dirty = live.page_dirty;
  m->alloc_store = live.alloc_store;
  m->name_map = live.name_map;
  m->allocs = live.allocs;
  m->events = live.events;
  m->events_capacity = live.events_capacity;
  m->record_events = live.record_events;
  g_array_set_size (m->events, 0);
  va_chunk_array_restore (m->page_store, snap->pages);
  va_chunk_array_restore (m->alloc_store, snap->records);
  va_chunk_array_restore (m->name_map, snap->names);
  va_machine_sync_allocs (m);
}

void
va_machine_snap_free (VaMachineSnap *snap)
{
  if (snap == NULL)
    return;
  g_clear_pointer (&snap->rest, va_machine_free);
  for (guint p = 0; p < N_PARTS; p++)
    shared_part_unref (snap->part[p]);
  va_chunk_snap_free (snap->pages);
  va_chunk_snap_free (snap->records);
  va_chunk_snap_free (snap->names);
  g_free (snap);
}

guint64
va_machine_snap_bytes (const VaMachineSnap *snap,
                       guint                epoch)
{
  /* shared parts are counted with each snapshot: an overestimate, small */
  return sizeof *snap + snap->rest_bytes + va_chunk_snap_bytes (snap->pages, epoch) +
         va_chunk_snap_bytes (snap->records, epoch) + va_chunk_snap_bytes (snap->names, epoch);
}

guint64
va_machine_snap_new_bytes (const VaMachineSnap *snap)
{
  return snap->new_bytes + va_chunk_snap_new_bytes (snap->pages) +
         va_chunk_snap_new_bytes (snap->records) + va_chunk_snap_new_bytes (snap->names);
}
