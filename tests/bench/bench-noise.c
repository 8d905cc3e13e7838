/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The machine's own share of slow frames.
 *
 * A frame's "work" is its thread's CPU time, and on a virtual machine
 * that clock also runs while the hypervisor has taken the core away (no
 * steal time is reported here, and there are no instruction counters).
 * A program doing a fixed 2.4 ms of work at 60 Hz saw 2 or 3 of 500
 * frames take 24-32 ms of "CPU time" on these machines.  So the bench
 * replays the same frames as fixed work in this process, right after the
 * playback: each frame spins for as long as the quiet machine needs for
 * that frame's CPU time, then waits for the next 60 Hz tick, and counts
 * the frames over the budget.  The replayed work is clipped to the
 * playback's 90th percentile, so that the app's own slow frames are not
 * replayed as work. */
#include "bench-noise.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

#define FRAME_US 16667
#define BUFFER_BYTES (4 << 20)
#define CALIBRATION_ROUNDS 20
#define CALIBRATION_STEPS 200000

static double
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Work as drawing does it: arithmetic, and stores streaming through a
 * buffer larger than the core's caches. */
static guint64
spin (guint8  *buffer,
      guint64  steps)
{
  static gsize offset;
  guint64 acc = 0;

  for (guint64 i = 0; i < steps; i++)
    {
      acc = acc * 6364136223846793005ull + i;
      buffer[offset] = (guint8) acc;
      offset = (offset + 64) % BUFFER_BYTES;
    }
  return acc;
}

/* Steps per µs of the quiet machine: the fastest of several rounds. */
static double
calibrate (guint8 *buffer)
{
  double best = INFINITY;

  for (guint i = 0; i < CALIBRATION_ROUNDS; i++)
    {
      double t0 = thread_cpu_us ();

      spin (buffer, CALIBRATION_STEPS);
      best = MIN (best, thread_cpu_us () - t0);
    }
  return CALIBRATION_STEPS / MAX (best, 1.0);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

void
bench_noise_replay (const double *work_us,
                    guint         n_frames,
                    double        budget_us,
                    BenchNoise   *out)
{
  g_autofree guint8 *buffer = g_malloc0 (BUFFER_BYTES);
  g_autofree double *sorted = g_memdup2 (work_us, n_frames * sizeof (double));
  g_autofree double *took = g_new (double, n_frames);
  volatile guint64 sink = 0;
  double rate = calibrate (buffer);
  double clip;
  gint64 tick;

  g_return_if_fail (n_frames > 0);
  qsort (sorted, n_frames, sizeof (double), cmp_double);
  clip = sorted[(guint) (n_frames * 0.9)];
  out->over = 0;
  tick = g_get_monotonic_time ();
  for (guint i = 0; i < n_frames; i++)
    {
      double t0 = thread_cpu_us ();
      gint64 wait;

      sink += spin (buffer, (guint64) (MIN (work_us[i], clip) * rate));
      took[i] = thread_cpu_us () - t0;
      if (took[i] > budget_us)
        out->over++;
      tick += FRAME_US;
      wait = tick - g_get_monotonic_time ();
      if (wait > 0)
        g_usleep (wait);
      else
        tick = g_get_monotonic_time ();
    }
  qsort (took, n_frames, sizeof (double), cmp_double);
  out->p50_us = took[n_frames / 2];
  out->max_us = took[n_frames - 1];
  (void) sink;
}
