/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmalloc() as size classes.  Each class is one general cache; a cache is a
 * list of slabs; a slab is one block from the page allocator, cut into
 * objects of the class size.  An object's address is in the linear map:
 * PAGE_OFFSET + slab phys + index * size.
 *
 * Simplifications, each stated where it applies:
 * - objects per slab = slab bytes / size: the slab descriptor and bufctl
 *   array of mm/slab.c and the SLUB metadata are ignored (SLUB's kmalloc
 *   caches keep the free pointer inside the object, so there it is exact);
 * - an object comes from the oldest slab with room, lowest free index
 *   first, not from per-cpu object arrays (slab) or the cpu slab (SLUB);
 * - a slab that becomes empty goes back to the page allocator at once,
 *   where 2.x slab keeps it on slabs_free and SLUB keeps min_partial slabs. */
#define G_LOG_DOMAIN "va-kmalloc"

#include "va-kmalloc.h"
#include "va-gfp.h"
#include "va-page-alloc.h"

#include <string.h>

/* Events and kernel functions this module asks va-event.h for (see the
 * hand-off note); until they exist, steps with no truthful existing type
 * are not recorded (EV_NONE). */
#define EV_NONE             VA_EV_N_TYPES
#define EV_KMALLOC_CLASS VA_EV_KMALLOC_CLASS
#define EV_SLAB_NEW VA_EV_SLAB_NEW
#define EV_SLAB_OBJECT VA_EV_SLAB_OBJECT
#define EV_SLAB_OBJECT_FREE VA_EV_SLAB_OBJECT_FREE
#define EV_SLAB_DISCARD VA_EV_SLAB_DISCARD
#define EV_KMALLOC_LARGE VA_EV_KMALLOC_LARGE
#define FN_KMALLOC VA_FN_KMALLOC
#define FN_KMALLOC_LARGE VA_FN_KMALLOC_LARGE
#define FN_KMEM_GETPAGES VA_FN_KMEM_GETPAGES
#define FN_ALLOCATE_SLAB VA_FN_ALLOCATE_SLAB
#define FN_KFREE VA_FN_KFREE
#define FN_KMEM_FREEPAGES VA_FN_KMEM_FREEPAGES
#define FN_DISCARD_SLAB VA_FN_DISCARD_SLAB

#define MAX_CLASSES 16

/* 6.1 include/linux/slab.h, mm/slub.c */
#define SLUB_MAX_ORDER    3       /* slub_max_order = PAGE_ALLOC_COSTLY_ORDER */
#define MAX_OBJS_PER_PAGE 32767u  /* slab.objects is 15 bits */

/* The general caches of one allocator, as data. */
typedef struct {
  VaSlabFlavour flavour;
  guint32       sizes[MAX_CLASSES];
  guint         nr_sizes;
  guint32       max_cache_size;   /* larger requests: page allocator (SLUB) or NULL (slab) */
} SlabModel;

/* 2.4.21 mm/slab.c cache_sizes[] and 2.6.9 malloc_sizes[] from
 * include/linux/kmalloc_sizes.h with PAGE_SIZE 4096: size-32 … size-131072.
 * (2.6.9 also has size-96 and size-192 when L1_CACHE_BYTES < 64 / 128; the
 * issue fixes the powers of two, as on a 686 config with 128-byte lines.) */
static const SlabModel slab_model = {
  VA_SLAB_FLAVOUR_SLAB,
  { 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072 }, 13,
  131072,
};

/* 6.1 mm/slab_common.c kmalloc_info[] from KMALLOC_MIN_SIZE 8 (i386) to
 * KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1: kmalloc-8 … kmalloc-8k; above
 * KMALLOC_MAX_CACHE_SIZE, kmalloc_large() takes pages directly. */
static const SlabModel slub_model = {
  VA_SLAB_FLAVOUR_SLUB,
  { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 }, 13,
  8192,
};

/* One slab: a block of 2^order frames cut into objects. */
typedef struct {
  guint32 pfn;         /* first frame of the block */
  guint32 owner;       /* id of the unnamed record that owns the frames */
  guint   order;       /* SLUB may fall back to a smaller order (s->min) */
  guint   objects;
  guint   inuse;       /* objects handed out */
  guint   cache;       /* index of its cache in VaSlabCaches.caches */
  guint32 map[];       /* bit i set: object i is allocated */
} VaSlab;

/* One general cache: struct kmem_cache of one kmalloc size. */
typedef struct {
  char         *name;
  VaKmallocType type;
  guint32       size;
  guint         order;     /* slab order (SLUB: oo) */
  guint         objects;   /* objects per slab of that order */
  guint         min_order; /* SLUB s->min: the order one object needs */
  GPtrArray    *slabs;     /* VaSlab*, oldest first */
} VaKmemCache;

struct _VaSlabCaches {
  const SlabModel *model;
  guint32          max_size;      /* largest kmalloc() this kernel serves */
  guint32          gfp_bug_mask;  /* GFP_SLAB_BUG_MASK bits: __GFP_HIGHMEM, __GFP_DMA32 */
  guint32          gfp_dma, gfp_reclaimable, gfp_account;
  VaKmemCache      caches[VA_KMALLOC_NR_TYPES * MAX_CLASSES];
  GHashTable      *slab_by_pfn;   /* first pfn → VaSlab* */
};

static const char *const large_names[VA_MAX_ORDER_LIMIT] = {
  "page allocator (order 0)", "page allocator (order 1)", "page allocator (order 2)",
  "page allocator (order 3)", "page allocator (order 4)", "page allocator (order 5)",
  "page allocator (order 6)", "page allocator (order 7)", "page allocator (order 8)",
  "page allocator (order 9)", "page allocator (order 10)",
};

/* mt = the cache's VaKmallocType, mt2 = the VaSlabFlavour (for its name). */
static inline void
slab_emit (VaMachine    *m,
           VaEventType   type,
           VaKernelFn    fn,
           guint         zone,
           guint         order,
           VaKmallocType cache_type,
           guint32       pfn,
           guint32     pfn2,
           guint32     v0,
           guint32     v1,
           guint32     v2)
{
  if (type != EV_NONE)
    va_emit (m, type, fn, zone, order, cache_type, m->slab->model->flavour, pfn, pfn2, v0, v1, v2);
}

/* models include/asm-generic/getorder.h: get_order() */
static guint
get_order (guint64 size)
{
  guint order = 0;

  while (((guint64) VA_PAGE_SIZE << order) < size)
    order++;
  return order;
}

static guint32
linear_address (const VaMachine *m,
                guint32          pfn)
{
  return m->config.page_offset + (pfn << VA_PAGE_SHIFT);
}

/*** Cache geometry ***/

/* models mm/slub.c: order_objects() */
static guint
order_objects (guint   order,
               guint32 size)
{
  return (VA_PAGE_SIZE << order) / size;
}

/* models mm/slub.c (6.1): calc_slab_order() with slub_min_order 0 */
static guint
calc_slab_order (guint32 size,
                 guint   min_objects,
                 guint   max_order,
                 guint   fract_leftover)
{
  guint order;

  if (order_objects (0, size) > MAX_OBJS_PER_PAGE)
    return get_order ((guint64) size * MAX_OBJS_PER_PAGE) - 1;
  for (order = get_order ((guint64) min_objects * size); order <= max_order; order++)
    {
      guint slab_size = VA_PAGE_SIZE << order;

      if (slab_size % size <= slab_size / fract_leftover)
        break;
    }
  return order;
}

/* models mm/slub.c (6.1): calculate_order().  slub_min_objects is 0 (the
 * Debian boot log prints MinObjects=0), so min_objects = 4 * (fls(nr_cpus)
 * + 1) with nr_cpus = num_present_cpus(), or nr_cpu_ids when that is 1; the
 * simulator's CPUs are all present, so both are config.cpus. */
static guint
calculate_order (guint32 size,
                 guint   nr_cpus,
                 guint   max_order)
{
  guint min_objects = 4 * (g_bit_storage (nr_cpus) + 1);
  guint order;

  min_objects = MIN (min_objects, order_objects (SLUB_MAX_ORDER, size));
  while (min_objects > 1)
    {
      for (guint fraction = 16; fraction >= 4; fraction /= 2)
        {
          order = calc_slab_order (size, min_objects, SLUB_MAX_ORDER, fraction);
          if (order <= SLUB_MAX_ORDER)
            return order;
        }
      min_objects--;
    }
  /* unable to place multiple objects: see if one fits */
  order = calc_slab_order (size, 1, SLUB_MAX_ORDER, 1);
  if (order <= SLUB_MAX_ORDER)
    return order;
  return calc_slab_order (size, 1, max_order, 1);
}

/* The slab order of a general cache.  2.x: mm/slab.c kmem_cache_create()
 * grows gfporder until cache_estimate() fits one object and stops at
 * slab_break_gfp_order (1 above 32 MiB) or when the waste is at most 1/8;
 * without the slab descriptor every class up to PAGE_SIZE fits order 0
 * exactly, and larger ones take the smallest order that holds one object
 * (8192 → 1 … 131072 → 5), which is what slab computes for them. */
static guint
cache_order (const VaMachine *m,
             const SlabModel *model,
             guint32          size)
{
  if (model->flavour == VA_SLAB_FLAVOUR_SLUB)
    return calculate_order (size, MAX (m->config.cpus, 1), m->profile->max_order - 1);
  return size <= VA_PAGE_SIZE ? 0 : get_order (size);
}

static const char *const type_prefix[VA_KMALLOC_NR_TYPES] = {
  [VA_KMALLOC_NORMAL] = "kmalloc-", [VA_KMALLOC_RECLAIM] = "kmalloc-rcl-",
  [VA_KMALLOC_DMA] = "dma-kmalloc-", [VA_KMALLOC_CGROUP] = "kmalloc-cg-",
};

char *
va_kmalloc_cache_name (VaSlabFlavour flavour,
                       VaKmallocType type,
                       guint32       size)
{
  g_return_val_if_fail (type < VA_KMALLOC_NR_TYPES, NULL);

  if (flavour == VA_SLAB_FLAVOUR_SLAB)
    return g_strdup_printf ("size-%u%s", size, type == VA_KMALLOC_DMA ? "(DMA)" : "");
  /* mm/slab_common.c INIT_KMALLOC_INFO: "kmalloc-1k" from 1024 up */
  if (size >= 1024 && size % 1024 == 0)
    return g_strdup_printf ("%s%uk", type_prefix[type], size / 1024);
  return g_strdup_printf ("%s%u", type_prefix[type], size);
}

static guint32
gfp_bits (const VaProfile *profile,
          const char      *name)
{
  guint32 bits = 0;

  return va_gfp_parse (profile, name, &bits, NULL) ? bits : 0;
}

/* models mm/slab_common.c: create_kmalloc_caches() (6.1);
 * mm/slab.c: kmem_cache_sizes_init() (2.x) */
VaSlabCaches *
va_slab_caches_new (VaMachine *m)
{
  VaSlabCaches *sc;

  g_return_val_if_fail (m != NULL && m->profile != NULL, NULL);

  sc = g_new0 (VaSlabCaches, 1);
  sc->model = m->profile->gen == VA_GEN_6_1 ? &slub_model : &slab_model;
  sc->max_size = sc->model->flavour == VA_SLAB_FLAVOUR_SLUB
                   ? VA_PAGE_SIZE << (m->profile->max_order - 1)   /* KMALLOC_MAX_SIZE */
                   : sc->model->max_cache_size;
  sc->gfp_dma = m->profile->gfp_dma;
  sc->gfp_reclaimable = m->profile->gfp_reclaimable;
  sc->gfp_account = gfp_bits (m->profile, "__GFP_ACCOUNT");
  sc->gfp_bug_mask = m->profile->gfp_highmem | gfp_bits (m->profile, "__GFP_DMA32");
  sc->slab_by_pfn = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint t = 0; t < VA_KMALLOC_NR_TYPES; t++)
    for (guint i = 0; i < sc->model->nr_sizes; i++)
      {
        VaKmemCache *c = &sc->caches[t * MAX_CLASSES + i];

        c->type = t;
        c->size = sc->model->sizes[i];
        c->name = va_kmalloc_cache_name (sc->model->flavour, t, c->size);
        c->order = cache_order (m, sc->model, c->size);
        c->objects = order_objects (c->order, c->size);
        c->min_order = get_order (c->size);
        c->slabs = g_ptr_array_new_with_free_func (g_free);
      }
  return sc;
}

void
va_slab_caches_free (VaSlabCaches *sc)
{
  if (sc == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (sc->caches); i++)
    {
      g_free (sc->caches[i].name);
      g_clear_pointer (&sc->caches[i].slabs, g_ptr_array_unref);
    }
  g_hash_table_unref (sc->slab_by_pfn);
  g_free (sc);
}

static gsize
slab_bytes (const VaSlab *slab)
{
  return sizeof (VaSlab) + ((slab->objects + 31) / 32) * sizeof (guint32);
}

/* A deep copy for history checkpoints: same caches, slabs and object maps. */
VaSlabCaches *
va_slab_caches_copy (const VaSlabCaches *src)
{
  VaSlabCaches *sc = g_memdup2 (src, sizeof *src);

  sc->slab_by_pfn = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < G_N_ELEMENTS (sc->caches); i++)
    {
      const VaKmemCache *from = &src->caches[i];
      VaKmemCache *c = &sc->caches[i];

      c->name = g_strdup (from->name);
      if (from->slabs == NULL)
        continue;
      c->slabs = g_ptr_array_new_full (from->slabs->len, g_free);
      for (guint k = 0; k < from->slabs->len; k++)
        {
          const VaSlab *slab = from->slabs->pdata[k];
          VaSlab *copy = g_memdup2 (slab, slab_bytes (slab));

          g_ptr_array_add (c->slabs, copy);
          g_hash_table_insert (sc->slab_by_pfn, GUINT_TO_POINTER (copy->pfn), copy);
        }
    }
  return sc;
}

/* Same caches, same slabs in the same order, same object maps. */
gboolean
va_slab_caches_equal (const VaSlabCaches *a,
                      const VaSlabCaches *b)
{
  for (guint i = 0; i < G_N_ELEMENTS (a->caches); i++)
    {
      const GPtrArray *x = a->caches[i].slabs, *y = b->caches[i].slabs;

      if ((x == NULL) != (y == NULL) || (x && x->len != y->len))
        return FALSE;
      for (guint k = 0; x && k < x->len; k++)
        {
          const VaSlab *p = x->pdata[k], *q = y->pdata[k];

          if (slab_bytes (p) != slab_bytes (q) || memcmp (p, q, slab_bytes (p)) != 0)
            return FALSE;
        }
    }
  return TRUE;
}

/* models include/linux/slab.h (6.1): kmalloc_type().  2.x picks between
 * cs_cachep and cs_dmacachep on GFP_DMA only. */
static VaKmallocType
kmalloc_type (const VaSlabCaches *sc,
              guint32             gfp)
{
  if (gfp & sc->gfp_dma)
    return VA_KMALLOC_DMA;
  if (sc->model->flavour == VA_SLAB_FLAVOUR_SLAB)
    return VA_KMALLOC_NORMAL;
  if (gfp & sc->gfp_reclaimable)
    return VA_KMALLOC_RECLAIM;
  if (gfp & sc->gfp_account)
    return VA_KMALLOC_CGROUP;
  return VA_KMALLOC_NORMAL;
}

/* models mm/slab_common.c: kmalloc_slab() (6.1); the malloc_sizes[] walk of
 * mm/slab.c: __kmalloc() (2.x).  NULL when @size needs no cache. */
static VaKmemCache *
find_cache (VaSlabCaches *sc,
            guint32       size,
            VaKmallocType type)
{
  for (guint i = 0; i < sc->model->nr_sizes; i++)
    if (size <= sc->model->sizes[i])
      return &sc->caches[type * MAX_CLASSES + i];
  return NULL;
}

gboolean
va_kmalloc_cache_geometry (const VaMachine *m,
                           guint32          size,
                           guint32         *size_class,
                           guint           *order,
                           guint           *objects)
{
  const VaKmemCache *c;

  g_return_val_if_fail (m != NULL && m->slab != NULL, FALSE);

  c = size ? find_cache (m->slab, size, VA_KMALLOC_NORMAL) : NULL;
  if (c == NULL)
    return FALSE;
  if (size_class)
    *size_class = c->size;
  if (order)
    *order = c->order;
  if (objects)
    *objects = c->objects;
  return TRUE;
}

const char *
va_kmalloc_class_name (const VaMachine    *m,
                       const VaAllocation *a)
{
  const VaKmemCache *c;

  g_return_val_if_fail (m != NULL && m->slab != NULL && a != NULL, NULL);
  g_return_val_if_fail (a->kind == VA_ALLOC_KMALLOC, NULL);

  if (a->size_class == 0)
    return a->order < G_N_ELEMENTS (large_names) ? large_names[a->order] : "page allocator";
  c = find_cache (m->slab, a->size_class, kmalloc_type (m->slab, a->gfp));
  return c ? c->name : "?";
}

/*** Input checks ***/

static gboolean
check_gfp (VaMachine  *m,
           const VaOp *op,
           guint32     gfp,
           GError    **error)
{
  const char *text = op->gfp ? op->gfp : "GFP_KERNEL";
  guint32 bad = gfp & m->slab->gfp_bug_mask;

  if (bad == 0)
    return TRUE;
  if (bad & m->profile->gfp_highmem)
    g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                 "kmalloc %s: gfp=%s: kmalloc memory must be in the linear map: "
                 "__GFP_HIGHMEM is not allowed (%s)", op->name, text,
                 m->slab->model->flavour == VA_SLAB_FLAVOUR_SLUB
                   ? "linux-6.1's kmalloc_fix_flags() warns about it"
                   : "the slab allocator's cache_grow() BUGs on it");
  else
    g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                 "kmalloc %s: gfp=%s: __GFP_DMA32 is not allowed for kmalloc "
                 "(it is in GFP_SLAB_BUG_MASK; kmalloc_fix_flags() warns)", op->name, text);
  return FALSE;
}

static gboolean
check_size (VaMachine  *m,
            const VaOp *op,
            GError    **error)
{
  const VaSlabCaches *sc = m->slab;
  g_autofree char *size = NULL;
  g_autofree char *max = NULL;

  if (op->size == 0)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "kmalloc %s: size 0: give a size of at least 1 byte (%s)", op->name,
                   sc->model->flavour == VA_SLAB_FLAVOUR_SLUB
                     ? "linux-6.1's kmalloc(0) returns ZERO_SIZE_PTR, no memory"
                     : "a kmalloc(0) in 2.x silently takes a size-32 object");
      return FALSE;
    }
  if (op->size <= sc->max_size)
    return TRUE;
  size = va_format_size (op->size);
  max = va_format_size (sc->max_size);
  if (sc->model->flavour == VA_SLAB_FLAVOUR_SLUB)
    g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                 "kmalloc %s: %s is more than KMALLOC_MAX_SIZE (%s, order %u): %s's "
                 "kmalloc_large() warns and returns NULL; use vmalloc", op->name, size, max,
                 m->profile->max_order - 1, m->profile->name);
  else
    g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                 "kmalloc %s: %s is more than the largest general cache, size-%u (%s): "
                 "%s's kmalloc() returns NULL; use vmalloc or alloc_pages", op->name, size,
                 sc->max_size, max, m->profile->name);
  return FALSE;
}

/*** Slabs ***/

static guint
slab_words (guint objects)
{
  return (objects + 31) / 32;
}

static gboolean
slab_test (const VaSlab *slab,
           guint         i)
{
  return (slab->map[i / 32] >> (i % 32)) & 1;
}

static guint
slab_first_free (const VaSlab *slab)
{
  for (guint w = 0; w < slab_words (slab->objects); w++)
    if (slab->map[w] != G_MAXUINT32)
      return w * 32 + g_bit_nth_lsf (~slab->map[w], -1);
  return slab->objects;
}

static guint32
object_virt (const VaMachine *m,
             guint32          slab_pfn,
             guint32          size,
             guint            index)
{
  return linear_address (m, slab_pfn) + index * size;
}

/* The unnamed record that owns a slab's frames, like the workload record
 * owns workload blocks: the inspector shows it as the frames' owner. */
static VaAllocation *
new_slab_owner (VaMachine         *m,
                const VaKmemCache *c,
                guint32            pfn,
                guint              order,
                VaZoneType         zone,
                guint32            gfp)
{
  VaAllocation *o = va_machine_new_unnamed (m, VA_ALLOC_KMALLOC);

  o->state = VA_ALLOC_LIVE;
  o->pfn = pfn;
  o->order = order;
  o->zone = zone;
  o->gfp = gfp;
  o->migratetype = va_gfp_migratetype (m->profile, gfp);
  o->size = (guint64) VA_PAGE_SIZE << order;
  o->size_class = c->size;
  o->slab_pfn = pfn;
  o->virt = linear_address (m, pfn);
  o->pkmap_slot = -1;
  return o;
}

/* models mm/slab.c: cache_grow() → kmem_getpages() (2.x); mm/slub.c:
 * allocate_slab() (6.1), which first tries the cache's order without
 * retrying hard and then falls back to s->min, the order of one object.
 * Slab pages are not movable: kmalloc memory stays where it is. */
static VaSlab *
new_slab (VaMachine    *m,
          guint         cache,
          guint32       gfp,
          char        **reason)
{
  VaSlabCaches *sc = m->slab;
  VaKmemCache *c = &sc->caches[cache];
  gboolean slub = sc->model->flavour == VA_SLAB_FLAVOUR_SLUB;
  guint order = c->order;
  VaZoneType zone;
  guint32 pfn;
  VaSlab *slab;
  VaAllocation *owner;

  pfn = va_alloc_pages (m, gfp, order, &zone, reason);
  if (pfn == VA_PFN_NONE && slub && c->min_order < order)
    {
      g_clear_pointer (reason, g_free);
      order = c->min_order;
      pfn = va_alloc_pages (m, gfp, order, &zone, reason);
    }
  if (pfn == VA_PFN_NONE)
    return NULL;
  owner = new_slab_owner (m, c, pfn, order, zone, gfp);
  va_page (m, pfn)->owner = owner->id;
  slab = g_malloc0 (sizeof (VaSlab) + slab_words (order_objects (order, c->size)) * sizeof (guint32));
  slab->pfn = pfn;
  slab->owner = owner->id;
  slab->order = order;
  slab->objects = order_objects (order, c->size);
  slab->cache = cache;
  g_ptr_array_add (c->slabs, slab);
  g_hash_table_insert (sc->slab_by_pfn, GUINT_TO_POINTER (pfn), slab);
  slab_emit (m, EV_SLAB_NEW, slub ? FN_ALLOCATE_SLAB : FN_KMEM_GETPAGES, zone, order, c->type,
             pfn, 0, c->size, slab->objects, owner->id);
  return slab;
}

/* models mm/slab.c: slab_destroy() → kmem_freepages() (2.x);
 * mm/slub.c: discard_slab() (6.1) */
static void
discard_slab (VaMachine *m,
              VaSlab    *slab)
{
  VaSlabCaches *sc = m->slab;
  VaKmemCache *c = &sc->caches[slab->cache];
  VaAllocation *owner = va_machine_alloc_mut (m, slab->owner);

  slab_emit (m, EV_SLAB_DISCARD,
             sc->model->flavour == VA_SLAB_FLAVOUR_SLUB ? FN_DISCARD_SLAB : FN_KMEM_FREEPAGES,
             owner->zone, slab->order, c->type, slab->pfn, 0, c->size, slab->objects, owner->id);
  owner->state = VA_ALLOC_FREED;
  g_hash_table_remove (sc->slab_by_pfn, GUINT_TO_POINTER (slab->pfn));
  va_free_pages (m, slab->pfn, slab->order);
  g_ptr_array_remove (c->slabs, slab);   /* frees it */
}

/* The oldest slab of the cache with a free object, or NULL. */
static VaSlab *
find_partial_slab (VaKmemCache *c)
{
  for (guint i = 0; i < c->slabs->len; i++)
    {
      VaSlab *slab = c->slabs->pdata[i];

      if (slab->inuse < slab->objects)
        return slab;
    }
  return NULL;
}

/*** kmalloc / kfree ***/


/* models mm/slab_common.c (6.1): kmalloc_large(): above
 * KMALLOC_MAX_CACHE_SIZE the object is a compound page of its own. */
static void
kmalloc_large (VaMachine    *m,
               VaAllocation *a,
               VaOpResult   *result)
{
  char *reason = NULL;
  VaZoneType zone;
  guint32 pfn;

  a->order = get_order (a->size);
  a->size_class = 0;
  pfn = va_alloc_pages (m, a->gfp, a->order, &zone, &reason);
  if (pfn == VA_PFN_NONE)
    {
      va_machine_fail_op (m, a, "kmalloc", result, reason);
      return;
    }
  a->state = VA_ALLOC_LIVE;
  a->pfn = a->slab_pfn = pfn;
  a->zone = zone;
  a->virt = linear_address (m, pfn);
  va_page (m, pfn)->owner = a->id;
  slab_emit (m, EV_KMALLOC_LARGE, FN_KMALLOC_LARGE, zone, a->order, kmalloc_type (m->slab, a->gfp),
             pfn, 0, a->size, 0, 0);
}

/* models mm/slab.c: __cache_alloc() (2.x) and mm/slub.c: slab_alloc_node()
 * (6.1), with the object-placement simplification of the file comment. */
static void
kmem_cache_alloc (VaMachine    *m,
                  guint         cache,
                  VaAllocation *a,
                  VaOpResult   *result)
{
  VaKmemCache *c = &m->slab->caches[cache];
  VaSlab *slab = find_partial_slab (c);
  char *reason = NULL;
  guint index;

  a->size_class = c->size;
  a->order = c->order;
  if (slab == NULL)
    slab = new_slab (m, cache, a->gfp, &reason);
  if (slab == NULL)
    {
      va_machine_fail_op (m, a, "kmalloc", result, reason);
      return;
    }
  index = slab_first_free (slab);
  slab->map[index / 32] |= 1u << (index % 32);
  slab->inuse++;
  a->state = VA_ALLOC_LIVE;
  a->slab_pfn = slab->pfn;
  a->order = slab->order;
  a->virt = object_virt (m, slab->pfn, c->size, index);
  a->pfn = slab->pfn + (index * c->size >> VA_PAGE_SHIFT);
  a->zone = ((VaAllocation *) m->allocs->pdata[slab->owner])->zone;
  slab_emit (m, EV_SLAB_OBJECT, FN_KMALLOC, a->zone, slab->order, c->type, slab->pfn, a->pfn,
             index, a->virt, c->size);
}

/* models mm/slab.c: kmalloc() (2.x), mm/slab_common.c: __kmalloc() (6.1) */
gboolean
va_kmalloc_op (VaMachine  *m,
               const VaOp *op,
               VaOpResult *result,
               GError    **error)
{
  VaSlabCaches *sc;
  VaAllocation *a;
  VaKmemCache *c;
  guint32 gfp;

  g_return_val_if_fail (m != NULL && m->slab != NULL, FALSE);
  g_return_val_if_fail (op != NULL && op->name != NULL && result != NULL, FALSE);

  sc = m->slab;
  if (!va_machine_check_name_free (m, "kmalloc", op->name, error) ||
      !va_gfp_parse (m->profile, op->gfp ? op->gfp : "GFP_KERNEL", &gfp, error) ||
      !check_gfp (m, op, gfp, error) ||
      !check_size (m, op, error))
    return FALSE;
  a = va_machine_new_allocation (m, op->name, VA_ALLOC_KMALLOC);
  a->size = op->size;
  a->gfp = gfp;
  a->migratetype = va_gfp_migratetype (m->profile, gfp);
  a->pkmap_slot = -1;
  c = op->size <= sc->model->max_cache_size
        ? find_cache (sc, op->size, kmalloc_type (sc, gfp)) : NULL;
  slab_emit (m, EV_KMALLOC_CLASS, FN_KMALLOC, 0, c ? c->order : get_order (op->size),
             kmalloc_type (sc, gfp), 0, 0, op->size, c ? c->size : 0, 0);
  if (c == NULL)
    kmalloc_large (m, a, result);
  else
    kmem_cache_alloc (m, (guint) (c - sc->caches), a, result);
  return TRUE;
}

/* models mm/slab.c: kfree() → __cache_free() (2.x); mm/slub.c: kfree() →
 * slab_free() / free_large_kmalloc() (6.1).  An empty slab is discarded at
 * once (see the file comment). */
void
va_kfree (VaMachine    *m,
          VaAllocation *a)
{
  VaSlab *slab;
  guint index;

  g_return_if_fail (m != NULL && m->slab != NULL && a != NULL);
  g_return_if_fail (a->kind == VA_ALLOC_KMALLOC && a->name != NULL && a->state == VA_ALLOC_LIVE);

  if (a->size_class == 0)
    {
      a->state = VA_ALLOC_FREED;
      va_free_pages (m, a->pfn, a->order);
      return;
    }
  slab = g_hash_table_lookup (m->slab->slab_by_pfn, GUINT_TO_POINTER (a->slab_pfn));
  g_return_if_fail (slab != NULL);
  index = (a->virt - linear_address (m, slab->pfn)) / a->size_class;
  g_return_if_fail (index < slab->objects && slab_test (slab, index));
  a->state = VA_ALLOC_FREED;
  slab->map[index / 32] &= ~(1u << (index % 32));
  slab->inuse--;
  slab_emit (m, EV_SLAB_OBJECT_FREE, FN_KFREE, a->zone, slab->order,
             m->slab->caches[slab->cache].type, slab->pfn, a->pfn, index, a->virt, a->size_class);
  if (slab->inuse == 0)
    discard_slab (m, slab);
}

/*** Invariants ***/

#define FAIL(...) G_STMT_START { \
    g_set_error (error, VA_ERROR, VA_ERROR_STATE, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

static guint
slab_popcount (const VaSlab *slab)
{
  guint n = 0;

  for (guint i = 0; i < slab->objects; i++)
    n += slab_test (slab, i);
  return n;
}

/* One slab: its frames, its owner record, its counters. */
static gboolean
check_slab (VaMachine         *m,
            const VaKmemCache *c,
            const VaSlab      *slab,
            guint64           *bits,
            GError           **error)
{
  const VaPage *p = &m->pages[slab->pfn];
  const VaAllocation *o = slab->owner < m->allocs->len ? m->allocs->pdata[slab->owner] : NULL;
  guint n = slab_popcount (slab);

  if (p->state != VA_PAGE_ALLOCATED || p->order != slab->order || p->owner != slab->owner)
    FAIL ("%s slab at pfn %u: frame is state %u order %u owner %u, not an allocated order-%u "
          "head owned by %u", c->name, slab->pfn, p->state, p->order, p->owner, slab->order,
          slab->owner);
  if (o == NULL || o->kind != VA_ALLOC_KMALLOC || o->name != NULL || o->state != VA_ALLOC_LIVE ||
      o->pfn != slab->pfn)
    FAIL ("%s slab at pfn %u: owner record %u is not its live slab record", c->name, slab->pfn,
          slab->owner);
  if (n == 0 || n != slab->inuse)
    FAIL ("%s slab at pfn %u: inuse %u but %u bits set", c->name, slab->pfn, slab->inuse, n);
  if (slab->objects != order_objects (slab->order, c->size))
    FAIL ("%s slab at pfn %u: %u objects in an order-%u slab", c->name, slab->pfn,
          slab->objects, slab->order);
  *bits += n;
  return TRUE;
}

/* One live named kmalloc: its bit, its address, no other record on it. */
static gboolean
check_object (VaMachine          *m,
              const VaAllocation *a,
              GHashTable         *seen,
              guint64            *objects,
              GError            **error)
{
  const VaSlab *slab = g_hash_table_lookup (m->slab->slab_by_pfn, GUINT_TO_POINTER (a->slab_pfn));
  guint index;

  if (slab == NULL)
    FAIL ("kmalloc “%s”: no slab at pfn %u", a->name, a->slab_pfn);
  index = (a->virt - linear_address (m, slab->pfn)) / a->size_class;
  if (m->slab->caches[slab->cache].size != a->size_class || index >= slab->objects ||
      a->virt != object_virt (m, slab->pfn, a->size_class, index))
    FAIL ("kmalloc “%s”: virt 0x%08x is not an object of its %u-byte slab at pfn %u", a->name,
          a->virt, a->size_class, slab->pfn);
  if (!slab_test (slab, index))
    FAIL ("kmalloc “%s”: object %u of the slab at pfn %u is marked free", a->name, index,
          slab->pfn);
  if (!g_hash_table_add (seen, GUINT_TO_POINTER (a->virt)))
    FAIL ("kmalloc “%s”: another live record holds object 0x%08x", a->name, a->virt);
  if (a->pfn != slab->pfn + (index * a->size_class >> VA_PAGE_SHIFT))
    FAIL ("kmalloc “%s”: pfn %u is not the frame of its object", a->name, a->pfn);
  (*objects)++;
  return TRUE;
}

static gboolean
check_large (VaMachine          *m,
             const VaAllocation *a,
             GError            **error)
{
  const VaPage *p = &m->pages[a->pfn];

  if (p->state != VA_PAGE_ALLOCATED || p->owner != a->id || p->order != a->order)
    FAIL ("kmalloc “%s”: pfn %u is state %u owner %u order %u", a->name, a->pfn, p->state,
          p->owner, p->order);
  return TRUE;
}

static gboolean
check_records (VaMachine  *m,
               guint64    *objects,
               GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < m->allocs->len; i++)
    {
      const VaAllocation *a = m->allocs->pdata[i];
      const VaSlab *slab;

      if (a == NULL || a->kind != VA_ALLOC_KMALLOC || a->state != VA_ALLOC_LIVE)
        continue;
      if (a->name == NULL)
        {
          slab = g_hash_table_lookup (m->slab->slab_by_pfn, GUINT_TO_POINTER (a->pfn));
          if (slab == NULL || slab->owner != a->id)
            FAIL ("live slab record %u (pfn %u) has no slab", a->id, a->pfn);
        }
      else if (a->size_class == 0 ? !check_large (m, a, error)
                                  : !check_object (m, a, seen, objects, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
va_kmalloc_check (VaMachine *m,
                  GError   **error)
{
  VaSlabCaches *sc;
  guint64 bits = 0, objects = 0, slabs = 0;

  g_return_val_if_fail (m != NULL && m->slab != NULL, FALSE);

  sc = m->slab;
  for (guint i = 0; i < G_N_ELEMENTS (sc->caches); i++)
    {
      const VaKmemCache *c = &sc->caches[i];

      for (guint s = 0; c->slabs && s < c->slabs->len; s++)
        if (!check_slab (m, c, c->slabs->pdata[s], &bits, error))
          return FALSE;
      slabs += c->slabs ? c->slabs->len : 0;
    }
  if (slabs != g_hash_table_size (sc->slab_by_pfn))
    FAIL ("%" G_GUINT64_FORMAT " slabs in the caches but %u in the pfn index", slabs,
          g_hash_table_size (sc->slab_by_pfn));
  if (!check_records (m, &objects, error))
    return FALSE;
  if (bits != objects)
    FAIL ("%" G_GUINT64_FORMAT " objects marked allocated in slabs but %" G_GUINT64_FORMAT
          " live kmalloc records", bits, objects);
  return TRUE;
}
