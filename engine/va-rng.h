/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A tiny deterministic generator (splitmix64): its whole state is one
 * integer, so snapshots and replays reproduce it exactly on any platform. */
typedef struct {
  guint64 state;
} VaRng;

static inline void
va_rng_init (VaRng   *rng,
             guint64  seed)
{
  rng->state = seed;
}

static inline guint64
va_rng_next (VaRng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Uniform in [0, bound). */
static inline guint32
va_rng_below (VaRng   *rng,
              guint32  bound)
{
  return (guint32) (((va_rng_next (rng) >> 32) * (guint64) bound) >> 32);
}

G_END_DECLS
