/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Deep copies of a machine and a field-by-field comparison (tests: a seek
 * must land on exactly the state a fresh replay reaches). */
#define G_LOG_DOMAIN "va-machine-copy"

#include "va-machine-copy.h"
#include "va-machine-private.h"
#include "va-cma.h"
#include "va-kmalloc.h"
#include "va-kmap.h"
#include "va-vmalloc.h"

#include <string.h>

VaMachine *
va_machine_copy (const VaMachine *src)
{
  VaMachine *m;

  g_return_val_if_fail (src != NULL, NULL);

  m = g_memdup2 (src, sizeof *src);
  va_machine_copy_small_parts (m, src);
  /* events belong to the op that made them; a copy starts with none */
  m->events = g_array_new (FALSE, FALSE, sizeof (VaEvent));
  m->events_capacity = 0;
  m->page_store = va_chunk_array_copy (src->page_store);
  m->pages = va_chunk_array_get (m->page_store, 0);
  va_machine_hot_fields (m);
  m->alloc_store = va_chunk_array_copy (src->alloc_store);
  m->name_map = va_chunk_array_copy (src->name_map);
  m->allocs = g_ptr_array_new ();
  va_machine_sync_allocs (m);
  return m;
}

#define DIFF(cond, ...) G_STMT_START { \
    if (cond) { g_string_append_printf (diff, __VA_ARGS__); return FALSE; } \
  } G_STMT_END

static gboolean
allocations_equal (const VaMachine *a,
                   const VaMachine *b,
                   GString         *diff)
{
  DIFF (a->allocs->len != b->allocs->len, "allocations: %u vs %u records", a->allocs->len,
        b->allocs->len);
  for (guint i = 2; i < a->allocs->len; i++)
    {
      const VaAllocation *x = a->allocs->pdata[i], *y = b->allocs->pdata[i];

      DIFF (g_strcmp0 (x->name, y->name) != 0 || x->kind != y->kind || x->state != y->state ||
            x->pfn != y->pfn || x->order != y->order || x->zone != y->zone ||
            x->migratetype != y->migratetype || x->pinned != y->pinned || x->gfp != y->gfp ||
            x->size != y->size || x->virt != y->virt || x->nr_pages != y->nr_pages ||
            x->size_class != y->size_class || x->slab_pfn != y->slab_pfn ||
            x->pkmap_slot != y->pkmap_slot || x->target_id != y->target_id ||
            g_strcmp0 (x->reason, y->reason) != 0,
            "allocation %u (%s) differs", i, x->name ? x->name : "unnamed");
      DIFF (x->nr_pages && x->pfns && memcmp (x->pfns, y->pfns, x->nr_pages * sizeof (guint32)),
            "allocation %s: pfns differ", x->name ? x->name : "unnamed");
      /* name ids differ between arenas; what a name finds must not */
      DIFF (x->name && va_machine_lookup ((VaMachine *) b, x->name) != y,
            "allocation %s: its name finds another record", x->name);
    }
  return TRUE;
}

static gboolean
vmalloc_equal (const VaVmalloc *a,
               const VaVmalloc *b,
               GString         *diff)
{
  DIFF (a->nr_slots != b->nr_slots || a->lazy_pages != b->lazy_pages ||
        a->vmalloc_pages != b->vmalloc_pages || a->busy_bytes != b->busy_bytes ||
        a->areas->len != b->areas->len, "vmalloc counters differ");
  DIFF (!va_gap_tree_equal (a->space, b->space), "vmalloc free space differs");
  DIFF (memcmp (a->pte, b->pte, a->nr_slots * sizeof (guint32)) ||
        memcmp (a->area_of, b->area_of, a->nr_slots * sizeof (guint32)),
        "vmalloc page table differs");
  for (guint i = 1; i < a->areas->len; i++)
    {
      const VaVmapArea *x = a->areas->pdata[i], *y = b->areas->pdata[i];

      DIFF ((x == NULL) != (y == NULL) || (x && memcmp (x, y, sizeof *x)), "vmap area %u differs", i);
    }
  return TRUE;
}

static gboolean
cma_equal (const VaCma *a,
           const VaCma *b,
           GString     *diff)
{
  DIFF ((a == NULL) != (b == NULL), "one machine has a CMA area");
  if (a == NULL)
    return TRUE;
  for (guint i = 0; i < a->areas->len; i++)
    {
      const VaCmaArea *x = a->areas->pdata[i], *y = b->areas->pdata[i];

      DIFF (x->base_pfn != y->base_pfn || x->count != y->count ||
            memcmp (x->bitmap, y->bitmap, x->count), "CMA area %s differs", x->name);
    }
  return TRUE;
}

static gboolean
strings_equal (const GPtrArray *a,
               const GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (a->pdata[i], b->pdata[i]) != 0)
      return FALSE;
  return TRUE;
}

/* Everything that makes the state: frames and their order on every list,
 * zones and per-cpu lists, allocations, vmalloc, slabs, pkmap, CMA, the
 * random stream, counters and the log.  Events are not state. */
gboolean
va_machine_equal (const VaMachine *a,
                  const VaMachine *b,
                  GString         *diff)
{
  g_return_val_if_fail (a != NULL && b != NULL && diff != NULL, FALSE);

  DIFF (a->nr_pfns != b->nr_pfns || a->profile != b->profile, "different machines");
  DIFF (a->op_count != b->op_count || a->last_op_failed != b->last_op_failed,
        "op count %u vs %u", a->op_count, b->op_count);
  DIFF (a->rng.state != b->rng.state, "random stream position differs");
  DIFF (memcmp (a->pages, b->pages, (gsize) a->nr_pfns * sizeof (VaPage)) != 0,
        "page frames (state, order, owner or list links) differ");
  DIFF (memcmp (a->pageblock_mt, b->pageblock_mt, (a->nr_pfns >> a->pageblock_order) + 1) != 0,
        "pageblock migrate types differ");
  DIFF (memcmp (a->zones, b->zones, sizeof a->zones) != 0, "zones (counters, lists, pcp) differ");
  DIFF (a->workload_live->len != b->workload_live->len ||
        (a->workload_live->len &&   /* an empty GArray may have no data at all */
         memcmp (a->workload_live->data, b->workload_live->data,
                 a->workload_live->len * sizeof (guint32)) != 0), "workload blocks differ");
  DIFF (a->nr_isolated_pageblocks != b->nr_isolated_pageblocks || a->wmark_boosted != b->wmark_boosted,
        "machine flags differ");
  DIFF (!strings_equal (a->log, b->log), "logs differ");
  if (!allocations_equal (a, b, diff) || !vmalloc_equal (a->vmalloc, b->vmalloc, diff) ||
      !cma_equal (a->cma, b->cma, diff))
    return FALSE;
  DIFF (!va_slab_caches_equal (a->slab, b->slab), "slab caches differ");
  DIFF (!va_pkmap_equal (a->pkmap, b->pkmap), "pkmap differs");
  return TRUE;
}
