/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine-private.h"

G_BEGIN_DECLS

gboolean va_workload_fragment (VaMachine *m,
                               guint64    seed,
                               guint64    ops,
                               GError   **error);

/* One step of a random alloc/free mix; used by the workload and by tests. */
typedef struct {
  guint32 allocs, frees, failures;
} VaWorkloadStats;

void     va_workload_step     (VaMachine       *m,
                               VaRng           *rng,
                               VaWorkloadStats *stats);

G_END_DECLS
