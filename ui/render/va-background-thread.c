/* SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE /* SCHED_IDLE, getloadavg() */
#define G_LOG_DOMAIN "va-render"

#include "va-background-thread.h"

#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
  GThreadFunc func;
  gpointer    data;
} Start;

/* Whether a core is likely to be free: the last minute's load average
 * below the number of cores less one.  On a machine kept busy (a build on
 * every core) an idle-class thread would get almost no time while the
 * main thread waits for it, so there the threads stay ordinary. */
static gboolean
cores_to_spare (void)
{
  static gsize once;
  static gboolean spare;

  if (g_once_init_enter (&once))
    {
      double load;

      spare = getloadavg (&load, 1) == 1 && load < g_get_num_processors () - 1 + 0.5;
      g_once_init_leave (&once, 1);
    }
  return spare;
}

static gpointer
background_start (gpointer data)
{
  Start start = *(Start *) data;

  g_free (data);
#ifdef SCHED_IDLE
  if (cores_to_spare ())
    {
      struct sched_param param = { 0 };

      /* Failing leaves an ordinary thread: a slower start, nothing worse. */
      (void) sched_setscheduler (0, SCHED_IDLE, &param);
    }
#endif
  return start.func (start.data);
}

GThread *
va_background_thread_new (const char  *name,
                          GThreadFunc  func,
                          gpointer     data)
{
  Start *start;

  g_return_val_if_fail (func != NULL, NULL);

  start = g_new (Start, 1);
  *start = (Start) { func, data };
  return g_thread_new (name, background_start, start);
}

typedef struct {
  volatile guint8 *mem;
  gsize            len;
} Touch;

static gpointer
touch_pages (gpointer data)
{
  Touch touch = *(Touch *) data;
  gsize page = (gsize) sysconf (_SC_PAGESIZE);

  g_free (data);
  for (gsize off = 0; off < touch.len; off += page)
    touch.mem[off] = 0;
  if (touch.len > 0)
    touch.mem[touch.len - 1] = 0;
  return NULL;
}

GThread *
va_background_touch (gpointer mem,
                     gsize    len)
{
  Touch *touch;

  g_return_val_if_fail (mem != NULL || len == 0, NULL);

  touch = g_new (Touch, 1);
  *touch = (Touch) { mem, len };
  return va_background_thread_new ("vmatlas-touch", touch_pages, touch);
}
