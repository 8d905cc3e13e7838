/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-gap-tree"

#include "va-gap-tree.h"

#include <string.h>

enum { LAZY_NONE, LAZY_FREE, LAZY_USED };

struct _VaGapTree {
  guint32  nr_slots;
  guint32  leaves;     /* power of two >= nr_slots */
  guint32 *best;       /* longest free run below the node */
  guint32 *pre;        /* free run starting at the node's left end */
  guint32 *suf;        /* free run ending at the node's right end */
  guint32 *count;      /* free slots below the node */
  guint8  *lazy;       /* pending assignment for the children */
};

static void
fill (VaGapTree *t,
      guint      node,
      guint32    len,
      gboolean   used)
{
  guint32 v = used ? 0 : len;

  t->best[node] = t->pre[node] = t->suf[node] = t->count[node] = v;
  t->lazy[node] = used ? LAZY_USED : LAZY_FREE;
}

static void
pull (VaGapTree *t,
      guint      node,
      guint32    len)
{
  guint l = 2 * node, r = l + 1;
  guint32 half = len / 2;

  t->pre[node] = t->pre[l] == half ? half + t->pre[r] : t->pre[l];
  t->suf[node] = t->suf[r] == half ? half + t->suf[l] : t->suf[r];
  t->best[node] = MAX (MAX (t->best[l], t->best[r]), t->suf[l] + t->pre[r]);
  t->count[node] = t->count[l] + t->count[r];
}

static void
push (VaGapTree *t,
      guint      node,
      guint32    len)
{
  if (t->lazy[node] == LAZY_NONE || node >= t->leaves)
    return;
  fill (t, 2 * node, len / 2, t->lazy[node] == LAZY_USED);
  fill (t, 2 * node + 1, len / 2, t->lazy[node] == LAZY_USED);
  t->lazy[node] = LAZY_NONE;
}

static void
assign (VaGapTree *t,
        guint      node,
        guint32    lo,
        guint32    len,
        guint32    first,
        guint32    end,
        gboolean   used)
{
  if (end <= lo || first >= lo + len)
    return;
  if (first <= lo && lo + len <= end)
    {
      fill (t, node, len, used);
      return;
    }
  push (t, node, len);
  assign (t, 2 * node, lo, len / 2, first, end, used);
  assign (t, 2 * node + 1, lo + len / 2, len / 2, first, end, used);
  t->lazy[node] = LAZY_NONE;
  pull (t, node, len);
}

VaGapTree *
va_gap_tree_new (guint32 nr_slots)
{
  VaGapTree *t = g_new0 (VaGapTree, 1);
  guint32 nodes;

  t->nr_slots = nr_slots;
  t->leaves = 1;
  while (t->leaves < MAX (nr_slots, 1))
    t->leaves <<= 1;
  nodes = 2 * t->leaves;
  t->best = g_new (guint32, nodes);
  t->pre = g_new (guint32, nodes);
  t->suf = g_new (guint32, nodes);
  t->count = g_new (guint32, nodes);
  t->lazy = g_new0 (guint8, nodes);
  fill (t, 1, t->leaves, FALSE);
  /* slots past the window are never free */
  if (t->leaves > nr_slots)
    assign (t, 1, 0, t->leaves, nr_slots, t->leaves, TRUE);
  return t;
}

VaGapTree *
va_gap_tree_copy (const VaGapTree *tree)
{
  VaGapTree *t = g_memdup2 (tree, sizeof *tree);
  gsize nodes = 2 * (gsize) tree->leaves;

  t->best = g_memdup2 (tree->best, nodes * sizeof (guint32));
  t->pre = g_memdup2 (tree->pre, nodes * sizeof (guint32));
  t->suf = g_memdup2 (tree->suf, nodes * sizeof (guint32));
  t->count = g_memdup2 (tree->count, nodes * sizeof (guint32));
  t->lazy = g_memdup2 (tree->lazy, nodes);
  return t;
}

void
va_gap_tree_free (VaGapTree *tree)
{
  if (tree == NULL)
    return;
  g_free (tree->best);
  g_free (tree->pre);
  g_free (tree->suf);
  g_free (tree->count);
  g_free (tree->lazy);
  g_free (tree);
}

void
va_gap_tree_set (VaGapTree *tree,
                 guint32    first,
                 guint32    count,
                 gboolean   used)
{
  g_return_if_fail (tree != NULL && first + count <= tree->nr_slots);

  assign (tree, 1, 0, tree->leaves, first, first + count, used);
}

/* The lowest slot where @count free slots start, or -1. */
gint64
va_gap_tree_find_first (VaGapTree *tree,
                        guint32    count)
{
  guint node = 1;
  guint32 lo = 0, len = tree->leaves;

  g_return_val_if_fail (tree != NULL && count > 0, -1);

  if (tree->best[1] < count)
    return -1;
  while (len > 1)
    {
      guint l = 2 * node;

      push (tree, node, len);
      if (tree->best[l] >= count)
        node = l;
      else if (tree->suf[l] + tree->pre[l + 1] >= count)
        return lo + len / 2 - tree->suf[l];
      else
        {
          node = l + 1;
          lo += len / 2;
        }
      len /= 2;
    }
  return lo;
}

guint32
va_gap_tree_largest (const VaGapTree *tree)
{
  return tree->best[1];
}

guint32
va_gap_tree_size (const VaGapTree *tree)
{
  return tree->nr_slots;
}

guint32
va_gap_tree_free_slots (const VaGapTree *tree)
{
  return tree->count[1];
}
