/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench-vmalloc: placing vmalloc areas in a 128 MiB window with the engine's
 * free-space tree (VaGapTree, as 6.1's augmented free_vmap_area_root) and
 * with a plain address-sorted list walked first fit from VMALLOC_START
 * (2.4/2.6.9 __get_vm_area()), in the same process, 5 rounds, medians.
 *   long-busy: 15 000 live one-page areas, then vmalloc/vfree of 100 pages
 *   random:    a random mix of 1-64 page areas, about 1 000 live
 * Then the same two patterns through the whole engine (vmalloc + page
 * allocation + mapping) for scale. */
#include "va-gap-tree.h"
#include "va-rng.h"
#include "va-vmalloc.h"

#include "va-test-util.h"

#include <stdio.h>
#include <stdlib.h>

#define ROUNDS   5
#define SLOTS    32768          /* 128 MiB of 4 KiB pages */
#define BUSY     15000
#define LOOPS    20000
#define RANDOM_OPS 200000

/*** The baseline: a sorted singly linked list, first fit ***/

typedef struct Node {
  guint32      first, slots;
  struct Node *next;
} Node;

typedef struct {
  Node *head;
} ListSpace;

static gint64
list_alloc (ListSpace *s, guint32 slots, Node **out)
{
  Node **link = &s->head;
  guint32 addr = 0;

  for (Node *n = s->head; n; link = &n->next, n = n->next)
    {
      if (addr + slots <= n->first)
        break;
      addr = n->first + n->slots;
    }
  if (addr + slots > SLOTS)
    return -1;
  *out = g_new (Node, 1);
  (*out)->first = addr;
  (*out)->slots = slots;
  (*out)->next = *link;
  *link = *out;
  return addr;
}

static void
list_free (ListSpace *s, Node *node)
{
  Node **link = &s->head;

  while (*link != node)
    link = &(*link)->next;
  *link = node->next;
  g_free (node);
}

/*** The engine's tree, with the bookkeeping an allocator needs ***/

typedef struct {
  guint32 first, slots;
} Placed;

static gint64
tree_alloc (VaGapTree *t, guint32 slots, Placed *out)
{
  gint64 first = va_gap_tree_find_first (t, slots);

  if (first < 0)
    return -1;
  va_gap_tree_set (t, first, slots, TRUE);
  out->first = first;
  out->slots = slots;
  return first;
}

static void
tree_free (VaGapTree *t, const Placed *p)
{
  va_gap_tree_set (t, p->first, p->slots, FALSE);
}

/*** Patterns ***/

static double
now_ns (void)
{
  return g_get_monotonic_time () * 1000.0;
}

static double
long_busy_list (void)
{
  ListSpace s = { NULL };
  g_autofree Node **busy = g_new (Node *, BUSY);
  double t0, ns;

  for (guint i = 0; i < BUSY; i++)
    list_alloc (&s, 2, &busy[i]);
  t0 = now_ns ();
  for (guint i = 0; i < LOOPS; i++)
    {
      Node *n;

      if (list_alloc (&s, 101, &n) < 0)
        g_error ("list: no room");
      list_free (&s, n);
    }
  ns = (now_ns () - t0) / (2.0 * LOOPS);
  for (guint i = 0; i < BUSY; i++)
    list_free (&s, busy[i]);
  return ns;
}

static double
long_busy_tree (void)
{
  VaGapTree *t = va_gap_tree_new (SLOTS);
  Placed p;
  double t0, ns;

  for (guint i = 0; i < BUSY; i++)
    tree_alloc (t, 2, &p);
  t0 = now_ns ();
  for (guint i = 0; i < LOOPS; i++)
    {
      if (tree_alloc (t, 101, &p) < 0)
        g_error ("tree: no room");
      tree_free (t, &p);
    }
  ns = (now_ns () - t0) / (2.0 * LOOPS);
  va_gap_tree_free (t);
  return ns;
}

typedef struct {
  guint8  is_alloc;
  guint16 slots;
  guint32 victim;
} RandomOp;

static RandomOp *
random_trace (void)
{
  RandomOp *ops = g_new (RandomOp, RANDOM_OPS);
  VaRng rng;
  guint live = 0;

  va_rng_init (&rng, 99);
  for (guint i = 0; i < RANDOM_OPS; i++)
    {
      gboolean alloc = live == 0 || (live < 1000 && va_rng_below (&rng, 2));

      ops[i].is_alloc = alloc;
      ops[i].slots = 2 + va_rng_below (&rng, 64);
      ops[i].victim = alloc ? 0 : va_rng_below (&rng, live);
      live += alloc ? 1 : -1;
    }
  return ops;
}

static double
random_list (const RandomOp *ops)
{
  ListSpace s = { NULL };
  g_autofree Node **live = g_new (Node *, RANDOM_OPS);
  guint n = 0;
  double t0 = now_ns ();

  for (guint i = 0; i < RANDOM_OPS; i++)
    if (ops[i].is_alloc)
      {
        if (list_alloc (&s, ops[i].slots, &live[n]) < 0)
          g_error ("list: no room");
        n++;
      }
    else
      {
        list_free (&s, live[ops[i].victim]);
        live[ops[i].victim] = live[--n];
      }
  t0 = (now_ns () - t0) / RANDOM_OPS;
  while (n)
    list_free (&s, live[--n]);
  return t0;
}

static double
random_tree (const RandomOp *ops)
{
  VaGapTree *t = va_gap_tree_new (SLOTS);
  g_autofree Placed *live = g_new (Placed, RANDOM_OPS);
  guint n = 0;
  double t0 = now_ns ();

  for (guint i = 0; i < RANDOM_OPS; i++)
    if (ops[i].is_alloc)
      {
        if (tree_alloc (t, ops[i].slots, &live[n]) < 0)
          g_error ("tree: no room");
        n++;
      }
    else
      {
        tree_free (t, &live[ops[i].victim]);
        live[ops[i].victim] = live[--n];
      }
  t0 = (now_ns () - t0) / RANDOM_OPS;
  va_gap_tree_free (t);
  return t0;
}



/* The whole engine: vmalloc(4 KiB) x 15 000, then vmalloc/vfree of 100 pages. */
static void
engine_long_busy (const char *profile)
{
  VaMachineConfig c;
  g_autoptr(VaMachine) m = NULL;
  g_autoptr(VaOp) one = va_op_new (VA_OP_VMALLOC);
  g_autoptr(VaOp) big = va_op_new (VA_OP_VMALLOC);
  g_autoptr(VaOp) vfree = va_op_new (VA_OP_VFREE);
  VaOpResult r = { 0 };
  double t0;

  va_machine_config_init (&c);
  c.profile = va_profile_lookup (profile);
  c.ram_bytes = G_GUINT64_CONSTANT (2) << 30;
  va_machine_config_set (&c, "vmalloc", "136M", NULL);
  m = va_machine_new (&c, NULL);
  one->size = 4096;
  for (guint i = 0; i < BUSY; i++)
    {
      g_free (one->name);
      one->name = g_strdup_printf ("a%u", i);
      if (!va_machine_apply (m, one, &r, NULL) || r.failed)
        g_error ("engine: %s", r.reason);
    }
  big->name = g_strdup ("big");
  big->size = 100 * 4096;
  vfree->name = g_strdup ("big");
  t0 = now_ns ();
  for (guint i = 0; i < 2000; i++)
    {
      if (!va_machine_apply (m, big, &r, NULL) || r.failed)
        g_error ("engine: %s", r.reason);
      va_machine_apply (m, vfree, &r, NULL);
    }
  printf ("engine %-13s long-busy vmalloc(100 pages)+vfree: %.1f us per pair (window %u KiB)\n",
          profile, (now_ns () - t0) / 2000 / 1000.0, m->vmalloc->nr_slots * 4);
}

int
main (void)
{
  g_autofree RandomOp *ops = random_trace ();
  double lb_list[ROUNDS], lb_tree[ROUNDS], lb_ratio[ROUNDS];
  double rnd_list[ROUNDS], rnd_tree[ROUNDS], rnd_ratio[ROUNDS];

  for (guint r = 0; r < ROUNDS; r++)
    {
      lb_list[r] = long_busy_list ();
      lb_tree[r] = long_busy_tree ();
      lb_ratio[r] = lb_list[r] / lb_tree[r];
      rnd_list[r] = random_list (ops);
      rnd_tree[r] = random_tree (ops);
      rnd_ratio[r] = rnd_tree[r] / rnd_list[r];
    }
  printf ("bench-vmalloc: 128 MiB window, %d rounds, medians\n", ROUNDS);
  printf ("long-busy (%d live one-page areas, 100-page vmalloc/vfree): list %.0f ns/op, "
          "tree %.0f ns/op: tree is %.1fx faster\n", BUSY, va_test_median (lb_list, ROUNDS),
          va_test_median (lb_tree, ROUNDS), va_test_median (lb_ratio, ROUNDS));
  printf ("random mix (1-64 pages, ~1000 live): list %.0f ns/op, tree %.0f ns/op: "
          "tree/list time %.2fx\n", va_test_median (rnd_list, ROUNDS),
          va_test_median (rnd_tree, ROUNDS), va_test_median (rnd_ratio, ROUNDS));
  engine_long_busy ("linux-2.6.9");
  engine_long_busy ("linux-6.1");
  return 0;
}
