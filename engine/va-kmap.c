/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pkmap window: LAST_PKMAP page-table slots at PKMAP_BASE in which
 * kmap() maps HighMem pages.  The logic of mm/highmem.c is the same in
 * 2.4.21, 2.6.9 and 6.1 (6.1 only adds cache colouring, which i386 does not
 * use): pkmap_count[] per slot, last_pkmap_nr where the next search starts,
 * and a lazy TLB flush: kunmap() leaves a slot at count 1, still mapped,
 * and flush_all_zero_pkmaps() frees all such slots at once when the search
 * wraps around to slot 0. */
#define G_LOG_DOMAIN "va-kmap"

#include "va-kmap.h"

#include <string.h>

/* Events and kernel functions this module asks va-event.h for (see the
 * hand-off note); until they exist the steps are not recorded. */
#define EV_NONE                   VA_EV_N_TYPES
#define EV_PKMAP_LOWMEM VA_EV_PKMAP_LOWMEM
#define EV_PKMAP_HIT VA_EV_PKMAP_HIT
#define EV_PKMAP_MAP VA_EV_PKMAP_MAP
#define EV_PKMAP_CLEAR VA_EV_PKMAP_CLEAR
#define EV_PKMAP_FLUSH VA_EV_PKMAP_FLUSH
#define EV_PKMAP_PUT VA_EV_PKMAP_PUT
#define EV_PKMAP_FULL VA_EV_PKMAP_FULL
#define FN_KMAP VA_FN_KMAP
#define FN_KMAP_HIGH VA_FN_KMAP_HIGH
#define FN_MAP_NEW_VIRTUAL VA_FN_MAP_NEW_VIRTUAL
#define FN_FLUSH_ALL_ZERO_PKMAPS VA_FN_FLUSH_ALL_ZERO_PKMAPS
#define FN_KUNMAP_HIGH VA_FN_KUNMAP_HIGH

struct _VaPkmap {
  guint       last_pkmap;      /* LAST_PKMAP: 1024, 512 with PAE */
  guint32     pkmap_base;      /* PKMAP_BASE */
  gint       *pkmap_count;     /* [LAST_PKMAP] */
  guint32    *pkmap_pte;       /* [LAST_PKMAP]: frame mapped, VA_PFN_NONE if pte_none() */
  guint       last_pkmap_nr;
  GHashTable *page_address;    /* HighMem pfn → slot + 1: page_address() / set_page_address() */
  GArray     *live;            /* guint32 allocation ids of live kmaps, oldest first */
};

static inline void
kmap_emit (VaMachine  *m,
           VaEventType type,
           VaKernelFn  fn,
           guint32     pfn,
           guint32     v0,
           guint32     v1,
           guint32     v2)
{
  if (type != EV_NONE)
    va_emit (m, type, fn, VA_ZONE_HIGHMEM, 0, 0, 0, pfn, 0, v0, v1, v2);
}

/* models include/asm-i386/highmem.h: PKMAP_ADDR() */
static guint32
pkmap_addr (const VaPkmap *pk,
            guint          nr)
{
  return pk->pkmap_base + (nr << VA_PAGE_SHIFT);
}

VaPkmap *
va_pkmap_new (VaMachine *m)
{
  VaPkmap *pk;

  g_return_val_if_fail (m != NULL, NULL);
  g_return_val_if_fail (m->layout.last_pkmap > 0 &&
                        (m->layout.last_pkmap & (m->layout.last_pkmap - 1)) == 0, NULL);

  pk = g_new0 (VaPkmap, 1);
  pk->last_pkmap = m->layout.last_pkmap;
  pk->pkmap_base = m->layout.pkmap_base;
  pk->pkmap_count = g_new0 (gint, pk->last_pkmap);
  pk->pkmap_pte = g_new (guint32, pk->last_pkmap);
  for (guint i = 0; i < pk->last_pkmap; i++)
    pk->pkmap_pte[i] = VA_PFN_NONE;
  pk->page_address = g_hash_table_new (g_direct_hash, g_direct_equal);
  pk->live = g_array_new (FALSE, FALSE, sizeof (guint32));
  return pk;
}

void
va_pkmap_free (VaPkmap *pk)
{
  if (pk == NULL)
    return;
  g_free (pk->pkmap_count);
  g_free (pk->pkmap_pte);
  g_hash_table_unref (pk->page_address);
  g_array_unref (pk->live);
  g_free (pk);
}

/* A deep copy for history checkpoints. */
VaPkmap *
va_pkmap_copy (const VaPkmap *src)
{
  VaPkmap *pk = g_memdup2 (src, sizeof *src);
  GHashTableIter iter;
  gpointer key, value;

  pk->pkmap_count = g_memdup2 (src->pkmap_count, src->last_pkmap * sizeof (gint));
  pk->pkmap_pte = g_memdup2 (src->pkmap_pte, src->last_pkmap * sizeof (guint32));
  pk->page_address = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_hash_table_iter_init (&iter, src->page_address);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (pk->page_address, key, value);
  pk->live = g_array_copy (src->live);
  return pk;
}

gboolean
va_pkmap_equal (const VaPkmap *a,
                const VaPkmap *b)
{
  if (a->last_pkmap != b->last_pkmap || a->last_pkmap_nr != b->last_pkmap_nr ||
      a->live->len != b->live->len ||
      g_hash_table_size (a->page_address) != g_hash_table_size (b->page_address) ||
      memcmp (a->pkmap_count, b->pkmap_count, a->last_pkmap * sizeof (gint)) != 0 ||
      memcmp (a->pkmap_pte, b->pkmap_pte, a->last_pkmap * sizeof (guint32)) != 0)
    return FALSE;
  return a->live->len == 0 ||
         memcmp (a->live->data, b->live->data, a->live->len * sizeof (guint32)) == 0;
}

gint
va_pkmap_slot_count (const VaPkmap *pk,
                     guint          slot)
{
  g_return_val_if_fail (pk != NULL, -1);
  return slot < pk->last_pkmap ? pk->pkmap_count[slot] : -1;
}

guint32
va_pkmap_slot_pfn (const VaPkmap *pk,
                   guint          slot)
{
  g_return_val_if_fail (pk != NULL, VA_PFN_NONE);
  return slot < pk->last_pkmap ? pk->pkmap_pte[slot] : VA_PFN_NONE;
}

guint
va_pkmap_nr_slots (const VaPkmap *pk)
{
  g_return_val_if_fail (pk != NULL, 0);
  return pk->last_pkmap;
}

guint
va_pkmap_last_nr (const VaPkmap *pk)
{
  g_return_val_if_fail (pk != NULL, 0);
  return pk->last_pkmap_nr;
}

/* models mm/highmem.c: page_address() for a HighMem page: its pkmap slot,
 * or -1 when it has no kernel address. */
static gint
page_address_slot (const VaPkmap *pk,
                   guint32        pfn)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (pk->page_address, GUINT_TO_POINTER (pfn))) - 1;
}

/* models mm/highmem.c: flush_all_zero_pkmaps().  A count of 1 means free
 * but still mapped: only here do such slots become usable, under one TLB
 * flush for the whole window. */
static void
flush_all_zero_pkmaps (VaMachine *m,
                       VaPkmap   *pk)
{
  guint cleared = 0;

  for (guint i = 0; i < pk->last_pkmap; i++)
    {
      guint32 pfn = pk->pkmap_pte[i];

      if (pk->pkmap_count[i] != 1)
        continue;
      pk->pkmap_count[i] = 0;
      pk->pkmap_pte[i] = VA_PFN_NONE;                                    /* pte_clear() */
      g_hash_table_remove (pk->page_address, GUINT_TO_POINTER (pfn));   /* set_page_address(page, NULL) */
      kmap_emit (m, EV_PKMAP_CLEAR, FN_FLUSH_ALL_ZERO_PKMAPS, pfn, i, pkmap_addr (pk, i), 0);
      cleared++;
    }
  kmap_emit (m, EV_PKMAP_FLUSH, FN_FLUSH_ALL_ZERO_PKMAPS, 0, cleared, pk->last_pkmap, 0);
}

/* models mm/highmem.c: map_new_virtual().  Searches from last_pkmap_nr + 1;
 * wrapping to slot 0 flushes the lazily freed slots and allows one more full
 * round.  Returns the slot, or -1 where the kernel would sleep on
 * pkmap_map_wait until some kunmap() frees one. */
static gint
map_new_virtual (VaMachine *m,
                 VaPkmap   *pk,
                 guint32    pfn)
{
  guint last_pkmap_mask = pk->last_pkmap - 1;
  guint count = pk->last_pkmap;

  for (;;)
    {
      pk->last_pkmap_nr = (pk->last_pkmap_nr + 1) & last_pkmap_mask;
      if (pk->last_pkmap_nr == 0)
        {
          flush_all_zero_pkmaps (m, pk);
          count = pk->last_pkmap;
        }
      if (pk->pkmap_count[pk->last_pkmap_nr] == 0)
        break;   /* found a usable entry */
      if (--count)
        continue;
      kmap_emit (m, EV_PKMAP_FULL, FN_MAP_NEW_VIRTUAL, pfn, pk->last_pkmap, 0, 0);
      return -1;
    }
  pk->pkmap_pte[pk->last_pkmap_nr] = pfn;   /* set_pte(mk_pte(page, kmap_prot)) */
  pk->pkmap_count[pk->last_pkmap_nr] = 1;
  g_hash_table_insert (pk->page_address, GUINT_TO_POINTER (pfn),
                       GUINT_TO_POINTER (pk->last_pkmap_nr + 1));
  return pk->last_pkmap_nr;
}

/* models mm/highmem.c: kmap_high().  A page that already has a slot gets the
 * same address again; the count is the users plus one. */
static gint
kmap_high (VaMachine *m,
           VaPkmap   *pk,
           guint32    pfn)
{
  gint slot = page_address_slot (pk, pfn);
  gboolean hit = slot >= 0;

  if (!hit)
    slot = map_new_virtual (m, pk, pfn);
  if (slot < 0)
    return -1;
  pk->pkmap_count[slot]++;
  kmap_emit (m, hit ? EV_PKMAP_HIT : EV_PKMAP_MAP, hit ? FN_KMAP_HIGH : FN_MAP_NEW_VIRTUAL, pfn,
             slot, pk->pkmap_count[slot], pkmap_addr (pk, slot));
  return slot;
}

/* models mm/highmem.c: kunmap_high().  The count never drops to 0 here: a
 * slot at 1 stays mapped until the next flush_all_zero_pkmaps(). */
static void
kunmap_high (VaMachine *m,
             VaPkmap   *pk,
             guint      slot)
{
  g_return_if_fail (slot < pk->last_pkmap && pk->pkmap_count[slot] >= 2);

  pk->pkmap_count[slot]--;
  kmap_emit (m, EV_PKMAP_PUT, FN_KUNMAP_HIGH, pk->pkmap_pte[slot], slot, pk->pkmap_count[slot],
             pkmap_addr (pk, slot));
}

/*** Ops ***/

/* Pages of @a that kmap may name with TARGET[i]. */
static gboolean
target_pages (const VaMachine    *m,
              const VaAllocation *a,
              guint32            *nr_pages)
{
  guint32 offset;

  switch (a->kind)
    {
    case VA_ALLOC_PAGES:
      *nr_pages = 1u << a->order;
      return TRUE;
    case VA_ALLOC_VMALLOC:
      *nr_pages = a->nr_pages;
      return a->pfns != NULL;
    case VA_ALLOC_KMALLOC:
      /* the frames the object's bytes lie in */
      offset = a->virt - m->config.page_offset;
      *nr_pages = ((offset + (guint32) a->size - 1) >> VA_PAGE_SHIFT) - (offset >> VA_PAGE_SHIFT) + 1;
      return TRUE;
    default:
      return FALSE;
    }
}

static guint32
target_pfn (const VaAllocation *a,
            guint32             i)
{
  return a->kind == VA_ALLOC_VMALLOC ? a->pfns[i] : a->pfn + i;
}

/* The live allocation and the frame `kmap NAME TARGET[i]` names. */
static VaAllocation *
resolve_target (VaMachine  *m,
                const VaOp *op,
                guint32    *pfn,
                GError    **error)
{
  VaAllocation *t = op->target ? va_machine_find_mut (m, op->target) : NULL;
  guint32 index = op->target_index < 0 ? 0 : (guint32) op->target_index;
  guint32 nr_pages = 0;

  if (op->target == NULL)
    g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                 "kmap %s: which page? write kmap %s TARGET or TARGET[i]", op->name, op->name);
  else if (t == NULL)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE, "kmap %s: there is no allocation named “%s”",
                 op->name, op->target);
  else if (t->state == VA_ALLOC_FAILED)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE,
                 "kmap %s: the allocation of “%s” failed, so it has no page to map", op->name,
                 op->target);
  else if (t->state == VA_ALLOC_FREED)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE,
                 "kmap %s: “%s” was freed; kmap needs a page that is still allocated", op->name,
                 op->target);
  else if (!target_pages (m, t, &nr_pages))
    g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                 "kmap %s: “%s” is a %s allocation; kmap maps a page of an alloc, kmalloc or "
                 "vmalloc allocation", op->name, op->target, va_alloc_kind_name (t->kind));
  else if (index >= nr_pages)
    g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                 "kmap %s: %s[%u] is out of range: “%s” has %u page%s (%s[0] to %s[%u])", op->name,
                 op->target, index, op->target, nr_pages, nr_pages == 1 ? "" : "s", op->target,
                 op->target, nr_pages - 1);
  else
    {
      *pfn = target_pfn (t, index);
      return t;
    }
  return NULL;
}

/* models mm/highmem.c: kmap() (include/linux/highmem.h in 6.1): a lowmem
 * page is already in the linear map; a HighMem page goes to kmap_high(). */
gboolean
va_kmap_op (VaMachine  *m,
            const VaOp *op,
            VaOpResult *result,
            GError    **error)
{
  VaPkmap *pk;
  VaAllocation *t, *a;
  guint32 pfn = VA_PFN_NONE;
  gint slot;

  g_return_val_if_fail (m != NULL && m->pkmap != NULL, FALSE);
  g_return_val_if_fail (op != NULL && op->name != NULL && result != NULL, FALSE);

  pk = m->pkmap;
  if (!va_machine_check_name_free (m, "kmap", op->name, error) ||
      (t = resolve_target (m, op, &pfn, error)) == NULL)
    return FALSE;
  a = va_machine_new_allocation (m, op->name, VA_ALLOC_KMAP);
  a->pfn = pfn;
  a->zone = va_machine_pfn_zone (m, pfn);
  a->size = VA_PAGE_SIZE;
  a->target_id = t->id;
  a->pkmap_slot = -1;
  if (pfn < m->layout.max_low_pfn)
    {
      a->virt = m->config.page_offset + (pfn << VA_PAGE_SHIFT);
      kmap_emit (m, EV_PKMAP_LOWMEM, FN_KMAP, pfn, a->virt, 0, 0);
    }
  else if ((slot = kmap_high (m, pk, pfn)) >= 0)
    {
      a->pkmap_slot = slot;
      a->virt = pkmap_addr (pk, slot);
    }
  else
    {
      va_machine_fail_op (m, a, "kmap", result,
                          g_strdup_printf ("no free pkmap slot: all %u are in use; kmap() would "
                                           "sleep until a kunmap()", pk->last_pkmap));
      return TRUE;
    }
  a->state = VA_ALLOC_LIVE;
  g_array_append_val (pk->live, a->id);
  return TRUE;
}

static VaAllocation *
find_kmap (VaMachine  *m,
           const char *name,
           GError    **error)
{
  VaAllocation *a = va_machine_find_mut (m, name);

  if (a == NULL)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE, "kunmap %s: there is no kmap named “%s”",
                 name, name);
  else if (a->kind != VA_ALLOC_KMAP)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE,
                 "kunmap %s: “%s” is a %s allocation, not a kmap", name, name,
                 va_alloc_kind_name (a->kind));
  else if (a->state == VA_ALLOC_FREED)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE, "kunmap %s: “%s” was already kunmapped",
                 name, name);
  else if (a->state == VA_ALLOC_FAILED)
    g_set_error (error, VA_ERROR, VA_ERROR_STATE,
                 "kunmap %s: kmap “%s” failed, so there is nothing to unmap", name, name);
  else
    return a;
  return NULL;
}

/* models mm/highmem.c: kunmap(): nothing to do for a lowmem page. */
gboolean
va_kunmap_op (VaMachine  *m,
              const VaOp *op,
              VaOpResult *result,
              GError    **error)
{
  VaAllocation *a;

  g_return_val_if_fail (m != NULL && m->pkmap != NULL, FALSE);
  g_return_val_if_fail (op != NULL && op->name != NULL && result != NULL, FALSE);

  a = find_kmap (m, op->name, error);
  if (a == NULL)
    return FALSE;
  if (a->pkmap_slot >= 0)
    kunmap_high (m, m->pkmap, a->pkmap_slot);
  a->state = VA_ALLOC_FREED;
  for (guint i = 0; i < m->pkmap->live->len; i++)
    if (g_array_index (m->pkmap->live, guint32, i) == a->id)
      {
        g_array_remove_index (m->pkmap->live, i);
        break;
      }
  return TRUE;
}

const char *
va_kmap_user_of (VaMachine          *m,
                 const VaAllocation *target)
{
  g_return_val_if_fail (m != NULL && m->pkmap != NULL && target != NULL, NULL);

  for (guint i = 0; i < m->pkmap->live->len; i++)
    {
      const VaAllocation *a = m->allocs->pdata[g_array_index (m->pkmap->live, guint32, i)];

      if (a->target_id == target->id)
        return a->name;
    }
  return NULL;
}

/*** Invariants ***/

#define FAIL(...) G_STMT_START { \
    g_set_error (error, VA_ERROR, VA_ERROR_STATE, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

/* One live kmap record: its address, its target, its frame. */
static gboolean
check_record (VaMachine          *m,
              const VaAllocation *a,
              guint              *users,
              GError            **error)
{
  const VaPkmap *pk = m->pkmap;
  const VaAllocation *t = a->target_id < m->allocs->len ? m->allocs->pdata[a->target_id] : NULL;
  guint8 state = m->pages[a->pfn].state;

  if (t == NULL || t->state != VA_ALLOC_LIVE)
    FAIL ("kmap “%s”: its target (allocation %u) is not live", a->name, a->target_id);
  if (state != VA_PAGE_ALLOCATED && state != VA_PAGE_TAIL)
    FAIL ("kmap “%s”: pfn %u is state %u, not an allocated frame", a->name, a->pfn, state);
  if (a->pkmap_slot < 0)
    {
      if (a->pfn >= m->layout.max_low_pfn ||
          a->virt != m->config.page_offset + (a->pfn << VA_PAGE_SHIFT))
        FAIL ("kmap “%s”: no pkmap slot but pfn %u / virt 0x%08x is not a linear address",
              a->name, a->pfn, a->virt);
      return TRUE;
    }
  if ((guint) a->pkmap_slot >= pk->last_pkmap || a->virt != pkmap_addr (pk, a->pkmap_slot) ||
      pk->pkmap_pte[a->pkmap_slot] != a->pfn)
    FAIL ("kmap “%s”: slot %d (virt 0x%08x) does not map pfn %u", a->name, a->pkmap_slot,
          a->virt, a->pfn);
  users[a->pkmap_slot]++;
  return TRUE;
}

/* One slot: count = users + 1 while used, 0 or 1 otherwise; pte and
 * page_address() agree. */
static gboolean
check_slot (const VaPkmap *pk,
            guint          i,
            guint          users,
            GError       **error)
{
  gint count = pk->pkmap_count[i];
  guint32 pfn = pk->pkmap_pte[i];

  if (users ? count != (gint) users + 1 : (count != 0 && count != 1))
    FAIL ("pkmap slot %u: pkmap_count %d with %u live kmaps", i, count, users);
  if ((count == 0) != (pfn == VA_PFN_NONE))
    FAIL ("pkmap slot %u: pkmap_count %d but pte %s", i, count,
          pfn == VA_PFN_NONE ? "none" : "set");
  if (pfn != VA_PFN_NONE && page_address_slot (pk, pfn) != (gint) i)
    FAIL ("pkmap slot %u maps pfn %u but page_address() of it is slot %d", i, pfn,
          page_address_slot (pk, pfn));
  return TRUE;
}

gboolean
va_kmap_check (VaMachine *m,
               GError   **error)
{
  const VaPkmap *pk;
  g_autofree guint *users = NULL;
  guint live = 0, mapped = 0;

  g_return_val_if_fail (m != NULL && m->pkmap != NULL, FALSE);

  pk = m->pkmap;
  users = g_new0 (guint, pk->last_pkmap);
  for (guint i = 0; i < m->allocs->len; i++)
    {
      const VaAllocation *a = m->allocs->pdata[i];

      if (a == NULL || a->kind != VA_ALLOC_KMAP || a->state != VA_ALLOC_LIVE)
        continue;
      if (!check_record (m, a, users, error))
        return FALSE;
      live++;
    }
  if (live != pk->live->len)
    FAIL ("%u live kmap records but %u on the kmap list", live, pk->live->len);
  for (guint i = 0; i < pk->last_pkmap; i++)
    {
      if (!check_slot (pk, i, users[i], error))
        return FALSE;
      mapped += pk->pkmap_pte[i] != VA_PFN_NONE;
    }
  if (mapped != g_hash_table_size (pk->page_address))
    FAIL ("%u pkmap slots mapped but %u pages have a pkmap address", mapped,
          g_hash_table_size (pk->page_address));
  if (pk->last_pkmap_nr >= pk->last_pkmap)
    FAIL ("last_pkmap_nr %u is beyond LAST_PKMAP %u", pk->last_pkmap_nr, pk->last_pkmap);
  return TRUE;
}
