/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-timeline"

#include "va-timeline.h"

#include <glib/gi18n.h>

#define PAD 10.0

struct _VaTimeline
{
  GtkDrawingArea  parent_instance;
  VaSession      *session;
  guint           dragging : 1;
};

enum {
  SEEK,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VaTimeline, va_timeline, GTK_TYPE_DRAWING_AREA)

/* Position p (0 = booted, n = all ops run) sits at x_for (p). */
static double
x_for (VaTimeline *self,
       guint       position,
       guint       n)
{
  double w = gtk_widget_get_allocated_width (GTK_WIDGET (self)) - 2 * PAD;

  return PAD + (n ? w * position / n : 0);
}

guint
va_timeline_position_at (VaTimeline *self,
                         double      x)
{
  guint n;
  double w, p;

  g_return_val_if_fail (VA_IS_TIMELINE (self), 0);
  n = self->session ? va_session_get_n_ops (self->session) : 0;
  w = gtk_widget_get_allocated_width (GTK_WIDGET (self)) - 2 * PAD;
  if (n == 0 || w <= 0)
    return 0;
  p = (x - PAD) / w * n + 0.5;
  return (guint) CLAMP (p, 0, n);
}

static gboolean
va_timeline_draw (GtkWidget *widget,
                  cairo_t   *cr)
{
  VaTimeline *self = VA_TIMELINE (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  double mid = height / 2.0;
  guint n, pos;
  GdkRGBA fg;

  gtk_render_background (style, cr, 0, 0, width, height);
  if (self->session == NULL)
    return FALSE;
  n = va_session_get_n_ops (self->session);
  pos = va_session_get_position (self->session);
  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &fg);

  /* The track, the part already run darker. */
  cairo_set_line_width (cr, 4);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.2);
  cairo_move_to (cr, PAD, mid);
  cairo_line_to (cr, width - PAD, mid);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
  cairo_move_to (cr, PAD, mid);
  cairo_line_to (cr, x_for (self, pos, n), mid);
  cairo_stroke (cr);

  /* One marker per op; failed ops red and taller.  One path per colour:
   * a stroke per marker costs a frame thousands of strokes on a long
   * history. */
  cairo_set_line_width (cr, 2);
  for (int kind = 0; kind < 3; kind++)
    {
      for (guint i = 0; i < n; i++)
        {
          gboolean failed = va_session_op_failed (self->session, i);
          double x = x_for (self, i + 1, n);
          double r = failed ? mid - 3 : mid / 2;

          if ((failed ? 0 : i < pos ? 1 : 2) != kind)
            continue;
          cairo_move_to (cr, x, mid - r);
          cairo_line_to (cr, x, mid + r);
        }
      if (kind == 0)
        cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
      else if (kind == 1)
        cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      else
        cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.45);
      cairo_stroke (cr);
    }

  /* The cursor. */
  cairo_arc (cr, x_for (self, pos, n), mid, 6, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  cairo_stroke (cr);
  return FALSE;
}

static void
seek_to (VaTimeline *self,
         double      x)
{
  guint position = va_timeline_position_at (self, x);

  if (self->session && position != va_session_get_position (self->session))
    g_signal_emit (self, signals[SEEK], 0, position);
}

static gboolean
va_timeline_button_press_event (GtkWidget      *widget,
                                GdkEventButton *event)
{
  VaTimeline *self = VA_TIMELINE (widget);

  if (event->button != GDK_BUTTON_PRIMARY)
    return FALSE;
  self->dragging = TRUE;
  seek_to (self, event->x);
  return TRUE;
}

static gboolean
va_timeline_motion_notify_event (GtkWidget      *widget,
                                 GdkEventMotion *event)
{
  VaTimeline *self = VA_TIMELINE (widget);

  if (self->dragging)
    seek_to (self, event->x);
  return FALSE;
}

static gboolean
va_timeline_button_release_event (GtkWidget      *widget,
                                  GdkEventButton *event)
{
  VA_TIMELINE (widget)->dragging = FALSE;
  return FALSE;
}

static gboolean
va_timeline_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard,
                           GtkTooltip *tooltip)
{
  VaTimeline *self = VA_TIMELINE (widget);
  guint p = va_timeline_position_at (self, x);
  g_autofree char *op = NULL;
  g_autofree char *text = NULL;

  if (self->session == NULL || p == 0)
    {
      gtk_tooltip_set_text (tooltip, _("Freshly booted machine"));
      return TRUE;
    }
  op = va_session_op_text (self->session, p - 1);
  text = g_strdup_printf (va_session_op_failed (self->session, p - 1) ? _("Op %u: %s (fails)") : _("Op %u: %s"),
                          p, op);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
session_changed_cb (VaTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
va_timeline_set_session (VaTimeline *self,
                         VaSession  *session)
{
  g_return_if_fail (VA_IS_TIMELINE (self));
  if (va_session_bind (&self->session, session, G_CALLBACK (session_changed_cb), self))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
va_timeline_destroy (GtkWidget *widget)
{
  VaTimeline *self = VA_TIMELINE (widget);

  va_session_bind (&self->session, NULL, NULL, self);
  GTK_WIDGET_CLASS (va_timeline_parent_class)->destroy (widget);
}

static void
va_timeline_class_init (VaTimelineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->destroy = va_timeline_destroy;
  widget_class->draw = va_timeline_draw;
  widget_class->button_press_event = va_timeline_button_press_event;
  widget_class->button_release_event = va_timeline_button_release_event;
  widget_class->motion_notify_event = va_timeline_motion_notify_event;
  widget_class->query_tooltip = va_timeline_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "vatimeline");
  signals[SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
va_timeline_init (VaTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_add_events (widget, GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK |
                                 GDK_BUTTON1_MOTION_MASK);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_size_request (widget, 200, 28);
}

GtkWidget *
va_timeline_new (void)
{
  return g_object_new (VA_TYPE_TIMELINE, NULL);
}
