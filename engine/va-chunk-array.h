/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An array of fixed-size elements stored in chunks, with a dirty flag per
 * chunk, so that snapshots share the chunks nobody wrote since the last one
 * and a restore copies only the chunks that differ.  History checkpoints of
 * the page frames and the allocation records are built on it: a seek then
 * costs what changed, not the size of the machine.
 *
 * Element addresses are stable while the array lives (growing adds chunks,
 * it never moves them).  A contiguous array has one allocation of fixed
 * capacity, so that readers may index it as a plain C array.
 *
 * Writers must call va_chunk_array_touch() (or take the element with
 * va_chunk_array_mut()); a write that is not marked is lost on restore, and
 * the history tests that compare seeks against fresh replays catch it. */
typedef struct _VaChunkArray VaChunkArray;
typedef struct _VaChunkSnap  VaChunkSnap;

struct _VaChunkArray {
  gsize      elem_size;
  guint      shift;        /* elements per chunk: 1 << shift */
  guint      len;          /* elements in use */
  guint      n_chunks;     /* chunks allocated */
  guint      capacity;     /* chunk slots in the tables below */
  guint8   **chunk;        /* the live chunks */
  guint8    *dirty;        /* per chunk: written since it was last synced */
  gpointer  *base;         /* per chunk: the chunk of `synced` it equals when clean */
  VaChunkSnap *synced;     /* the snapshot last taken or restored */
  guint8    *flat;         /* contiguous storage, or NULL */
};

VaChunkArray *va_chunk_array_new        (gsize               elem_size,
                                         guint               shift);
/* A contiguous array of exactly @len elements that cannot grow. */
VaChunkArray *va_chunk_array_new_flat   (gsize               elem_size,
                                         guint               shift,
                                         guint               len);
void          va_chunk_array_free       (VaChunkArray       *array);
/* A full, independent copy (no chunk is shared). */
VaChunkArray *va_chunk_array_copy       (const VaChunkArray *array);
/* Grows or shrinks; new elements are zeroed. */
void          va_chunk_array_set_size   (VaChunkArray       *array,
                                         guint               len);
gboolean      va_chunk_array_equal      (const VaChunkArray *a,
                                         const VaChunkArray *b);

static inline gpointer
va_chunk_array_get (const VaChunkArray *a,
                    guint               i)
{
  return a->chunk[i >> a->shift] + (gsize) (i & ((1u << a->shift) - 1)) * a->elem_size;
}

static inline void
va_chunk_array_touch (VaChunkArray *a,
                      guint         i)
{
  a->dirty[i >> a->shift] = 1;
}

static inline gpointer
va_chunk_array_mut (VaChunkArray *a,
                    guint         i)
{
  va_chunk_array_touch (a, i);
  return va_chunk_array_get (a, i);
}

/* Takes a snapshot: chunks written since the array was last synced are
 * copied, the others shared with the snapshot they were synced with. */
VaChunkSnap  *va_chunk_array_snapshot   (VaChunkArray       *array);
/* Makes @array equal to @snap, copying only the chunks that differ. */
void          va_chunk_array_restore    (VaChunkArray       *array,
                                         VaChunkSnap        *snap);
/* Drops a reference (the array keeps the snapshot it last synced with). */
void          va_chunk_snap_free        (VaChunkSnap        *snap);
/* Bytes of the chunks @snap holds that no earlier call with the same
 * @epoch counted (so a sum over snapshots counts each shared chunk once),
 * plus its own table. */
guint64       va_chunk_snap_bytes       (const VaChunkSnap  *snap,
                                         guint               epoch);
/* Bytes of the chunks this snapshot copied when it was taken. */
guint64       va_chunk_snap_new_bytes   (const VaChunkSnap  *snap);

G_END_DECLS
