/* SPDX-License-Identifier: GPL-2.0-or-later */
/* History: a compact op log plus machine checkpoints.  A seek restores the
 * nearest checkpoint at or before the target and replays the ops after it,
 * so it costs one copy and at most one interval of ops, and lands on the
 * state a replay from boot reaches (the engine is deterministic). */
#define G_LOG_DOMAIN "va-history"

#include "va-history.h"
#include "va-machine-copy.h"
#include "va-vmalloc.h"

#include <string.h>

#define MAX_CHECKPOINTS 32

typedef struct {
  guint      position;
  VaMachine *machine;
} Checkpoint;

struct _VaHistory {
  VaMachineConfig config;
  VaMachine      *current;
  guint           position;
  GByteArray     *log;          /* encoded ops */
  GArray         *offsets;      /* guint32: where op i starts in log */
  GHashTable     *string_ids;   /* interned names and GFP texts → id + 1 */
  GPtrArray      *strings;
  GArray         *checkpoints;  /* Checkpoint, by position */
  guint           interval;
  guint64         strings_bytes;
};

/*** Op encoding: a kind byte, then LEB128 varints; about 6 bytes an op ***/

static void
put_varint (GByteArray *b,
            guint64     v)
{
  do
    {
      guint8 byte = v & 0x7f;

      v >>= 7;
      if (v)
        byte |= 0x80;
      g_byte_array_append (b, &byte, 1);
    }
  while (v);
}

static guint64
get_varint (const guint8 **p)
{
  guint64 v = 0;
  guint shift = 0;

  for (;;)
    {
      guint8 byte = *(*p)++;

      v |= (guint64) (byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return v;
      shift += 7;
    }
}

/* 0 for NULL, else interned id + 1 */
static guint64
intern (VaHistory  *h,
        const char *s)
{
  gpointer id;

  if (s == NULL)
    return 0;
  id = g_hash_table_lookup (h->string_ids, s);
  if (id == NULL)
    {
      char *copy = g_strdup (s);

      g_ptr_array_add (h->strings, copy);
      h->strings_bytes += strlen (s) + 1 + sizeof (gpointer) * 2;
      id = GUINT_TO_POINTER (h->strings->len);
      g_hash_table_insert (h->string_ids, copy, id);
    }
  return GPOINTER_TO_UINT (id);
}

static const char *
string_of (const VaHistory *h,
           guint64          id)
{
  return id ? h->strings->pdata[id - 1] : NULL;
}

static void
encode_op (VaHistory  *h,
           const VaOp *op)
{
  guint8 kind = op->kind;
  guint32 offset = h->log->len;

  g_array_append_val (h->offsets, offset);
  g_byte_array_append (h->log, &kind, 1);
  put_varint (h->log, intern (h, op->name));
  put_varint (h->log, intern (h, op->target));
  put_varint (h->log, (guint64) (op->target_index + 1));
  put_varint (h->log, op->order | (op->has_align ? 0x100 : 0));
  put_varint (h->log, op->size);
  put_varint (h->log, intern (h, op->gfp));
  put_varint (h->log, op->seed);
  put_varint (h->log, op->count);
}

VaOp *
va_history_get_op (const VaHistory *h,
                   guint            index)
{
  const guint8 *p;
  VaOp *op;
  guint64 flags;

  g_return_val_if_fail (h != NULL && index < h->offsets->len, NULL);

  p = h->log->data + g_array_index (h->offsets, guint32, index);
  op = va_op_new (*p++);
  op->name = g_strdup (string_of (h, get_varint (&p)));
  op->target = g_strdup (string_of (h, get_varint (&p)));
  op->target_index = (gint) get_varint (&p) - 1;
  flags = get_varint (&p);
  op->order = flags & 0xff;
  op->has_align = (flags & 0x100) != 0;
  op->size = get_varint (&p);
  op->gfp = g_strdup (string_of (h, get_varint (&p)));
  op->seed = get_varint (&p);
  op->count = get_varint (&p);
  return op;
}

/*** Checkpoints ***/

/* Tuned by measurement: a checkpoint costs about one copy of the machine
 * (~1 ms per 5 MB here) and a replayed op ~0.1-0.2 µs, so one checkpoint
 * per (machine bytes / 512) ops keeps restore and replay about equal. */
static guint
tuned_interval (const VaMachine *m)
{
  guint64 bytes = (guint64) m->nr_pfns * sizeof (VaPage);

  return CLAMP (bytes / 512, 64, 1u << 20);
}

static void
checkpoint_clear (gpointer data)
{
  Checkpoint *c = data;

  g_clear_pointer (&c->machine, va_machine_free);
}

static void
add_checkpoint (VaHistory *h)
{
  Checkpoint c = { h->position, va_machine_copy (h->current) };

  g_array_append_val (h->checkpoints, c);
  if (h->checkpoints->len <= MAX_CHECKPOINTS)
    return;
  /* keep memory bounded: drop every other checkpoint (never the boot one) */
  for (guint i = h->checkpoints->len - 1; i > 0; i--)
    if (i % 2 == 1)
      g_array_remove_index (h->checkpoints, i);
  h->interval *= 2;
}

/* The last checkpoint at or before @position. */
static const Checkpoint *
checkpoint_before (const VaHistory *h,
                   guint            position)
{
  const Checkpoint *best = &g_array_index (h->checkpoints, Checkpoint, 0);

  for (guint i = 1; i < h->checkpoints->len; i++)
    {
      const Checkpoint *c = &g_array_index (h->checkpoints, Checkpoint, i);

      if (c->position > position)
        break;
      best = c;
    }
  return best;
}

/*** Public API ***/

VaHistory *
va_history_new (const VaMachineConfig  *config,
                guint                   checkpoint_interval,
                GError                **error)
{
  g_autoptr(VaHistory) h = g_new0 (VaHistory, 1);

  g_return_val_if_fail (config != NULL, NULL);

  h->config = *config;
  h->log = g_byte_array_new ();
  h->offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  h->strings = g_ptr_array_new_with_free_func (g_free);
  h->string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  h->checkpoints = g_array_new (FALSE, FALSE, sizeof (Checkpoint));
  g_array_set_clear_func (h->checkpoints, checkpoint_clear);
  h->current = va_machine_new (config, error);
  if (h->current == NULL)
    return NULL;
  h->interval = checkpoint_interval ? checkpoint_interval : tuned_interval (h->current);
  add_checkpoint (h);
  return g_steal_pointer (&h);
}

void
va_history_free (VaHistory *h)
{
  if (h == NULL)
    return;
  g_clear_pointer (&h->current, va_machine_free);
  g_byte_array_unref (h->log);
  g_array_unref (h->offsets);
  g_hash_table_unref (h->string_ids);
  g_ptr_array_unref (h->strings);
  g_array_unref (h->checkpoints);
  g_free (h);
}

VaMachine *
va_history_machine (VaHistory *h)
{
  g_return_val_if_fail (h != NULL, NULL);
  return h->current;
}

guint
va_history_position (const VaHistory *h)
{
  return h->position;
}

guint
va_history_length (const VaHistory *h)
{
  return h->offsets->len;
}

guint
va_history_checkpoints (const VaHistory *h)
{
  return h->checkpoints->len;
}

guint
va_history_interval (const VaHistory *h)
{
  return h->interval;
}

guint64
va_history_log_bytes (const VaHistory *h)
{
  return h->log->len + (guint64) h->offsets->len * sizeof (guint32) + h->strings_bytes;
}

guint64
va_history_checkpoint_bytes (const VaHistory *h)
{
  const VaMachine *m = h->current;

  return (guint64) h->checkpoints->len *
         ((guint64) m->nr_pfns * sizeof (VaPage) + (m->nr_pfns >> m->pageblock_order) +
          m->vmalloc->nr_slots * 8 + sizeof (VaMachine));
}

/* Replays op @index on the current machine (it was valid when recorded). */
static void
replay_one (VaHistory *h,
            guint      index)
{
  g_autoptr(VaOp) op = va_history_get_op (h, index);
  VaOpResult result = { 0 };
  g_autoptr(GError) error = NULL;

  if (!va_machine_apply (h->current, op, &result, &error))
    g_error ("history: op %u no longer applies: %s", index + 1, error->message);
  va_op_result_clear (&result);
  h->position = index + 1;
  if (h->position % h->interval == 0 && checkpoint_before (h, h->position)->position != h->position)
    add_checkpoint (h);
}

/* Drops the redo branch after the current position. */
static void
truncate_redo (VaHistory *h)
{
  if (h->position >= h->offsets->len)
    return;
  g_byte_array_set_size (h->log, g_array_index (h->offsets, guint32, h->position));
  g_array_set_size (h->offsets, h->position);
  while (h->checkpoints->len > 1 &&
         g_array_index (h->checkpoints, Checkpoint, h->checkpoints->len - 1).position > h->position)
    g_array_remove_index (h->checkpoints, h->checkpoints->len - 1);
}

gboolean
va_history_apply (VaHistory   *h,
                  const VaOp  *op,
                  VaOpResult  *result,
                  GError     **error)
{
  g_return_val_if_fail (h != NULL && op != NULL && result != NULL, FALSE);

  if (h->position < h->offsets->len)
    {
      g_autoptr(VaOp) next = va_history_get_op (h, h->position);

      if (!va_op_equal (next, op))
        truncate_redo (h);
    }
  if (!va_machine_apply (h->current, op, result, error))
    return FALSE;
  if (h->position == h->offsets->len)
    encode_op (h, op);
  h->position++;
  if (h->position % h->interval == 0 && checkpoint_before (h, h->position)->position != h->position)
    add_checkpoint (h);
  return TRUE;
}

gboolean
va_history_seek (VaHistory  *h,
                 guint       position,
                 GError    **error)
{
  gboolean record;

  g_return_val_if_fail (h != NULL, FALSE);

  if (position > h->offsets->len)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "seek %u: the history has %u ops", position, h->offsets->len);
      return FALSE;
    }
  record = h->current->record_events;
  /* forward within one interval: just replay; else restore a checkpoint */
  if (position < h->position || position - h->position > h->interval)
    {
      const Checkpoint *c = checkpoint_before (h, position);

      va_machine_free (h->current);
      h->current = va_machine_copy (c->machine);
      h->position = c->position;
    }
  va_machine_set_record_events (h->current, FALSE);
  while (h->position < position)
    replay_one (h, h->position);
  va_machine_set_record_events (h->current, record);
  g_array_set_size (h->current->events, 0);
  return TRUE;
}

gboolean
va_history_undo (VaHistory *h)
{
  g_return_val_if_fail (h != NULL, FALSE);
  return h->position > 0 && va_history_seek (h, h->position - 1, NULL);
}

gboolean
va_history_redo (VaHistory *h)
{
  g_return_val_if_fail (h != NULL, FALSE);

  if (h->position >= h->offsets->len)
    return FALSE;
  replay_one (h, h->position);
  return TRUE;
}

GArray *
va_history_op_events (VaHistory  *h,
                      guint       op,
                      GError    **error)
{
  g_autoptr(VaMachine) m = NULL;
  const Checkpoint *c;
  g_autoptr(VaOp) o = NULL;
  VaOpResult result = { 0 };

  g_return_val_if_fail (h != NULL, NULL);

  if (op == 0 || op > h->offsets->len)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID, "op %u: the history has ops 1 to %u",
                   op, h->offsets->len);
      return NULL;
    }
  c = checkpoint_before (h, op - 1);
  m = va_machine_copy (c->machine);
  for (guint i = c->position; i < op - 1; i++)
    {
      g_autoptr(VaOp) prev = va_history_get_op (h, i);

      va_machine_apply (m, prev, &result, NULL);
      va_op_result_clear (&result);
    }
  va_machine_set_record_events (m, TRUE);
  o = va_history_get_op (h, op - 1);
  va_machine_apply (m, o, &result, NULL);
  va_op_result_clear (&result);
  return g_array_ref (m->events);
}

gboolean
va_history_seek_micro (VaHistory  *h,
                       guint       op,
                       guint       micro,
                       GError    **error)
{
  g_autoptr(GArray) events = NULL;

  if (op == 0)
    return va_history_seek (h, 0, error);
  if (!(events = va_history_op_events (h, op, error)) || !va_history_seek (h, op - 1, error))
    return FALSE;
  if (micro > events->len)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "seek %u.%u: op %u has %u micro-steps", op, micro, op, events->len);
      return FALSE;
    }
  g_array_append_vals (h->current->events, events->data, micro);
  return TRUE;
}
