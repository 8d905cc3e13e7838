/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-gap-tree"

#include "va-gap-tree.h"

#include <string.h>

/* One node: 16 bytes, so a visit touches one cache line. */
typedef struct {
  guint32 best;        /* longest free run below the node */
  guint32 pre;         /* free run starting at the node's left end */
  guint32 suf;         /* free run ending at the node's right end */
  guint32 count;       /* free slots below the node */
} Node;

#define WORD 64u

/* Slots are bits of 64-bit words (1 = used); the tree's leaves summarise
 * one word each, node[leaves + word], node[1] being the root.  An update
 * of k slots touches k/64 words and their ancestors, bottom up. */
struct _VaGapTree {
  guint32  nr_slots;
  guint32  nr_words;
  guint32  leaves;     /* power of two >= nr_words */
  guint64 *used;
  Node    *node;
};

/* The longest run of set bits in @x. */
static guint32
longest_run (guint64 x)
{
  guint32 n = 0;

  if (x == G_MAXUINT64)
    return WORD;
  while (x)
    {
      x &= x >> 1;
      n++;
    }
  return n;
}

static void
summarise_word (VaGapTree *t,
                guint32    word)
{
  guint64 used = t->used[word];
  Node *n = &t->node[t->leaves + word];

  n->count = WORD - __builtin_popcountll (used);
  n->pre = used ? (guint32) __builtin_ctzll (used) : WORD;
  n->suf = used ? (guint32) __builtin_clzll (used) : WORD;
  n->best = longest_run (~used);
}

static void
pull (VaGapTree *t,
      guint      node,
      guint32    len)
{
  const Node *l = &t->node[2 * node], *r = l + 1;
  Node *n = &t->node[node];
  guint32 half = len / 2;

  n->pre = l->pre == half ? half + r->pre : l->pre;
  n->suf = r->suf == half ? half + l->suf : r->suf;
  n->best = MAX (MAX (l->best, r->best), l->suf + r->pre);
  n->count = l->count + r->count;
}

/* Recomputes the ancestors of leaves (words) [first, last]. */
static void
pull_range (VaGapTree *t,
            guint32    first,
            guint32    last)
{
  guint32 lo = (t->leaves + first) >> 1, hi = (t->leaves + last) >> 1, len = 2 * WORD;

  while (lo >= 1)
    {
      for (guint32 n = lo; n <= hi; n++)
        pull (t, n, len);
      lo >>= 1;
      hi >>= 1;
      len <<= 1;
    }
}

static void
set_bits (VaGapTree *t,
          guint32    first,
          guint32    count,
          gboolean   used)
{
  while (count)
    {
      guint32 word = first / WORD, bit = first % WORD;
      guint32 n = MIN (count, WORD - bit);
      guint64 mask = (n == WORD ? G_MAXUINT64 : ((G_GUINT64_CONSTANT (1) << n) - 1)) << bit;

      if (used)
        t->used[word] |= mask;
      else
        t->used[word] &= ~mask;
      first += n;
      count -= n;
    }
}

VaGapTree *
va_gap_tree_new (guint32 nr_slots)
{
  VaGapTree *t = g_new0 (VaGapTree, 1);

  t->nr_slots = nr_slots;
  t->nr_words = MAX ((nr_slots + WORD - 1) / WORD, 1);
  t->leaves = 1;
  while (t->leaves < t->nr_words)
    t->leaves <<= 1;
  t->used = g_new0 (guint64, t->leaves);
  t->node = g_new0 (Node, 2 * (gsize) t->leaves);
  /* slots past the window are never free */
  set_bits (t, nr_slots, t->leaves * WORD - nr_slots, TRUE);
  for (guint32 w = 0; w < t->leaves; w++)
    summarise_word (t, w);
  if (t->leaves > 1)
    pull_range (t, 0, t->leaves - 1);
  return t;
}

VaGapTree *
va_gap_tree_copy (const VaGapTree *tree)
{
  VaGapTree *t = g_memdup2 (tree, sizeof *tree);

  t->used = g_memdup2 (tree->used, tree->leaves * sizeof (guint64));
  t->node = g_memdup2 (tree->node, 2 * (gsize) tree->leaves * sizeof (Node));
  return t;
}

void
va_gap_tree_free (VaGapTree *tree)
{
  if (tree == NULL)
    return;
  g_free (tree->used);
  g_free (tree->node);
  g_free (tree);
}

void
va_gap_tree_set (VaGapTree *tree,
                 guint32    first,
                 guint32    count,
                 gboolean   used)
{
  guint32 w0, w1;

  g_return_if_fail (tree != NULL && first + count <= tree->nr_slots);

  if (count == 0)
    return;
  set_bits (tree, first, count, used);
  w0 = first / WORD;
  w1 = (first + count - 1) / WORD;
  for (guint32 w = w0; w <= w1; w++)
    summarise_word (tree, w);
  if (tree->leaves > 1)
    pull_range (tree, w0, w1);
}

/* The first slot of the lowest run of @count free slots inside one word. */
static guint32
first_run_in_word (guint64 free,
                   guint32 count)
{
  for (guint32 i = 1; i < count; i++)
    free &= free >> 1;
  return __builtin_ctzll (free);
}

/* The lowest slot where @count free slots start, or -1: descend to the
 * left child while it holds such a run, stop where a run straddles the
 * middle, else go right. */
gint64
va_gap_tree_find_first (VaGapTree *tree,
                        guint32    count)
{
  guint node = 1;
  guint32 lo = 0, len = tree->leaves * WORD;

  g_return_val_if_fail (tree != NULL && count > 0, -1);

  if (tree->node[1].best < count)
    return -1;
  while (len > WORD)
    {
      guint l = 2 * node;

      if (tree->node[l].best >= count)
        node = l;
      else if (tree->node[l].suf + tree->node[l + 1].pre >= count)
        return lo + len / 2 - tree->node[l].suf;
      else
        {
          node = l + 1;
          lo += len / 2;
        }
      len /= 2;
    }
  return lo + first_run_in_word (~tree->used[lo / WORD], count);
}

guint32
va_gap_tree_largest (const VaGapTree *tree)
{
  return tree->node[1].best;
}

guint32
va_gap_tree_size (const VaGapTree *tree)
{
  return tree->nr_slots;
}

guint32
va_gap_tree_free_slots (const VaGapTree *tree)
{
  return tree->node[1].count;
}

gboolean
va_gap_tree_equal (const VaGapTree *a,
                   const VaGapTree *b)
{
  return a->nr_slots == b->nr_slots &&
         memcmp (a->used, b->used, a->leaves * sizeof (guint64)) == 0;
}
