/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A GThread for work done ahead of the main thread (start-up preloads, a
 * raster for the next frame).  It runs in the idle scheduling class
 * (SCHED_IDLE) when the machine has a core to spare, so it never takes a
 * core from the main thread, the X server or the session bus daemon, whose
 * replies the main thread waits for; Linux then also counts its core as
 * free when it places their wake-ups.  On a loaded machine it is an
 * ordinary thread.  Joined as any GThread. */
GThread *va_background_thread_new (const char  *name,
                                   GThreadFunc  func,
                                   gpointer     data);

/* Writes a byte of every page of @mem on a background thread, so that
 * the main thread's first writes there find the pages mapped: a page's
 * first touch costs a fault, about 10 µs on the virtual machines this was
 * measured on (1 MiB: 2.5 ms touched where it is used, 0.01-0.06 ms once
 * another thread touched it).  For scratch memory only: what was there is
 * lost.  Join the thread before using @mem. */
GThread *va_background_touch      (gpointer     mem,
                                   gsize        len);

G_END_DECLS
