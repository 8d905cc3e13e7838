/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-freelist-panel"

#include "va-freelist-panel.h"

#include "va-freelist-view.h"
#include "va-surface-cache.h"

#include <math.h>

/* A block in flight: drawn from @from to @to while the event's progress
 * runs through [t0, t1], not at all outside it. */
typedef struct {
  guint32 pfn;
  guint   order;
  guint   mt;
  VaRect  from, to;
  double  t0, t1;
} Sprite;

#define MAX_SPRITES 3

struct _VaFreelistPanel
{
  GtkDrawingArea         parent_instance;

  VaSession             *session;
  const VaRenderOptions *options;

  /* The picture of the lists at the op's end, repainted only when dirty. */
  VaSurfaceCache         cache;

  /* The animation: copies of the free-list events still to play. */
  GArray                *queue;
  guint                  index;
  gint64                 step_us;
  gint64                 step_start;    /* frame time the current event began; 0: next frame */
  double                 progress;      /* of the current event, eased, 0..1 */
  guint                  tick_id;
  Sprite                 sprites[MAX_SPRITES];
  guint                  n_sprites;
  GdkRectangle           damage;        /* where the sprites were last drawn */
  guint                  frames;
};

G_DEFINE_FINAL_TYPE (VaFreelistPanel, va_freelist_panel, GTK_TYPE_DRAWING_AREA)

static VaMachine *
machine (VaFreelistPanel *self)
{
  return self->session && self->options ? va_session_get_machine (self->session) : NULL;
}

static VaRect
view_rect (VaFreelistPanel *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  return (VaRect) { 0, 0, gtk_widget_get_allocated_width (widget),
                    gtk_widget_get_allocated_height (widget) };
}

/* ------------------------------------------------------------------ */
/* Where blocks fly                                                     */

static gboolean
is_freelist_event (const VaEvent *ev)
{
  switch (ev->type)
    {
    case VA_EV_LIST_DEL:
    case VA_EV_LIST_ADD_HEAD:
    case VA_EV_LIST_ADD_TAIL:
    case VA_EV_SPLIT:
    case VA_EV_MERGE:
    case VA_EV_PCP_TAKE:
    case VA_EV_PCP_ADD:
      return TRUE;
    default:
      return FALSE;
    }
}

static VaRect
shifted (VaRect r,
         double dx,
         double dy)
{
  r.x += dx;
  r.y += dy;
  return r;
}

/* Places of row @order of zone @zone: its head box, the box after its
 * tail, the "hand" above the head where a block taken off waits, and the
 * spot beside it where a half about to go on the list waits. */
typedef struct {
  VaRect head, tail, hand, drop;
} Row;

static gboolean
row_places (VaFreelistPanel *self,
            VaMachine       *m,
            guint            zone,
            guint            order,
            Row             *row)
{
  VaRect rect = view_rect (self);

  if (order >= m->profile->max_order ||
      !va_freelist_view_row (m, &rect, self->options, zone, order, &row->head, &row->tail))
    return FALSE;
  row->hand = shifted (row->head, 0, -0.6 * row->head.height);
  row->drop = shifted (row->hand, row->head.width + 8, 0);
  return TRUE;
}

/* The zone's per-cpu list, drawn as a spot at the right end of its
 * header line. */
static VaRect
pcp_spot (VaFreelistPanel *self,
          const Row       *row0)
{
  VaRect r = row0->head;

  r.x = gtk_widget_get_allocated_width (GTK_WIDGET (self)) - r.width - 16;
  r.y -= r.height + 4;
  return r;
}

static void
add_sprite (VaFreelistPanel *self,
            guint32          pfn,
            guint            order,
            guint            mt,
            const VaRect    *from,
            const VaRect    *to,
            double           t0,
            double           t1)
{
  g_assert (self->n_sprites < MAX_SPRITES);
  self->sprites[self->n_sprites++] = (Sprite) { pfn, order, mt, *from, *to, t0, t1 };
}

/* The blocks of @ev in flight, from the places of its rows.  A split: the
 * block (lifted off order+1) shows, then its halves go down to order's
 * row, the kept half to the hand, the other beside it, from where
 * list-add drops it in.  A merge: the block and its buddy meet in the
 * hand and rise as one to order+1. */
static void
plan_sprites (VaFreelistPanel *self,
              const VaEvent   *ev)
{
  VaMachine *m = machine (self);
  Row row, up, row0;
  VaRect spot;

  self->n_sprites = 0;
  if (m == NULL || !row_places (self, m, ev->zone, ev->order, &row))
    return;
  switch (ev->type)
    {
    case VA_EV_LIST_DEL:
      add_sprite (self, ev->pfn, ev->order, ev->mt, &row.head, &row.hand, 0, 1);
      break;
    case VA_EV_LIST_ADD_HEAD:
      add_sprite (self, ev->pfn, ev->order, ev->mt, &row.drop, &row.head, 0, 1);
      break;
    case VA_EV_LIST_ADD_TAIL:
      spot = shifted (row.tail, 0, -0.6 * row.tail.height);
      add_sprite (self, ev->pfn, ev->order, ev->mt, &spot, &row.tail, 0, 1);
      break;
    case VA_EV_SPLIT:
      if (!row_places (self, m, ev->zone, ev->order + 1, &up))
        return;
      add_sprite (self, ev->pfn, ev->order + 1, ev->mt, &up.hand, &up.hand, 0, 0.3);
      add_sprite (self, ev->v[0], ev->order, ev->mt, &up.hand, &row.hand, 0.3, 1);
      add_sprite (self, ev->pfn2, ev->order, ev->mt, &up.hand, &row.drop, 0.3, 1);
      break;
    case VA_EV_MERGE:
      if (!row_places (self, m, ev->zone, ev->order + 1, &up))
        return;
      add_sprite (self, ev->pfn, ev->order, ev->mt, &row.hand, &row.hand, 0, 0.5);
      add_sprite (self, ev->pfn2, ev->order, ev->mt, &row.head, &row.hand, 0, 0.5);
      add_sprite (self, MIN (ev->pfn, ev->pfn2), ev->order + 1, ev->mt, &row.hand, &up.hand, 0.5, 1);
      break;
    case VA_EV_PCP_TAKE:
    case VA_EV_PCP_ADD:
      if (!row_places (self, m, ev->zone, 0, &row0))
        return;
      spot = pcp_spot (self, &row0);
      if (ev->type == VA_EV_PCP_TAKE)
        add_sprite (self, ev->pfn, ev->order, ev->mt, &spot, &row.hand, 0, 1);
      else
        add_sprite (self, ev->pfn, ev->order, ev->mt, &row.hand, &spot, 0, 1);
      break;
    default:
      break;
    }
}

/* Where sprite @s is at the current progress; FALSE when not shown. */
static gboolean
sprite_box (VaFreelistPanel *self,
            const Sprite    *s,
            VaRect          *box)
{
  double t = s->t1 > s->t0 ? (self->progress - s->t0) / (s->t1 - s->t0) : 0;

  if (self->progress < s->t0 || self->progress > s->t1)
    return FALSE;
  t = CLAMP (t, 0, 1);
  *box = s->from;
  box->x += (s->to.x - s->from.x) * t;
  box->y += (s->to.y - s->from.y) * t;
  return TRUE;
}

/* Redraws only where the sprites were and are now (with their shadow):
 * a frame of the animation then blits a few boxes' worth of the lists,
 * not the whole panel. */
static void
queue_sprites_draw (VaFreelistPanel *self)
{
  GdkRectangle now = { 0, 0, 0, 0 }, both;

  for (guint i = 0; i < self->n_sprites; i++)
    {
      VaRect box;
      GdkRectangle r;

      if (!sprite_box (self, &self->sprites[i], &box))
        continue;
      r = (GdkRectangle) { (int) floor (box.x) - 2, (int) floor (box.y) - 2,
                           (int) ceil (box.width) + 6, (int) ceil (box.height) + 6 };
      if (now.width == 0)
        now = r;
      else
        gdk_rectangle_union (&now, &r, &now);
    }
  both = self->damage;
  if (both.width == 0)
    both = now;
  else if (now.width)
    gdk_rectangle_union (&both, &now, &both);
  if (both.width)
    gtk_widget_queue_draw_area (GTK_WIDGET (self), both.x, both.y, both.width, both.height);
  self->damage = now;
}

/* ------------------------------------------------------------------ */
/* Playing                                                              */

static double
ease_in_out_cubic (double t)
{
  return t < 0.5 ? 4 * t * t * t : 1 - pow (-2 * t + 2, 3) / 2;
}

void
va_freelist_panel_stop (VaFreelistPanel *self)
{
  g_return_if_fail (VA_IS_FREELIST_PANEL (self));
  if (self->tick_id)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  g_array_set_size (self->queue, 0);
  self->index = 0;
  self->n_sprites = 0;
  queue_sprites_draw (self);
}

/* Moves to event @index of the queue (past the end: done). */
static gboolean
begin_event (VaFreelistPanel *self,
             guint            index)
{
  self->index = index;
  self->progress = 0;
  if (index >= self->queue->len)
    {
      va_freelist_panel_stop (self);
      return FALSE;
    }
  plan_sprites (self, &g_array_index (self->queue, VaEvent, index));
  return TRUE;
}

/* Only the progress is worked out here (and the sprites' places once per
 * event); draw blits the lists and paints a few boxes. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  VaFreelistPanel *self = VA_FREELIST_PANEL (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  guint index = self->index;

  if (self->step_start == 0)
    self->step_start = now;
  while (now - self->step_start >= self->step_us)
    {
      self->step_start += self->step_us;
      index++;
    }
  if (index != self->index && !begin_event (self, index))
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  self->progress = ease_in_out_cubic ((double) (now - self->step_start) / self->step_us);
  queue_sprites_draw (self);
  return G_SOURCE_CONTINUE;
}

gboolean
va_freelist_panel_animate (VaFreelistPanel      *self,
                           const VaEvent *const *events,
                           guint                 n,
                           gint64                step_us,
                           gint64                max_total_us)
{
  g_return_val_if_fail (VA_IS_FREELIST_PANEL (self), FALSE);
  g_return_val_if_fail (events != NULL || n == 0, FALSE);
  g_return_val_if_fail (step_us > 0 && max_total_us > 0, FALSE);

  va_freelist_panel_stop (self);
  /* Nobody would see it: no work on the main thread either. */
  if (machine (self) == NULL || !gtk_widget_is_drawable (GTK_WIDGET (self)))
    return FALSE;
  for (guint i = 0; i < n && self->queue->len <= VA_FREELIST_PANEL_MAX_EVENTS; i++)
    if (is_freelist_event (events[i]))
      g_array_append_val (self->queue, *events[i]);
  if (self->queue->len == 0 || self->queue->len > VA_FREELIST_PANEL_MAX_EVENTS)
    {
      g_array_set_size (self->queue, 0);
      return FALSE;
    }
  self->step_us = MAX (MIN (step_us, max_total_us / self->queue->len), 1);
  self->step_start = 0;
  begin_event (self, 0);
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  return TRUE;
}

gboolean
va_freelist_panel_is_animating (VaFreelistPanel *self)
{
  g_return_val_if_fail (VA_IS_FREELIST_PANEL (self), FALSE);
  return self->tick_id != 0;
}

const VaEvent *
va_freelist_panel_get_event (VaFreelistPanel *self)
{
  g_return_val_if_fail (VA_IS_FREELIST_PANEL (self), NULL);
  return self->tick_id && self->index < self->queue->len
         ? &g_array_index (self->queue, VaEvent, self->index) : NULL;
}

guint
va_freelist_panel_get_n_frames (VaFreelistPanel *self)
{
  g_return_val_if_fail (VA_IS_FREELIST_PANEL (self), 0);
  return self->frames;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

static void
invalidate (VaFreelistPanel *self)
{
  va_surface_cache_dirty (&self->cache);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ensure_surface (VaFreelistPanel *self,
                VaMachine       *m)
{
  cairo_t *cr = va_surface_cache_begin (&self->cache, GTK_WIDGET (self));
  VaRect rect = view_rect (self);

  if (cr == NULL)
    return;
  va_render_set_color (cr, self->options->palette, VA_COLOR_BACKGROUND);
  cairo_paint (cr);
  va_freelist_view_draw (cr, m, &rect, self->options);
  cairo_destroy (cr);
}

static void
draw_sprites (VaFreelistPanel *self,
              VaMachine       *m,
              cairo_t         *cr)
{
  VaRect rect = view_rect (self);

  for (guint i = 0; i < self->n_sprites; i++)
    {
      const Sprite *s = &self->sprites[i];
      VaRect box;

      if (!sprite_box (self, s, &box))
        continue;
      /* A shadow under the block in flight, so it reads as lifted. */
      cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
      cairo_rectangle (cr, box.x + 2, box.y + 2, box.width, box.height);
      cairo_fill (cr);
      va_freelist_view_draw_block (cr, m, &rect, self->options, &box, s->pfn, s->order, s->mt);
    }
}

static gboolean
va_freelist_panel_draw (GtkWidget *widget,
                        cairo_t   *cr)
{
  VaFreelistPanel *self = VA_FREELIST_PANEL (widget);
  VaMachine *m = machine (self);

  if (m == NULL)
    return FALSE;
  ensure_surface (self, m);
  cairo_set_source_surface (cr, va_surface_cache_get (&self->cache), 0, 0);
  cairo_paint (cr);
  if (self->tick_id)
    {
      draw_sprites (self, m, cr);
      self->frames++;
    }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Size: as tall as the lists at the width given                        */

static GtkSizeRequestMode
va_freelist_panel_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
va_freelist_panel_get_preferred_width (GtkWidget *widget,
                                       int       *minimum,
                                       int       *natural)
{
  *minimum = 200;
  *natural = 360;
}

/* Whether a parent hides @widget as a GtkStack hides its other pages
 * (child-visible off), so that it is neither drawn nor scrolled. */
static gboolean
hidden_by_parent (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_child_visible (w))
      return TRUE;
  return FALSE;
}

static void
va_freelist_panel_get_preferred_height_for_width (GtkWidget *widget,
                                                  int        width,
                                                  int       *minimum,
                                                  int       *natural)
{
  VaFreelistPanel *self = VA_FREELIST_PANEL (widget);
  VaMachine *m = machine (self);

  /* The height is the layout of every chain (9 M instructions for the
   * tour): not for a page of the side panel nobody sees.  Its map asks
   * again (resize_if_height_changed()). */
  if (m == NULL || hidden_by_parent (widget))
    *minimum = *natural = 1;
  else
    *minimum = *natural = (int) ceil (va_freelist_view_height (m, width, self->options));
}

static void
va_freelist_panel_get_preferred_height (GtkWidget *widget,
                                        int       *minimum,
                                        int       *natural)
{
  va_freelist_panel_get_preferred_height_for_width (widget, 360, minimum, natural);
}

static void
va_freelist_panel_size_allocate (GtkWidget     *widget,
                                 GtkAllocation *alloc)
{
  VaFreelistPanel *self = VA_FREELIST_PANEL (widget);
  int old_w = gtk_widget_get_allocated_width (widget);
  int old_h = gtk_widget_get_allocated_height (widget);

  GTK_WIDGET_CLASS (va_freelist_panel_parent_class)->size_allocate (widget, alloc);
  if (old_w != alloc->width || old_h != alloc->height)
    {
      va_surface_cache_clear (&self->cache);
      va_freelist_panel_stop (self);
    }
}

/* ------------------------------------------------------------------ */
/* Session                                                              */

/* A new resize only when the lists' height at the allocated width
 * differs: every resize lays the whole window out again.  Only while
 * shown: a panel on the side panel's other page keeps a stale
 * allocation, and is checked again when it is mapped. */
static void
resize_if_height_changed (VaFreelistPanel *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  VaMachine *m = machine (self);

  if (m && gtk_widget_get_mapped (widget) &&
      gtk_widget_get_allocated_height (widget) !=
      (int) ceil (va_freelist_view_height (m, gtk_widget_get_allocated_width (widget), self->options)))
    gtk_widget_queue_resize (widget);
}

/* A new op, seek or machine: the lists are redrawn, a running animation
 * (of the op before) ends.  The height only changes with the machine. */
static void
session_changed_cb (VaFreelistPanel *self)
{
  va_freelist_panel_stop (self);
  invalidate (self);
  resize_if_height_changed (self);
}

/* Shown again (its page of the side panel): the ops it missed may have
 * changed its height. */
static void
va_freelist_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (va_freelist_panel_parent_class)->map (widget);
  resize_if_height_changed (VA_FREELIST_PANEL (widget));
}

void
va_freelist_panel_set_session (VaFreelistPanel *self,
                               VaSession       *session)
{
  g_return_if_fail (VA_IS_FREELIST_PANEL (self));
  if (!va_session_bind (&self->session, session, G_CALLBACK (session_changed_cb), self))
    return;
  va_freelist_panel_stop (self);
  invalidate (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
va_freelist_panel_set_options (VaFreelistPanel       *self,
                               const VaRenderOptions *options)
{
  g_return_if_fail (VA_IS_FREELIST_PANEL (self));
  self->options = options;
  invalidate (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */

static void
va_freelist_panel_destroy (GtkWidget *widget)
{
  VaFreelistPanel *self = VA_FREELIST_PANEL (widget);

  if (self->tick_id)
    gtk_widget_remove_tick_callback (widget, self->tick_id);
  self->tick_id = 0;
  va_session_bind (&self->session, NULL, NULL, self);
  va_surface_cache_clear (&self->cache);
  GTK_WIDGET_CLASS (va_freelist_panel_parent_class)->destroy (widget);
}

static void
va_freelist_panel_finalize (GObject *object)
{
  VaFreelistPanel *self = VA_FREELIST_PANEL (object);

  g_clear_pointer (&self->queue, g_array_unref);
  G_OBJECT_CLASS (va_freelist_panel_parent_class)->finalize (object);
}

static void
va_freelist_panel_class_init (VaFreelistPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = va_freelist_panel_finalize;
  widget_class->destroy = va_freelist_panel_destroy;
  widget_class->draw = va_freelist_panel_draw;
  widget_class->size_allocate = va_freelist_panel_size_allocate;
  widget_class->map = va_freelist_panel_map;
  widget_class->get_request_mode = va_freelist_panel_get_request_mode;
  widget_class->get_preferred_width = va_freelist_panel_get_preferred_width;
  widget_class->get_preferred_height = va_freelist_panel_get_preferred_height;
  widget_class->get_preferred_height_for_width = va_freelist_panel_get_preferred_height_for_width;
  gtk_widget_class_set_css_name (widget_class, "vafreelistpanel");
}

static void
va_freelist_panel_init (VaFreelistPanel *self)
{
  self->queue = g_array_new (FALSE, FALSE, sizeof (VaEvent));
}

GtkWidget *
va_freelist_panel_new (void)
{
  return g_object_new (VA_TYPE_FREELIST_PANEL, NULL);
}
