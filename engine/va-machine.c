/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-machine"

#include "va-machine-private.h"
#include "va-boot.h"
#include "va-cma.h"
#include "va-gfp.h"
#include "va-kmalloc.h"
#include "va-kmap.h"
#include "va-page-alloc.h"
#include "va-vmalloc.h"
#include "va-workload.h"

#include <stdlib.h>
#include <string.h>


/* Allocation records are chunked by 64 so that a checkpoint shares the
 * chunks no op touched; the frames by 256 (3 KiB), small enough that an op
 * dirties little, large enough that the chunk tables stay short. */
#define ALLOC_CHUNK_SHIFT 2
#define NAME_CHUNK_SHIFT  10

static guint
page_chunk_shift (guint32 nr_pfns)
{
  guint shift = 6;

  /* at most 16384 chunks: a 64 GiB machine has 4096 frames per chunk */
  while (((guint64) nr_pfns >> shift) > 16384)
    shift++;
  return shift;
}

/* Points allocs[i] at the records for ids below @len (allocs[0] stays NULL:
 * "no owner"); the records never move. */
void
va_machine_sync_allocs (VaMachine *m)
{
  guint len = m->alloc_store->len;
  guint old = m->allocs->len;

  g_ptr_array_set_size (m->allocs, len);
  for (guint i = MAX (old, 1); i < len; i++)
    m->allocs->pdata[i] = va_chunk_array_get (m->alloc_store, i);
}

/* Appends a zeroed record. */
static VaAllocation *
append_record (VaMachine *m)
{
  guint id = m->alloc_store->len;
  VaAllocation *a;

  va_chunk_array_set_size (m->alloc_store, id + 1);
  va_machine_sync_allocs (m);
  a = va_machine_alloc_mut (m, id);
  a->id = id;
  return a;
}

VaMachine *
va_machine_new (const VaMachineConfig  *config,
                GError                **error)
{
  g_autoptr(VaMachine) m = g_new0 (VaMachine, 1);
  VaAllocation *workload;

  g_return_val_if_fail (config != NULL, NULL);

  m->config = *config;
  m->profile = config->profile;
  /* each generation has its own per-cpu lists: va_alloc_pages() and
   * va_free_pages() call them directly */
  g_assert ((m->profile->gen == VA_GEN_2_4) == (m->profile->pcp == VA_PCP_NONE) &&
            (m->profile->gen == VA_GEN_2_6) == (m->profile->pcp == VA_PCP_HOT_COLD) &&
            (m->profile->gen == VA_GEN_6_1) == (m->profile->pcp == VA_PCP_LISTS));
  m->pcp_max_order = !config->pcp_enabled ? -1
                     : m->profile->pcp == VA_PCP_HOT_COLD ? 0
                     : m->profile->pcp == VA_PCP_LISTS ? 3   /* PAGE_ALLOC_COSTLY_ORDER */
                     : -1;
  m->gfp_alloc_mask = 0;
  m->gfp_alloc_zone = va_gfp_zone (m->profile, 0);
  m->gfp_alloc_mt = va_gfp_migratetype (m->profile, 0);
  m->arena = va_arena_new ();
  m->alloc_store = va_chunk_array_new (sizeof (VaAllocation), ALLOC_CHUNK_SHIFT);
  m->name_map = va_chunk_array_new (sizeof (guint32), NAME_CHUNK_SHIFT);
  m->allocs = g_ptr_array_new ();
  m->workload_live = g_array_new (FALSE, FALSE, sizeof (guint32));
  m->log = g_ptr_array_new ();
  m->events = g_array_new (FALSE, FALSE, sizeof (VaEvent));
  va_rng_init (&m->rng, config->seed);
  if (!va_layout_compute (&m->layout, config, error))
    return NULL;
  /* allocs[0] is "no owner"; allocs[1] stands for every workload block */
  append_record (m);
  workload = append_record (m);
  workload->kind = VA_ALLOC_WORKLOAD;
  g_assert (workload->id == VA_OWNER_WORKLOAD);
  if (!va_boot (m, error))
    return NULL;
  m->vmalloc = va_vmalloc_new (m);
  m->slab = va_slab_caches_new (m);
  m->pkmap = va_pkmap_new (m);
  for (guint z = 0; z < VA_NR_ZONES; z++)
    {
      guint32 gfp = z == VA_ZONE_DMA ? m->profile->gfp_dma
                  : z == VA_ZONE_HIGHMEM ? m->profile->gfp_highmem
                  : z == VA_ZONE_MOVABLE ? m->profile->gfp_highmem | m->profile->gfp_movable : 0;

      va_gfp_zonelist (m->profile, m->zones, gfp, &m->zonelists[z]);
    }
  return g_steal_pointer (&m);
}

/* mem_map: called by boot once max_pfn is known. */
void
va_machine_alloc_frames (VaMachine *m,
                         guint32    nr_pfns)
{
  m->nr_pfns = nr_pfns;
  m->page_store = va_chunk_array_new_flat (sizeof (VaPage), page_chunk_shift (nr_pfns), nr_pfns);
  m->pages = va_chunk_array_get (m->page_store, 0);
  va_machine_hot_fields (m);
}

/* The copies of page_store's table that va_page() reads; a flat chunk
 * array never reallocates it, so they change only with page_store. */
void
va_machine_hot_fields (VaMachine *m)
{
  m->page_dirty = m->page_store->dirty;
  m->page_dirty_shift = m->page_store->shift;
}

void
va_machine_free (VaMachine *m)
{
  if (m == NULL)
    return;
  va_machine_clear_small_parts (m);
  g_clear_pointer (&m->page_store, va_chunk_array_free);
  g_clear_pointer (&m->allocs, g_ptr_array_unref);
  g_clear_pointer (&m->alloc_store, va_chunk_array_free);
  g_clear_pointer (&m->name_map, va_chunk_array_free);
  g_clear_pointer (&m->events, g_array_unref);
  g_free (m);
}

void
va_events_grow (VaMachine *m)
{
  guint len = m->events->len;

  m->events_capacity = MAX (MAX (m->events_capacity * 2, len + 1), 4096);
  g_array_set_size (m->events, m->events_capacity);
  g_array_set_size (m->events, len);   /* keeps the allocation */
}

void
va_machine_set_record_events (VaMachine *m,
                              gboolean   record)
{
  g_return_if_fail (m != NULL);
  m->record_events = record;
}

void
va_machine_log (VaMachine  *m,
                const char *format,
                ...)
{
  va_list args;

  g_autofree char *line = NULL;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (m->log, (gpointer) va_arena_intern (m->arena, line));
}

void
va_op_result_clear (VaOpResult *result)
{
  g_clear_pointer (&result->reason, g_free);
  result->failed = FALSE;
}

/* The head of the block that covers @pfn (itself for reserved frames). */
guint32
va_machine_block_head (const VaMachine *m,
            guint32          pfn)
{
  for (guint o = 0; o < m->profile->max_order; o++)
    {
      guint32 h = pfn & ~((1u << o) - 1);
      const VaPage *p = &m->pages[h];

      if ((p->state == VA_PAGE_FREE || p->state == VA_PAGE_PCP || p->state == VA_PAGE_ALLOCATED) &&
          pfn < h + (1u << p->order))
        return h;
    }
  return pfn;
}

guint32
va_machine_total_free (const VaMachine *m)
{
  guint32 sum = 0;

  for (guint z = 0; z < m->profile->nr_zones; z++)
    sum += m->zones[z].free;
  return sum;
}

guint32
va_machine_pcp_pages (const VaMachine *m,
                      const VaZone    *zone)
{
  guint32 sum = 0;

  for (guint c = 0; c < m->config.cpus; c++)
    sum += zone->pcp[c].count[0] + (m->profile->pcp == VA_PCP_HOT_COLD ? zone->pcp[c].count[1] : 0);
  return sum;
}

/* The record of name @name_id, or NULL. */
static VaAllocation *
record_of_name (VaMachine *m,
                guint32    name_id)
{
  guint32 id;

  if (name_id == 0 || name_id >= m->name_map->len)
    return NULL;
  id = *(guint32 *) va_chunk_array_get (m->name_map, name_id);
  return id ? m->allocs->pdata[id] : NULL;
}

static VaAllocation *
find_record (VaMachine  *m,
             const char *name)
{
  return record_of_name (m, va_arena_name_id (m->arena, name, FALSE));
}

const VaAllocation *
va_machine_lookup (VaMachine  *m,
                   const char *name)
{
  g_return_val_if_fail (m != NULL && name != NULL, NULL);
  return find_record (m, name);
}

VaAllocation *
va_machine_find_mut (VaMachine  *m,
                     const char *name)
{
  VaAllocation *a = find_record (m, name);

  return a ? va_machine_alloc_mut (m, a->id) : NULL;
}

/*** Ops ***/

/* A name keeps its record: a new allocation under a freed or failed name
 * reuses it, so the records stay as many as the names, however long the
 * history.  Nothing refers to a record that is not live, so the reuse is
 * invisible, and it is deterministic like the rest of the engine. */
VaAllocation *
va_machine_new_allocation (VaMachine  *m,
                           const char *name,
                           VaAllocKind kind)
{
  guint32 name_id = va_arena_name_id (m->arena, name, TRUE);
  VaAllocation *a = record_of_name (m, name_id);

  if (a != NULL)
    {
      a = va_machine_alloc_mut (m, a->id);
      *a = (VaAllocation) { .id = a->id };
    }
  else
    {
      a = append_record (m);
      if (name_id >= m->name_map->len)
        va_chunk_array_set_size (m->name_map, name_id + 1);
      *(guint32 *) va_chunk_array_mut (m->name_map, name_id) = a->id;
    }
  a->name = va_arena_name (m->arena, name_id);
  a->kind = kind;
  a->op_index = m->op_count + 1;
  return a;
}

/* An unnamed record (a slab's owner). */
VaAllocation *
va_machine_new_unnamed (VaMachine   *m,
                        VaAllocKind  kind)
{
  VaAllocation *a = append_record (m);

  a->kind = kind;
  a->op_index = m->op_count + 1;
  return a;
}

gboolean
va_machine_check_name_free (VaMachine  *m,
                 const char *op,
                 const char *name,
                 GError    **error)
{
  const VaAllocation *a = find_record (m, name);

  if (a && a->state == VA_ALLOC_LIVE)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_STATE,
                   "%s %s: “%s” is still allocated (op %u); free it first or use another name",
                   op, name, name, a->op_index);
      return FALSE;
    }
  return TRUE;
}

/* An op the kernel refused (no memory, no space): the record keeps the
 * reason, the result carries it, the log says it.  Takes @reason. */
void
va_machine_fail_op (VaMachine    *m,
                    VaAllocation *a,
                    const char   *call,
                    VaOpResult   *result,
                    char         *reason)
{
  a->state = VA_ALLOC_FAILED;
  a->reason = va_arena_intern (m->arena, reason);
  result->failed = TRUE;
  result->reason = reason;
  va_machine_log (m, "op %u: %s %s: %s", m->op_count + 1, call, a->name, reason);
}

static gboolean
resolve_gfp (VaMachine  *m,
             const VaOp *op,
             const char *fallback,
             guint32    *gfp,
             GError    **error)
{
  const char *text = op->gfp ? op->gfp : fallback;

  /* ops repeat the same few GFP texts: parse each once per run of them */
  if (m->gfp_cache_text != NULL && strcmp (m->gfp_cache_text, text) == 0)
    {
      *gfp = m->gfp_cache_mask;
      return TRUE;
    }
  if (!va_gfp_parse (m->profile, text, gfp, error))
    return FALSE;
  m->gfp_cache_text = va_arena_intern (m->arena, text);
  m->gfp_cache_mask = *gfp;
  return TRUE;
}

/* Ties a freshly allocated block to its record: owner, movability, address. */
static void
bind_block (VaMachine    *m,
            VaAllocation *a,
            guint32       pfn,
            guint         order,
            VaZoneType    zone,
            guint32       gfp)
{
  VaPage *p = va_page (m, pfn);

  a->state = VA_ALLOC_LIVE;
  a->pfn = pfn;
  a->order = order;
  a->zone = zone;
  a->gfp = gfp;
  a->migratetype = va_gfp_migratetype (m->profile, gfp);
  /* lowmem is in the linear map at phys + PAGE_OFFSET; HighMem has no
   * permanent kernel address */
  a->virt = zone == VA_ZONE_HIGHMEM ? 0 : m->config.page_offset + (pfn << VA_PAGE_SHIFT);
  p->owner = a->id;
  if (m->profile->has_migratetypes && a->migratetype == VA_MT_MOVABLE)
    p->flags |= VA_PAGE_F_MOVABLE;
}

/* models include/linux/gfp.h: alloc_pages() */
static gboolean
op_alloc (VaMachine  *m,
          const VaOp *op,
          VaOpResult *result,
          GError    **error)
{
  VaAllocation *a;
  VaZoneType zone;
  guint32 gfp, pfn;
  char *reason = NULL;

  if (op->order >= m->profile->max_order)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "order=%u: %s has MAX_ORDER %u, so orders 0 to %u", op->order,
                   m->profile->name, m->profile->max_order, m->profile->max_order - 1);
      return FALSE;
    }
  if (!va_machine_check_name_free (m, "alloc", op->name, error) ||
      !resolve_gfp (m, op, "GFP_KERNEL", &gfp, error))
    return FALSE;
  a = va_machine_new_allocation (m, op->name, VA_ALLOC_PAGES);
  a->size = (guint64) VA_PAGE_SIZE << op->order;
  a->order = op->order;
  a->gfp = gfp;
  pfn = va_alloc_pages (m, gfp, op->order, &zone, &reason);
  if (pfn == VA_PFN_NONE)
    {
      va_machine_fail_op (m, a, "alloc", result, reason);
      return TRUE;
    }
  bind_block (m, a, pfn, op->order, zone, gfp);
  va_emit (m, VA_EV_ALLOC_DONE, VA_FN_ALLOC_PAGES, zone, op->order, a->migratetype, 0, pfn, 0,
           0, 0, 0);
  return TRUE;
}

VaAllocation *
va_machine_find_live (VaMachine  *m,
           const char *op,
           const char *name,
           GError    **error)
{
  VaAllocation *a = va_machine_find_mut (m, name);

  if (a == NULL)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE, "%s %s: there is no allocation named “%s”",
                 op, name, name);
  else if (a->state == VA_ALLOC_FREED)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE,
                 "%s %s: “%s” was already freed (double free)", op, name, name);
  else if (a->state == VA_ALLOC_FAILED)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE,
                 "%s %s: the allocation of “%s” failed, so there is nothing to free", op, name, name);
  else
    return a;
  return NULL;
}

/* models mm/page_alloc.c: __free_pages() */
static gboolean
op_free (VaMachine  *m,
         const VaOp *op,
         GError    **error)
{
  VaAllocation *a = va_machine_find_live (m, "free", op->name, error);
  const char *user;

  if (a == NULL)
    return FALSE;
  if ((user = va_kmap_user_of (m, a)) != NULL)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_STATE, "free %s: “%s” is still kmapped by “%s”; "
                   "kunmap it first", op->name, op->name, user);
      return FALSE;
    }
  if (a->kind == VA_ALLOC_KMALLOC)
    {
      va_kfree (m, a);   /* models mm/slab.c, mm/slub.c: kfree() */
      return TRUE;
    }
  if (a->kind != VA_ALLOC_PAGES)
    {
      static const char *const calls[] = {
        [VA_ALLOC_VMALLOC] = "vfree", [VA_ALLOC_KMAP] = "kunmap", [VA_ALLOC_CMA] = "cma_release",
      };
      g_set_error (error, VA_ERROR, VA_ERROR_STATE, "free %s: “%s” is a %s allocation; "
                   "use %s %s", op->name, op->name, va_alloc_kind_name (a->kind),
                   a->kind < G_N_ELEMENTS (calls) && calls[a->kind] ? calls[a->kind] : "its own call",
                   op->name);
      return FALSE;
    }
  va_free_pages (m, a->pfn, a->order);
  a->state = VA_ALLOC_FREED;
  return TRUE;
}

/* The parts an op may write, for checkpoints to copy (va-machine-copy.c).
 * Erring on the side of more is only slower; the history tests compare
 * every seek with a fresh replay and catch a part left out. */
static guint
op_parts (VaOpKind kind)
{
  switch (kind)
    {
    case VA_OP_FREE:              return VA_PART_SLAB;   /* kfree() of a kmalloc name */
    case VA_OP_VMALLOC:
    case VA_OP_VMALLOC_32:
    case VA_OP_VFREE:             return VA_PART_VMALLOC;
    case VA_OP_KMALLOC:           return VA_PART_SLAB;
    case VA_OP_KMAP:
    case VA_OP_KUNMAP:            return VA_PART_PKMAP;
    case VA_OP_CMA_RELEASE:       return VA_PART_CMA;
    case VA_OP_WORKLOAD_FRAGMENT: return VA_PART_WORKLOAD;
    case VA_OP_ALLOC:
    case VA_OP_PIN:
    case VA_OP_UNPIN:             return 0;
    case VA_OP_CMA_ALLOC:         /* migrations move workload blocks */
    case VA_OP_WORKLOAD_MOVABLE:
    default:                      return ~0u;
    }
}

gboolean
va_machine_apply (VaMachine   *m,
                  const VaOp  *op,
                  VaOpResult  *result,
                  GError     **error)
{
  gboolean ok;
  guint events_before;

  g_return_val_if_fail (m != NULL && op != NULL && result != NULL, FALSE);

  result->failed = FALSE;
  result->reason = NULL;
  events_before = m->events->len;
  va_machine_touch_parts (m, op_parts (op->kind));
  va_emit (m, VA_EV_OP_BEGIN, VA_FN_ALLOC_PAGES, 0, 0, 0, 0, m->op_count + 1, 0, 0, 0, 0);
  switch (op->kind)
    {
    case VA_OP_ALLOC:
      ok = op_alloc (m, op, result, error);
      break;
    case VA_OP_FREE:
      ok = op_free (m, op, error);
      break;
    case VA_OP_VMALLOC:
    case VA_OP_VMALLOC_32:
      ok = va_vmalloc_op (m, op, result, error);
      break;
    case VA_OP_VFREE:
      ok = va_vfree_op (m, op, error);
      break;
    case VA_OP_KMALLOC:
      ok = va_kmalloc_op (m, op, result, error);
      break;
    case VA_OP_KMAP:
      ok = va_kmap_op (m, op, result, error);
      break;
    case VA_OP_KUNMAP:
      ok = va_kunmap_op (m, op, result, error);
      break;
    case VA_OP_CMA_ALLOC:
      ok = va_cma_alloc_op (m, op, result, error);
      break;
    case VA_OP_CMA_RELEASE:
      ok = va_cma_release_op (m, op, error);
      break;
    case VA_OP_PIN:
    case VA_OP_UNPIN:
      ok = va_pin_op (m, op, error);
      break;
    case VA_OP_WORKLOAD_MOVABLE:
      ok = va_workload_movable (m, op->seed, op->count, error);
      break;
    case VA_OP_WORKLOAD_FRAGMENT:
      ok = va_workload_fragment (m, op->seed, op->count, error);
      break;
    default:
      g_set_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED,
                   "%s: this operation is not simulated yet", va_op_kind_name (op->kind));
      ok = FALSE;
      break;
    }
  if (!ok)
    {
      /* invalid ops are refused before they touch the machine */
      g_array_set_size (m->events, events_before);
      return FALSE;
    }
  m->op_count++;
  m->last_op_failed = result->failed;
  return TRUE;
}

/*** Queries for `expect` ***/

static gboolean
query_allocation (VaMachine          *m,
                  const VaAllocation *a,
                  const char         *field,
                  gint64             *value,
                  GError            **error)
{
  if (a->state != VA_ALLOC_LIVE && !g_str_equal (field, "size") && !g_str_equal (field, "order"))
    {
      g_set_error (error, VA_ERROR, VA_ERROR_STATE, "“%s” is %s: it has no %s", a->name,
                   va_alloc_state_name (a->state), field);
      return FALSE;
    }
  if (g_str_equal (field, "virt"))
    *value = a->virt;
  else if (g_str_equal (field, "phys"))
    *value = a->kind == VA_ALLOC_KMALLOC ? (gint64) a->virt - m->config.page_offset   /* the object, not its frame */
                                         : (gint64) a->pfn << VA_PAGE_SHIFT;
  else if (g_str_equal (field, "pfn"))
    *value = a->pfn;
  else if (g_str_equal (field, "pages"))
    *value = a->kind == VA_ALLOC_VMALLOC || a->kind == VA_ALLOC_CMA ? a->nr_pages
                                                                    : (gint64) 1 << a->order;
  else if (g_str_equal (field, "size"))
    *value = a->size;
  else if (g_str_equal (field, "zone"))
    *value = a->zone;
  else if (g_str_equal (field, "order"))
    *value = a->order;
  else
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "“%s.%s”: allocations have virt, phys, pfn, pages, size, zone, order",
                   a->name, field);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_zone (VaMachine  *m,
            const char *zone_name,
            const char *field,
            gint64     *value,
            GError    **error)
{
  VaZoneType type;
  const VaZone *z;

  if (!va_zone_from_name (zone_name, &type) || type >= m->profile->nr_zones)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "“zone.%s”: zones are DMA, Normal, HighMem%s", zone_name,
                   m->profile->nr_zones > 3 ? ", Movable" : "");
      return FALSE;
    }
  z = &m->zones[type];
#define FIELD(n, v) if (g_str_equal (field, n)) { *value = (v); return TRUE; }
  FIELD ("free", z->free)
  FIELD ("min", z->wmark_min)
  FIELD ("low", z->wmark_low)
  FIELD ("high", z->wmark_high)
  FIELD ("managed", z->managed)
  FIELD ("present", z->present)
  FIELD ("spanned", z->spanned)
  FIELD ("start_pfn", z->start_pfn)
  FIELD ("end_pfn", z->end_pfn)
  FIELD ("pcp", va_machine_pcp_pages (m, z))
  FIELD ("cma", z->cma_pages)
  FIELD ("free_cma", z->free_cma)
#undef FIELD
  g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
               "“zone.%s.%s”: zone fields are free, min, low, high, managed, present, spanned, "
               "start_pfn, end_pfn, pcp, cma, free_cma", zone_name, field);
  return FALSE;
}

static gboolean
query_layout (VaMachine  *m,
              const char *field,
              gint64     *value,
              GError    **error)
{
  const VaLayout *l = &m->layout;

#define FIELD(n, v) if (g_str_equal (field, n)) { *value = (v); return TRUE; }
  FIELD ("page_offset", l->page_offset)
  FIELD ("high_memory", l->high_memory)
  FIELD ("vmalloc_offset", l->vmalloc_offset)
  FIELD ("vmalloc_start", l->vmalloc_start)
  FIELD ("vmalloc_end", l->vmalloc_end)
  FIELD ("pkmap_base", l->pkmap_base)
  FIELD ("last_pkmap", l->last_pkmap)
  FIELD ("fixaddr_start", l->fixaddr_start)
  FIELD ("fixaddr_top", l->fixaddr_top)
  FIELD ("max_low_pfn", l->max_low_pfn)
  FIELD ("highstart_pfn", l->highstart_pfn)
  FIELD ("max_pfn", l->max_pfn)
  FIELD ("maxmem", (gint64) l->maxmem)
  FIELD ("vmalloc_reserve", (gint64) l->vmalloc_reserve)
#undef FIELD
  g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
               "“layout.%s”: layout fields are page_offset, high_memory, vmalloc_offset, "
               "vmalloc_start, vmalloc_end, pkmap_base, last_pkmap, fixaddr_start, fixaddr_top, "
               "max_low_pfn, highstart_pfn, max_pfn, maxmem, vmalloc_reserve", field);
  return FALSE;
}

/* "buddyinfo.Normal[3]" */
static gboolean
query_buddyinfo (VaMachine  *m,
                 const char *rest,
                 gint64     *value,
                 GError    **error)
{
  g_autofree char *zone_name = g_strdup (rest);
  char *bracket = strchr (zone_name, '[');
  char *end = NULL;
  VaZoneType type;
  guint64 order;

  if (bracket == NULL)
    goto bad;
  *bracket = '\0';
  order = g_ascii_strtoull (bracket + 1, &end, 10);
  if (end == bracket + 1 || *end != ']' || end[1] != '\0' || order >= m->profile->max_order)
    goto bad;
  if (!va_zone_from_name (zone_name, &type) || type >= m->profile->nr_zones)
    goto bad;
  *value = m->zones[type].free_area[order].nr_free;
  return TRUE;

bad:
  g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
               "“buddyinfo.%s”: expected buddyinfo.ZONE[ORDER] with ORDER 0 to %u", rest,
               m->profile->max_order - 1);
  return FALSE;
}

gboolean
va_machine_query (VaMachine   *m,
                  const char  *path,
                  gint64      *value,
                  GError     **error)
{
  g_auto(GStrv) parts = NULL;
  VaZoneType zone;
  const VaAllocation *a;

  g_return_val_if_fail (m != NULL && path != NULL && value != NULL, FALSE);

  if (g_str_has_prefix (path, "buddyinfo."))
    return query_buddyinfo (m, path + strlen ("buddyinfo."), value, error);
  parts = g_strsplit (path, ".", 3);
  if (parts[1] == NULL && va_zone_from_name (parts[0], &zone))
    {
      *value = zone;
      return TRUE;
    }
  if (g_str_equal (parts[0], "zone") && parts[1] && parts[2])
    return query_zone (m, parts[1], parts[2], value, error);
  if (g_str_equal (parts[0], "layout") && parts[1] && !parts[2])
    return query_layout (m, parts[1], value, error);
  if (g_str_equal (parts[0], "memory") && parts[1] && g_str_equal (parts[1], "free") && !parts[2])
    {
      *value = va_machine_total_free (m);
      return TRUE;
    }
  a = find_record (m, parts[0]);
  if (a && parts[1] && !parts[2])
    return query_allocation (m, a, parts[1], value, error);
  g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
               "“%s”: not a value; use NAME.field, zone.ZONE.field, buddyinfo.ZONE[N], "
               "layout.field, memory.free or a zone name", path);
  return FALSE;
}
