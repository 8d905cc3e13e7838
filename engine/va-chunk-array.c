/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Chunked arrays with dirty flags and shared-chunk snapshots (see the
 * header).  The engine is single-threaded, so reference counts are plain. */
#define G_LOG_DOMAIN "va-chunk-array"

#include "va-chunk-array.h"

#include <string.h>

typedef struct {
  guint  ref;
  guint  epoch;      /* last va_chunk_snap_bytes() pass that counted it */
  guint8 data[];
} VaChunk;

struct _VaChunkSnap {
  guint     ref;
  guint     len;
  guint     n_chunks;
  gsize     chunk_bytes;
  guint64   new_bytes;
  VaChunk **chunks;
};

static gsize
chunk_bytes (const VaChunkArray *a)
{
  return a->elem_size << a->shift;
}

static guint
chunks_for (const VaChunkArray *a,
            guint               len)
{
  return (guint) (((guint64) len + (1u << a->shift) - 1) >> a->shift);
}

static VaChunk *
chunk_ref (VaChunk *c)
{
  c->ref++;
  return c;
}

static void
chunk_unref (VaChunk *c)
{
  if (c != NULL && --c->ref == 0)
    g_free (c);
}

static void
grow_tables (VaChunkArray *a,
             guint         n)
{
  guint old = a->capacity;

  if (n <= old)
    return;
  a->capacity = MAX (n, old * 2);
  a->chunk = g_renew (guint8 *, a->chunk, a->capacity);
  a->dirty = g_renew (guint8, a->dirty, a->capacity);
  a->base = g_renew (gpointer, a->base, a->capacity);
  memset (a->chunk + old, 0, (a->capacity - old) * sizeof (guint8 *));
  memset (a->dirty + old, 1, a->capacity - old);
  memset (a->base + old, 0, (a->capacity - old) * sizeof (gpointer));
}

VaChunkArray *
va_chunk_array_new (gsize elem_size,
                    guint shift)
{
  VaChunkArray *a = g_new0 (VaChunkArray, 1);

  g_return_val_if_fail (elem_size > 0 && shift < 24, NULL);

  a->elem_size = elem_size;
  a->shift = shift;
  return a;
}

VaChunkArray *
va_chunk_array_new_flat (gsize elem_size,
                         guint shift,
                         guint len)
{
  VaChunkArray *a = va_chunk_array_new (elem_size, shift);
  guint n = chunks_for (a, len);

  /* whole chunks, so that a snapshot copies the last one like the others */
  a->flat = g_malloc0 (MAX (n, 1) * chunk_bytes (a));
  grow_tables (a, n);
  for (guint i = 0; i < n; i++)
    a->chunk[i] = a->flat + i * chunk_bytes (a);
  a->n_chunks = n;
  a->len = len;
  return a;
}

void
va_chunk_array_free (VaChunkArray *a)
{
  if (a == NULL)
    return;
  va_chunk_snap_free (a->synced);
  if (a->flat == NULL)
    for (guint i = 0; i < a->n_chunks; i++)
      g_free (a->chunk[i]);
  g_free (a->flat);
  g_free (a->chunk);
  g_free (a->dirty);
  g_free (a->base);
  g_free (a);
}

void
va_chunk_array_set_size (VaChunkArray *a,
                         guint         len)
{
  guint n = chunks_for (a, len);

  g_return_if_fail (a->flat == NULL || len == a->len);

  grow_tables (a, n);
  for (; a->n_chunks < n; a->n_chunks++)
    a->chunk[a->n_chunks] = g_malloc0 (chunk_bytes (a));
  /* elements that come back are zeroed, which is a write */
  for (guint i = a->len; i < len; i++)
    memset (va_chunk_array_mut (a, i), 0, a->elem_size);
  a->len = len;
}

VaChunkArray *
va_chunk_array_copy (const VaChunkArray *src)
{
  VaChunkArray *a;
  guint n = chunks_for (src, src->len);

  if (src->flat != NULL)
    {
      a = va_chunk_array_new_flat (src->elem_size, src->shift, src->len);
      memcpy (a->flat, src->flat, n * chunk_bytes (src));
      return a;
    }
  a = va_chunk_array_new (src->elem_size, src->shift);
  va_chunk_array_set_size (a, src->len);
  for (guint i = 0; i < n; i++)
    memcpy (a->chunk[i], src->chunk[i], chunk_bytes (src));
  return a;
}

gboolean
va_chunk_array_equal (const VaChunkArray *a,
                      const VaChunkArray *b)
{
  guint n = chunks_for (a, a->len);

  if (a->len != b->len || a->elem_size != b->elem_size || a->shift != b->shift)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      guint elems = MIN (a->len - (i << a->shift), 1u << a->shift);

      if (memcmp (a->chunk[i], b->chunk[i], elems * a->elem_size) != 0)
        return FALSE;
    }
  return TRUE;
}

/* After a snapshot or restore of @s: every chunk below its end is clean
 * and equals its chunk of @s, which the array keeps alive by holding @s
 * (one reference for all chunks: a restore then touches no chunk it does
 * not copy).  Chunks past the end compare equal to nothing. */
static void
set_synced (VaChunkArray *a,
            VaChunkSnap  *s)
{
  for (guint i = s->n_chunks; i < a->n_chunks; i++)
    {
      a->dirty[i] = 1;
      a->base[i] = NULL;
    }
  s->ref++;
  va_chunk_snap_free (a->synced);
  a->synced = s;
}

VaChunkSnap *
va_chunk_array_snapshot (VaChunkArray *a)
{
  VaChunkSnap *s = g_new0 (VaChunkSnap, 1);
  gsize bytes = chunk_bytes (a);

  s->ref = 1;
  s->len = a->len;
  s->n_chunks = chunks_for (a, a->len);
  s->chunk_bytes = bytes;
  s->chunks = g_new (VaChunk *, MAX (s->n_chunks, 1));
  for (guint i = 0; i < s->n_chunks; i++)
    {
      if (a->dirty[i] || a->base[i] == NULL)
        {
          VaChunk *c = g_malloc (sizeof (VaChunk) + bytes);

          c->ref = 0;
          c->epoch = 0;
          memcpy (c->data, a->chunk[i], bytes);
          a->base[i] = c;
          a->dirty[i] = 0;
          s->new_bytes += bytes;
        }
      s->chunks[i] = chunk_ref (a->base[i]);
    }
  set_synced (a, s);
  return s;
}

void
va_chunk_array_restore (VaChunkArray *a,
                        VaChunkSnap  *s)
{
  g_return_if_fail (s->chunk_bytes == chunk_bytes (a));
  g_return_if_fail (a->flat == NULL || s->len == a->len);

  va_chunk_array_set_size (a, s->len);
  for (guint i = 0; i < s->n_chunks; i++)
    if (a->dirty[i] || a->base[i] != s->chunks[i])
      {
        memcpy (a->chunk[i], s->chunks[i]->data, s->chunk_bytes);
        a->base[i] = s->chunks[i];
        a->dirty[i] = 0;
      }
  set_synced (a, s);
}

void
va_chunk_snap_free (VaChunkSnap *s)
{
  if (s == NULL || --s->ref > 0)
    return;
  for (guint i = 0; i < s->n_chunks; i++)
    chunk_unref (s->chunks[i]);
  g_free (s->chunks);
  g_free (s);
}

guint64
va_chunk_snap_bytes (const VaChunkSnap *s,
                     guint              epoch)
{
  guint64 bytes = sizeof *s + (guint64) s->n_chunks * sizeof (VaChunk *);

  for (guint i = 0; i < s->n_chunks; i++)
    if (s->chunks[i]->epoch != epoch)
      {
        s->chunks[i]->epoch = epoch;
        bytes += sizeof (VaChunk) + s->chunk_bytes;
      }
  return bytes;
}

guint64
va_chunk_snap_new_bytes (const VaChunkSnap *s)
{
  return s->new_bytes;
}
