/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-arena"

#include "va-arena.h"

#include <string.h>

struct _VaArena {
  guint         ref;
  GStringChunk *strings;
  GHashTable   *interned;   /* set of arena strings */
  GHashTable   *name_ids;   /* arena string -> id */
  GPtrArray    *names;      /* id - 1 -> arena string */
  const char   *last_name;  /* the name looked up last, and its id: an op */
  guint32       last_id;    /* checks its name, then takes it (one lookup) */
  GPtrArray    *blocks;     /* frame lists */
  guint64       bytes;
};

VaArena *
va_arena_new (void)
{
  VaArena *a = g_new0 (VaArena, 1);

  a->ref = 1;
  a->strings = g_string_chunk_new (4096);
  a->interned = g_hash_table_new (g_str_hash, g_str_equal);
  a->name_ids = g_hash_table_new (g_str_hash, g_str_equal);
  a->names = g_ptr_array_new ();
  a->blocks = g_ptr_array_new_with_free_func (g_free);
  return a;
}

VaArena *
va_arena_ref (VaArena *a)
{
  g_return_val_if_fail (a != NULL, NULL);
  a->ref++;
  return a;
}

void
va_arena_unref (VaArena *a)
{
  if (a == NULL || --a->ref > 0)
    return;
  g_string_chunk_free (a->strings);
  g_hash_table_unref (a->interned);
  g_hash_table_unref (a->name_ids);
  g_ptr_array_unref (a->names);
  g_ptr_array_unref (a->blocks);
  g_free (a);
}

const char *
va_arena_intern (VaArena    *a,
                 const char *s)
{
  const char *copy;

  if (s == NULL)
    return NULL;
  copy = g_hash_table_lookup (a->interned, s);
  if (copy != NULL)
    return copy;
  copy = g_string_chunk_insert (a->strings, s);
  g_hash_table_add (a->interned, (gpointer) copy);
  a->bytes += strlen (s) + 1 + 2 * sizeof (gpointer);
  return copy;
}

guint32
va_arena_name_id (VaArena    *a,
                  const char *name,
                  gboolean    create)
{
  gpointer id;
  const char *copy;

  if (a->last_name != NULL && strcmp (a->last_name, name) == 0)
    return a->last_id;
  id = g_hash_table_lookup (a->name_ids, name);
  if (id != NULL)
    {
      a->last_name = a->names->pdata[GPOINTER_TO_UINT (id) - 1];
      a->last_id = GPOINTER_TO_UINT (id);
    }
  if (id != NULL || !create)
    return GPOINTER_TO_UINT (id);
  copy = va_arena_intern (a, name);
  g_ptr_array_add (a->names, (gpointer) copy);
  id = GUINT_TO_POINTER (a->names->len);
  g_hash_table_insert (a->name_ids, (gpointer) copy, id);
  a->bytes += 3 * sizeof (gpointer);
  return GPOINTER_TO_UINT (id);
}

const char *
va_arena_name (const VaArena *a,
               guint32        id)
{
  g_return_val_if_fail (id > 0 && id <= a->names->len, NULL);
  return a->names->pdata[id - 1];
}

const guint32 *
va_arena_dup_u32 (VaArena       *a,
                  const guint32 *values,
                  guint          n)
{
  guint32 *copy = g_memdup2 (values, (gsize) n * sizeof (guint32));

  g_ptr_array_add (a->blocks, copy);
  a->bytes += (guint64) n * sizeof (guint32) + sizeof (gpointer);
  return copy;
}

guint64
va_arena_bytes (const VaArena *a)
{
  return a->bytes;
}
