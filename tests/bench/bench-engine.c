/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench-engine: the same random alloc/free trace through the engine (events
 * on and off) and through a plain reference buddy allocator (per-order free
 * lists, nothing else), round-robin over 5 rounds in one process.  Prints
 * ns/op, the median ratio, bytes of engine state per frame and boot time. */
#include "va-gfp.h"
#include "va-page-alloc.h"

#include "va-test-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS   5
#define TRACE_OPS 2000000
#define MAX_LIVE  60000

typedef struct {
  guint8  is_alloc;
  guint8  order;
  guint32 victim;   /* index into the live set for frees */
} TraceOp;

/*** The reference: a textbook binary buddy over one range of frames ***/

typedef struct {
  guint32 *next, *prev;
  guint8  *order;        /* order of a free head, 0xff otherwise */
  guint32  head[11];
  guint32  nr_pfns;
} RefBuddy;

#define NIL G_MAXUINT32

static void
ref_add (RefBuddy *b, guint32 pfn, guint o)
{
  b->order[pfn] = o;
  b->prev[pfn] = NIL;
  b->next[pfn] = b->head[o];
  if (b->head[o] != NIL)
    b->prev[b->head[o]] = pfn;
  b->head[o] = pfn;
}

static void
ref_del (RefBuddy *b, guint32 pfn, guint o)
{
  if (b->prev[pfn] != NIL)
    b->next[b->prev[pfn]] = b->next[pfn];
  else
    b->head[o] = b->next[pfn];
  if (b->next[pfn] != NIL)
    b->prev[b->next[pfn]] = b->prev[pfn];
  b->order[pfn] = 0xff;
}

static void
ref_free (RefBuddy *b, guint32 pfn, guint o)
{
  while (o < 10)
    {
      guint32 buddy = pfn ^ (1u << o);

      if (buddy >= b->nr_pfns || b->order[buddy] != o)
        break;
      ref_del (b, buddy, o);
      pfn &= buddy;
      o++;
    }
  ref_add (b, pfn, o);
}

static guint32
ref_alloc (RefBuddy *b, guint o)
{
  for (guint c = o; c < 11; c++)
    if (b->head[c] != NIL)
      {
        guint32 pfn = b->head[c];

        ref_del (b, pfn, c);
        while (c > o)
          {
            c--;
            ref_add (b, pfn + (1u << c), c);
          }
        return pfn;
      }
  return NIL;
}

static void
ref_init (RefBuddy *b, guint32 nr_pfns)
{
  b->nr_pfns = nr_pfns;
  b->next = g_new (guint32, nr_pfns);
  b->prev = g_new (guint32, nr_pfns);
  b->order = g_new (guint8, nr_pfns);
  memset (b->order, 0xff, nr_pfns);
  for (guint o = 0; o < 11; o++)
    b->head[o] = NIL;
  for (guint32 p = 0; p + 1024 <= nr_pfns; p += 1024)
    ref_add (b, p, 10);
}

static void
ref_clear (RefBuddy *b)
{
  g_free (b->next);
  g_free (b->prev);
  g_free (b->order);
}

/*** The trace ***/

static TraceOp *
make_trace (guint64 seed)
{
  TraceOp *t = g_new (TraceOp, TRACE_OPS);
  VaRng rng;
  guint live = 0;

  va_rng_init (&rng, seed);
  for (guint i = 0; i < TRACE_OPS; i++)
    {
      gboolean alloc = live == 0 || (live < MAX_LIVE && va_rng_below (&rng, 100) < 52);
      guint r = va_rng_below (&rng, 100);

      t[i].is_alloc = alloc;
      t[i].order = r < 60 ? 0 : r < 80 ? 1 : r < 92 ? 2 : r < 98 ? 3 : 4;
      t[i].victim = alloc ? 0 : va_rng_below (&rng, live);
      live += alloc ? 1 : -1;
    }
  return t;
}

/* Runs the trace; live blocks are kept as (pfn, order) in @live. */
typedef guint32 (*AllocFn) (gpointer impl, guint order);
typedef void    (*FreeFn)  (gpointer impl, guint32 pfn, guint order);

static double
run_trace (const TraceOp *t, gpointer impl, AllocFn alloc_fn, FreeFn free_fn, VaMachine *events)
{
  guint32 *pfns = g_new (guint32, MAX_LIVE + 1);
  guint8 *orders = g_new (guint8, MAX_LIVE + 1);
  guint live = 0;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < TRACE_OPS; i++)
    {
      if (t[i].is_alloc)
        {
          guint32 pfn = alloc_fn (impl, t[i].order);

          if (pfn == NIL)
            g_error ("trace allocation failed at op %u", i);
          pfns[live] = pfn;
          orders[live++] = t[i].order;
        }
      else
        {
          guint v = t[i].victim;

          free_fn (impl, pfns[v], orders[v]);
          pfns[v] = pfns[--live];
          orders[v] = orders[live];
        }
      if (events && events->events->len > 1000000)
        g_array_set_size (events->events, 0);
    }
  /* give everything back so the next round starts from the same state */
  while (live)
    {
      live--;
      free_fn (impl, pfns[live], orders[live]);
    }
  g_free (pfns);
  g_free (orders);
  return (double) (g_get_monotonic_time () - start) * 1000.0 / TRACE_OPS;
}

static guint32 gfp_mask;

static guint32
engine_alloc (gpointer impl, guint order)
{
  guint32 pfn = va_alloc_pages (impl, gfp_mask, order, NULL, NULL);

  return pfn == VA_PFN_NONE ? NIL : pfn;
}

static void
engine_free (gpointer impl, guint32 pfn, guint order)
{
  va_free_pages (impl, pfn, order);
}

static guint32
reference_alloc (gpointer impl, guint order)
{
  return ref_alloc (impl, order);
}

static void
reference_free (gpointer impl, guint32 pfn, guint order)
{
  ref_free (impl, pfn, order);
}



static void
bench_machine (const char *profile, guint64 ram)
{
  VaMachineConfig c;
  g_autoptr(VaMachine) m = NULL;
  g_autofree TraceOp *trace = make_trace (7);
  RefBuddy ref;
  double on[ROUNDS], off[ROUNDS], refs[ROUNDS], ratio_on[ROUNDS], ratio_off[ROUNDS];
  double boot_ms[ROUNDS];
  guint64 state;

  va_machine_config_init (&c);
  c.profile = va_profile_lookup (profile);
  c.ram_bytes = ram;
  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      VaMachine *b = va_machine_new (&c, NULL);

      boot_ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
      va_machine_free (b);
    }
  m = va_machine_new (&c, NULL);
  va_gfp_parse (m->profile, "GFP_HIGHUSER", &gfp_mask, NULL);
  ref_init (&ref, m->nr_pfns);
  for (guint r = 0; r < ROUNDS; r++)
    {
      refs[r] = run_trace (trace, &ref, reference_alloc, reference_free, NULL);
      va_machine_set_record_events (m, FALSE);
      off[r] = run_trace (trace, m, engine_alloc, engine_free, NULL);
      va_machine_set_record_events (m, TRUE);
      on[r] = run_trace (trace, m, engine_alloc, engine_free, m);
      g_array_set_size (m->events, 0);
      ratio_on[r] = on[r] / refs[r];
      ratio_off[r] = off[r] / refs[r];
    }
  state = (guint64) m->nr_pfns * sizeof (VaPage) + (m->nr_pfns >> m->pageblock_order) + 1 +
          sizeof (VaMachine);
  printf ("%-13s %5" G_GUINT64_FORMAT " MiB  reference %6.1f ns/op  engine events off %6.1f ns/op "
          "(%.2fx)  events on %6.1f ns/op (%.2fx)  state %.2f B/frame  boot %.1f ms\n",
          profile, ram >> 20, va_test_median (refs, ROUNDS), va_test_median (off, ROUNDS),
          va_test_median (ratio_off, ROUNDS), va_test_median (on, ROUNDS), va_test_median (ratio_on, ROUNDS),
          (double) state / m->nr_pfns, va_test_median (boot_ms, ROUNDS));
  ref_clear (&ref);
}

/* bench-engine [PROFILE [MIB]]: every profile at 1 and 4 GiB, or only the
 * ones named (handy under perf). */
int
main (int   argc,
      char *argv[])
{
  static const char *const profiles[] = { "linux-2.4.21", "linux-2.6.9", "linux-6.1" };
  static const guint sizes_mib[] = { 1024, 4096 };

  printf ("bench-engine: %d ops per trace, %d rounds, medians; ratio = engine / reference\n",
          TRACE_OPS, ROUNDS);
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    for (guint j = 0; j < G_N_ELEMENTS (sizes_mib); j++)
      {
        if (argc > 1 && strcmp (argv[1], profiles[i]) != 0)
          continue;
        if (argc > 2 && strtoul (argv[2], NULL, 10) != sizes_mib[j])
          continue;
        bench_machine (profiles[i], (guint64) sizes_mib[j] << 20);
      }
  return 0;
}
