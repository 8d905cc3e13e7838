/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the machine alone does to frames' CPU time (see bench-noise.c). */
typedef struct {
  guint  over;          /* frames over the budget */
  double p50_us;
  double max_us;
} BenchNoise;

void bench_noise_replay (const double *work_us,
                         guint         n_frames,
                         double        budget_us,
                         BenchNoise   *out);

G_END_DECLS
