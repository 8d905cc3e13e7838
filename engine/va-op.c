/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-op"

#include "va-op.h"
#include "va-config.h"

/* Indexed by VaOpKind.  Both workload kinds share the keyword; the
 * sub-keyword (fragment/movable) is written by va_op_to_vms(). */
static const char *const kind_names[VA_OP_N_KINDS] = {
  [VA_OP_ALLOC]             = "alloc",
  [VA_OP_FREE]              = "free",
  [VA_OP_KMALLOC]           = "kmalloc",
  [VA_OP_VMALLOC]           = "vmalloc",
  [VA_OP_VMALLOC_32]        = "vmalloc_32",
  [VA_OP_VFREE]             = "vfree",
  [VA_OP_KMAP]              = "kmap",
  [VA_OP_KUNMAP]            = "kunmap",
  [VA_OP_PIN]               = "pin",
  [VA_OP_UNPIN]             = "unpin",
  [VA_OP_CMA_ALLOC]         = "cma_alloc",
  [VA_OP_CMA_RELEASE]       = "cma_release",
  [VA_OP_WORKLOAD_FRAGMENT] = "workload",
  [VA_OP_WORKLOAD_MOVABLE]  = "workload",
};

VaOp *
va_op_new (VaOpKind kind)
{
  VaOp *op;

  g_return_val_if_fail (kind < VA_OP_N_KINDS, NULL);

  op = g_new0 (VaOp, 1);
  op->kind = kind;
  op->target_index = -1;
  return op;
}

VaOp *
va_op_copy (const VaOp *op)
{
  VaOp *copy;

  g_return_val_if_fail (op != NULL, NULL);

  copy = g_new (VaOp, 1);
  *copy = *op;
  copy->name = g_strdup (op->name);
  copy->target = g_strdup (op->target);
  copy->gfp = g_strdup (op->gfp);
  return copy;
}

void
va_op_free (VaOp *op)
{
  if (op == NULL)
    return;
  g_free (op->name);
  g_free (op->target);
  g_free (op->gfp);
  g_free (op);
}

/* Compares only the fields the op's kind uses, so an op built by the GUI
 * with stray values in unused fields still equals its parsed statement. */
gboolean
va_op_equal (const VaOp *a,
             const VaOp *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->kind != b->kind)
    return FALSE;

  switch (a->kind)
    {
    case VA_OP_ALLOC:
      return g_strcmp0 (a->name, b->name) == 0 && a->order == b->order &&
             g_strcmp0 (a->gfp, b->gfp) == 0;
    case VA_OP_KMALLOC:
      return g_strcmp0 (a->name, b->name) == 0 && a->size == b->size &&
             g_strcmp0 (a->gfp, b->gfp) == 0;
    case VA_OP_VMALLOC:
    case VA_OP_VMALLOC_32:
      return g_strcmp0 (a->name, b->name) == 0 && a->size == b->size;
    case VA_OP_KMAP:
      return g_strcmp0 (a->name, b->name) == 0 &&
             g_strcmp0 (a->target, b->target) == 0 &&
             MAX (a->target_index, -1) == MAX (b->target_index, -1);
    case VA_OP_CMA_ALLOC:
      return g_strcmp0 (a->name, b->name) == 0 && a->size == b->size &&
             a->has_align == b->has_align &&
             (!a->has_align || a->order == b->order);
    case VA_OP_WORKLOAD_FRAGMENT:
    case VA_OP_WORKLOAD_MOVABLE:
      return a->seed == b->seed && a->count == b->count;
    case VA_OP_FREE:
    case VA_OP_VFREE:
    case VA_OP_KUNMAP:
    case VA_OP_PIN:
    case VA_OP_UNPIN:
    case VA_OP_CMA_RELEASE:
      return g_strcmp0 (a->name, b->name) == 0;
    case VA_OP_N_KINDS:
    default:
      break;
    }
  return FALSE;
}

const char *
va_op_kind_name (VaOpKind kind)
{
  g_return_val_if_fail (kind < VA_OP_N_KINDS, NULL);

  return kind_names[kind];
}

static void
append_size (GString *s,
             guint64  bytes)
{
  g_autofree char *text = va_format_size (bytes);

  g_string_append_c (s, ' ');
  g_string_append (s, text);
}

static void
append_gfp (GString    *s,
            const char *gfp)
{
  if (gfp != NULL)
    g_string_append_printf (s, " gfp=%s", gfp);
}

char *
va_op_to_vms (const VaOp *op)
{
  GString *s;

  g_return_val_if_fail (op != NULL, NULL);
  g_return_val_if_fail (op->kind < VA_OP_N_KINDS, NULL);

  s = g_string_new (kind_names[op->kind]);
  switch (op->kind)
    {
    case VA_OP_ALLOC:
      g_string_append_printf (s, " %s order=%u", op->name, op->order);
      append_gfp (s, op->gfp);
      break;
    case VA_OP_KMALLOC:
      g_string_append_printf (s, " %s", op->name);
      append_size (s, op->size);
      append_gfp (s, op->gfp);
      break;
    case VA_OP_VMALLOC:
    case VA_OP_VMALLOC_32:
      g_string_append_printf (s, " %s", op->name);
      append_size (s, op->size);
      break;
    case VA_OP_KMAP:
      g_string_append_printf (s, " %s %s", op->name, op->target);
      if (op->target_index >= 0)
        g_string_append_printf (s, "[%d]", op->target_index);
      break;
    case VA_OP_CMA_ALLOC:
      /* COUNT is a number of pages, not bytes: no size suffix. */
      g_string_append_printf (s, " %s %" G_GUINT64_FORMAT, op->name, op->size);
      if (op->has_align)
        g_string_append_printf (s, " align=%u", op->order);
      break;
    case VA_OP_WORKLOAD_FRAGMENT:
      g_string_append_printf (s, " fragment seed=%" G_GUINT64_FORMAT " ops=%" G_GUINT64_FORMAT,
                              op->seed, op->count);
      break;
    case VA_OP_WORKLOAD_MOVABLE:
      g_string_append_printf (s, " movable seed=%" G_GUINT64_FORMAT " pages=%" G_GUINT64_FORMAT,
                              op->seed, op->count);
      break;
    case VA_OP_FREE:
    case VA_OP_VFREE:
    case VA_OP_KUNMAP:
    case VA_OP_PIN:
    case VA_OP_UNPIN:
    case VA_OP_CMA_RELEASE:
      g_string_append_printf (s, " %s", op->name);
      break;
    case VA_OP_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return g_string_free (s, FALSE);
}
