/* SPDX-License-Identifier: GPL-2.0-or-later */
/* History: a compact op log plus machine checkpoints.  A seek restores the
 * nearest checkpoint at or before the target into the current machine and
 * replays the ops after it, and lands on the state a replay from boot
 * reaches (the engine is deterministic).  Checkpoints are chunked snapshots
 * (va_machine_snapshot()): each holds only the frame and record chunks that
 * changed since the one before, and a restore copies only the chunks that
 * differ from the current state, so checkpoints can be dense (short
 * replays) without a copy of the machine each. */
#define G_LOG_DOMAIN "va-history"

#include "va-history.h"
#include "va-machine-snap.h"
#include "va-vmalloc.h"

#include <string.h>

typedef struct {
  guint          position;
  VaMachineSnap *snap;
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
  guint           interval;     /* work between checkpoints (op_weight()) */
  guint64         work;         /* since the last checkpoint, when past it */
  guint64         strings_bytes;
  guint64         snap_bytes;   /* what the checkpoints copied, shared chunks once */
  guint64         snap_budget;  /* thin the checkpoints out beyond this */
  guint           epoch;        /* for va_machine_snap_bytes() */
};

/*** Op encoding: LEB128 varints ***/

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

/* An op: a kind byte, a byte saying which fields differ from a fresh
 * va_op_new(), then those fields as varints (names and GFP texts as interned
 * ids).  Lossless for any op, and 4-7 bytes for the common ones. */
enum {
  F_NAME = 1 << 0, F_TARGET = 1 << 1, F_INDEX = 1 << 2, F_ORDER = 1 << 3,
  F_SIZE = 1 << 4, F_GFP = 1 << 5, F_SEED = 1 << 6, F_COUNT = 1 << 7,
};

static void
encode_op (VaHistory  *h,
           const VaOp *op)
{
  guint8 head[2] = { op->kind, 0 };
  guint32 offset = h->log->len;
  guint64 order = ((guint64) op->order << 1) | (op->has_align ? 1 : 0);

  head[1] = (op->name ? F_NAME : 0) | (op->target ? F_TARGET : 0) |
            (op->target_index != -1 ? F_INDEX : 0) | (order ? F_ORDER : 0) |
            (op->size ? F_SIZE : 0) | (op->gfp ? F_GFP : 0) | (op->seed ? F_SEED : 0) |
            (op->count ? F_COUNT : 0);
  g_array_append_val (h->offsets, offset);
  g_byte_array_append (h->log, head, 2);
  if (op->name)
    put_varint (h->log, intern (h, op->name));
  if (op->target)
    put_varint (h->log, intern (h, op->target));
  if (op->target_index != -1)
    put_varint (h->log, (guint64) (guint32) op->target_index);
  if (order)
    put_varint (h->log, order);
  if (op->size)
    put_varint (h->log, op->size);
  if (op->gfp)
    put_varint (h->log, intern (h, op->gfp));
  if (op->seed)
    put_varint (h->log, op->seed);
  if (op->count)
    put_varint (h->log, op->count);
}

/* Decodes op @index into @op; its strings belong to the history. */
static void
decode_op (const VaHistory *h,
           guint            index,
           VaOp            *op)
{
  const guint8 *p = h->log->data + g_array_index (h->offsets, guint32, index);
  guint8 fields;
  guint64 order;

  memset (op, 0, sizeof *op);
  op->kind = *p++;
  fields = *p++;
  op->target_index = -1;
  if (fields & F_NAME)
    op->name = (char *) string_of (h, get_varint (&p));
  if (fields & F_TARGET)
    op->target = (char *) string_of (h, get_varint (&p));
  if (fields & F_INDEX)
    op->target_index = (gint) (guint32) get_varint (&p);
  order = fields & F_ORDER ? get_varint (&p) : 0;
  op->order = order >> 1;
  op->has_align = order & 1;
  if (fields & F_SIZE)
    op->size = get_varint (&p);
  if (fields & F_GFP)
    op->gfp = (char *) string_of (h, get_varint (&p));
  if (fields & F_SEED)
    op->seed = get_varint (&p);
  if (fields & F_COUNT)
    op->count = get_varint (&p);
}

VaOp *
va_history_get_op (const VaHistory *h,
                   guint            index)
{
  VaOp op;

  g_return_val_if_fail (h != NULL && index < h->offsets->len, NULL);

  decode_op (h, index, &op);
  return va_op_copy (&op);
}

/*** Checkpoints ***/

/* Work between checkpoints, in plain allocs or frees (op_weight()).
 * Tuned by measurement (bench-seek, 1M random alloc/free ops on a 4 GiB
 * machine): a replayed op costs ~1.1 µs and a restore 1-2 ms (mostly the
 * allocation records that differ), so 1024 ops between checkpoints keep a
 * seek within 5 ms; a checkpoint then holds ~0.6 MB of changed chunks, so
 * 1M ops take ~625 MB.  Beyond the budget the interval doubles (and seeks
 * slow down: 16384 ops between checkpoints give a p99 of ~25 ms). */
#define DEFAULT_INTERVAL 1024

/* Checkpoints may hold this much: enough for a million ops at the default
 * interval, plus twice the frames for big machines. */
static guint64
snap_budget (const VaMachine *m)
{
  return (G_GUINT64_CONSTANT (768) << 20) + (guint64) m->nr_pfns * sizeof (VaPage) * 2;
}

static void
checkpoint_clear (gpointer data)
{
  Checkpoint *c = data;

  g_clear_pointer (&c->snap, va_machine_snap_free);
}

/* Recounts what the checkpoints hold (after some were dropped). */
static void
recount_snap_bytes (VaHistory *h)
{
  h->epoch++;
  h->snap_bytes = 0;
  for (guint i = 0; i < h->checkpoints->len; i++)
    h->snap_bytes += va_machine_snap_bytes (g_array_index (h->checkpoints, Checkpoint, i).snap,
                                            h->epoch);
}

/* Keeps memory bounded: doubles the interval and drops every second
 * checkpoint, keeping the boot one and the last (which the work since it
 * counts from). */
static void
thin_checkpoints (VaHistory *h)
{
  h->interval *= 2;
  for (guint i = h->checkpoints->len - 2; i > 0; i--)
    if (i % 2 == 1)
      g_array_remove_index (h->checkpoints, i);
  recount_snap_bytes (h);
}

/* Appends a checkpoint at the current position, which must be after every
 * existing one. */
static void
add_checkpoint (VaHistory *h)
{
  Checkpoint c = { h->position, va_machine_snapshot (h->current) };

  g_assert (h->checkpoints->len == 0 ||
            g_array_index (h->checkpoints, Checkpoint, h->checkpoints->len - 1).position < c.position);
  g_array_append_val (h->checkpoints, c);
  h->snap_bytes += va_machine_snap_new_bytes (c.snap);
  while (h->snap_bytes > h->snap_budget && h->checkpoints->len > 2)
    thin_checkpoints (h);
}

/* The last checkpoint at or before @position (binary search). */
static const Checkpoint *
checkpoint_before (const VaHistory *h,
                   guint            position)
{
  guint lo = 0, hi = h->checkpoints->len;   /* [0] is at 0 <= position */

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (h->checkpoints, Checkpoint, mid).position <= position)
        lo = mid;
      else
        hi = mid;
    }
  return &g_array_index (h->checkpoints, Checkpoint, lo);
}

/* What replaying an op costs, in plain allocs or frees: a workload runs
 * its own ops, cma_alloc migrates page by page, vmalloc takes its pages
 * one at a time.  Checkpoints are spaced by this work, not by ops, so a
 * big workload gets one right after it and a seek never replays it. */
static guint64
op_weight (const VaOp *op)
{
  switch (op->kind)
    {
    case VA_OP_WORKLOAD_FRAGMENT:
    case VA_OP_WORKLOAD_MOVABLE:  return MAX (op->count, 1);
    case VA_OP_CMA_ALLOC:         return MAX (op->size, 1);
    case VA_OP_VMALLOC:
    case VA_OP_VMALLOC_32:        return 1 + (op->size >> VA_PAGE_SHIFT);
    default:                      return 1;
    }
}

static guint
last_checkpoint_position (const VaHistory *h)
{
  return g_array_index (h->checkpoints, Checkpoint, h->checkpoints->len - 1).position;
}

/* After op @op took the machine to a new position: past the last
 * checkpoint, adds its work, and a checkpoint once an interval is done.
 * (Positions only grow by one between restores, and a restore lands on a
 * checkpoint at or before the last, so the work is counted from there.) */
static void
maybe_checkpoint (VaHistory  *h,
                  const VaOp *op)
{
  guint last = last_checkpoint_position (h);

  if (h->position <= last)
    return;
  h->work = (h->position == last + 1 ? 0 : h->work) + op_weight (op);
  if (h->work >= h->interval)
    {
      add_checkpoint (h);
      h->work = 0;
    }
}

/* The work since the last checkpoint, counted again from the log. */
static void
recount_work (VaHistory *h)
{
  h->work = 0;
  for (guint i = last_checkpoint_position (h); i < h->position; i++)
    {
      VaOp op;

      decode_op (h, i, &op);
      h->work += op_weight (&op);
    }
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
  h->interval = checkpoint_interval ? checkpoint_interval : DEFAULT_INTERVAL;
  h->snap_budget = snap_budget (h->current);
  add_checkpoint (h);
  return g_steal_pointer (&h);
}

void
va_history_free (VaHistory *h)
{
  if (h == NULL)
    return;
  g_clear_pointer (&h->current, va_machine_free);
  g_clear_pointer (&h->log, g_byte_array_unref);
  g_clear_pointer (&h->offsets, g_array_unref);
  g_clear_pointer (&h->string_ids, g_hash_table_unref);
  g_clear_pointer (&h->strings, g_ptr_array_unref);
  g_clear_pointer (&h->checkpoints, g_array_unref);
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
  return h->snap_bytes;
}

void
va_history_set_checkpoint_budget (VaHistory *h,
                                  guint64    bytes)
{
  g_return_if_fail (h != NULL);

  h->snap_budget = bytes;
  while (h->snap_bytes > h->snap_budget && h->checkpoints->len > 2)
    thin_checkpoints (h);
}

/* Replays op @index on the current machine (it was valid when recorded). */
static void
replay_one (VaHistory *h,
            guint      index)
{
  VaOp op;
  VaOpResult result = { 0 };
  g_autoptr(GError) error = NULL;

  decode_op (h, index, &op);
  if (!va_machine_apply (h->current, &op, &result, &error))
    g_error ("history: op %u no longer applies: %s", index + 1, error->message);
  va_op_result_clear (&result);
  h->position = index + 1;
  maybe_checkpoint (h, &op);
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
  recount_snap_bytes (h);
  recount_work (h);
}

gboolean
va_history_apply (VaHistory   *h,
                  const VaOp  *op,
                  VaOpResult  *result,
                  GError     **error)
{
  gboolean redo = FALSE;

  g_return_val_if_fail (h != NULL && op != NULL && result != NULL, FALSE);

  if (h->position < h->offsets->len)
    {
      VaOp next;

      decode_op (h, h->position, &next);
      redo = va_op_equal (&next, op);
    }
  /* a refused op changes nothing, the redo branch included */
  if (!va_machine_apply (h->current, op, result, error))
    return FALSE;
  if (!redo)
    {
      truncate_redo (h);
      encode_op (h, op);
    }
  h->position++;
  maybe_checkpoint (h, op);
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
  /* restore the checkpoint before the target unless the current state is
   * already at or after it (then replaying forward is cheaper) */
  if (position < h->position || checkpoint_before (h, position)->position > h->position)
    {
      const Checkpoint *c = checkpoint_before (h, position);

      va_machine_restore (h->current, c->snap);
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
  guint back;
  gboolean record;
  GArray *events;
  VaOp o;
  VaOpResult result = { 0 };

  g_return_val_if_fail (h != NULL, NULL);

  if (op == 0 || op > h->offsets->len)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID, "op %u: the history has ops 1 to %u",
                   op, h->offsets->len);
      return NULL;
    }
  /* replay the op on the current machine with events on, then come back:
   * two seeks cost less than a copy of the machine */
  back = h->position;
  if (!va_history_seek (h, op - 1, error))
    return NULL;
  record = h->current->record_events;
  va_machine_set_record_events (h->current, TRUE);
  decode_op (h, op - 1, &o);
  if (!va_machine_apply (h->current, &o, &result, error))
    g_error ("history: op %u no longer applies", op);
  va_op_result_clear (&result);
  events = g_array_copy (h->current->events);
  va_machine_set_record_events (h->current, record);
  g_array_set_size (h->current->events, 0);
  h->position = op;
  maybe_checkpoint (h, &o);
  if (back != op)
    va_history_seek (h, back, NULL);
  return events;
}

gboolean
va_history_seek_micro (VaHistory  *h,
                       guint       op,
                       guint       micro,
                       GError    **error)
{
  g_autoptr(GArray) events = NULL;

  g_return_val_if_fail (h != NULL, FALSE);

  if (op == 0 && micro == 0)
    return va_history_seek (h, 0, error);
  if (!(events = va_history_op_events (h, op, error)))
    return FALSE;
  if (micro > events->len)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "seek %u.%u: op %u has %u micro-steps (0 to %u)", op, micro, op,
                   events->len, events->len);
      return FALSE;
    }
  if (!va_history_seek (h, op - 1, error))
    return FALSE;
  g_array_append_vals (h->current->events, events->data, micro);
  return TRUE;
}
