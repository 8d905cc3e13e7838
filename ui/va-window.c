/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-window"

#include "va-window.h"

#include "va-application.h"
#include "va-export.h"
#include "va-freelist-panel.h"
#include "va-legend.h"
#include "va-lookup.h"
#include "va-machine-popover.h"
#include "va-timeline.h"

#include <glib/gi18n.h>

#include <math.h>
#include <time.h>
#include <string.h>

/* A frame steps at most this many ops and, after its first, stops once
 * it has spent PLAY_STEP_BUDGET_US on them; what it still owes waits for
 * the next frames, up to MAX_CREDIT_SECONDS of playing.  A late frame
 * (the X server or the machine stalled) then does not make the playback
 * rush, and the frame after it stays within its 8 ms. */
#define MAX_STEPS_PER_FRAME 32
#define PLAY_STEP_BUDGET_US (3 * G_TIME_SPAN_MILLISECOND)
#define MAX_CREDIT_SECONDS 0.25
/* Playing at up to MICRO_MAX_SPEED× shows each op's micro-steps, this many
 * a second at 1×; ops with more of them than MICRO_MAX_EVENTS (workloads)
 * skip the animation and show their end. */
#define MICRO_STEPS_PER_SECOND 12.0
#define MICRO_MAX_SPEED 4.0
#define MICRO_MAX_EVENTS 64
/* A single step (→) plays its op's free-list events at the micro-step
 * rate, all of them within this (at 1×; shorter when faster); Shift+→
 * animates its one event this long. */
#define STEP_ANIMATION_US (3000 * G_TIME_SPAN_MILLISECOND)
#define MICRO_ANIMATION_US (300 * G_TIME_SPAN_MILLISECOND)
/* Playing faster than MICRO_MAX_SPEED× the ops go by faster than anyone
 * reads their text, and every new label text lays the window out and
 * redraws it again (more than half of a frame at 64×): the position,
 * narration and inspector then follow at most this often, and exactly
 * when the playback stops.  The narration and the op's events (up to 25
 * wrapped lines, ~4 ms to lay out) wait for the stop. */
#define FAST_TEXT_INTERVAL_US (250 * G_TIME_SPAN_MILLISECOND)

struct _VaWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children. */
  GtkHeaderBar         *header;
  GtkWidget            *machine_label;
  GtkWidget            *machine_button;
  GtkWidget            *machine_popover;   /* made after the first frame */
  GtkWidget            *play_image;
  GtkWidget            *speed_label;
  GtkWidget            *speed_button;
  GtkWidget            *menu_button;
  GMenuModel           *speed_menu;
  GMenuModel           *primary_menu;
  VaMapCanvas          *canvas;
  GtkWidget            *narration_box;
  GtkWidget            *say_label;
  GtkWidget            *events_box;
  GtkWidget            *events_view;      /* NULL until made (ensure_scrollers()) */
  char                 *events_text;      /* what it shows, as plain text */
  GtkWidget            *side_panel;
  GtkWidget            *op_panel;
  GtkWidget            *freelists_page;
  GtkWidget            *freelist_panel;   /* NULL until made (ensure_freelist_panel()) */
  GtkWidget            *inspector_box;
  GtkWidget            *inspector_label;
  GtkWidget            *timeline;
  GtkWidget            *timeline_box;
  GtkWidget            *position_label;

  VaSession            *session;

  /* Playback on the frame clock. */
  double                speed;          /* ops per second; 0 = instant */
  guint                 tick_id;
  gint64                last_frame;
  double                credit;         /* ops (or micro-steps) owed */

  /* Micro-steps of the current op: its events with words, and which one
   * is shown (1-based); 0 = the op's end, everything done, no mark. */
  GPtrArray            *micro_events;
  guint                 micro;
  /* A migration's micro-step in flight (flight_tick_cb()). */
  guint                 flight_id;
  guint32               flight_to;
  gint64                flight_us;
  gint64                flight_start;

  gboolean              presenting;

  /* The tallest the narration has been, and the size request that holds
   * it (see narration_allocate_cb()). */
  int                   narration_height;
  int                   narration_request;  /* its size request, 0 if none */
  PangoFontDescription *say_font;           /* the say line's, when it reserved its lines */

  /* Fast playback: when the texts were last shown, and whether they
   * are behind the session (see FAST_TEXT_INTERVAL_US). */
  gint64                text_shown;
  gboolean              text_stale;

  /* The machine the popover's Apply asked for, while the dialog asks. */
  VaMachineConfig       pending_config;

  /* Test and benchmark hooks (VMATLAS_EXIT_AFTER_FIRST_FRAME,
   * VMATLAS_BENCH_PLAYBACK): see bench_hooks_realize_cb(). */
  gboolean              exit_after_first_frame;
  gboolean              bench_drawn;        /* the window has been drawn */
  char                 *bench_speed;        /* VMATLAS_BENCH_PLAYBACK's, NULL when off */
  gint64                bench_paint_start;
  gint64                bench_paint_start_cpu;
  gboolean              bench_frame_plays;  /* playing when the frame began */
  guint                 bench_frames;
  gboolean              bench_settled;  /* a frame since finish_startup */
};

G_DEFINE_FINAL_TYPE (VaWindow, va_window, GTK_TYPE_APPLICATION_WINDOW)

static void update_actions_sensitivity (VaWindow *self);
static void hold_narration_height      (VaWindow *self);

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

static void
show_error (VaWindow   *self,
            const char *primary,
            GError     *error)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL |
                                              GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dialog);
}

static void
set_action_enabled (VaWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static GSettings *
settings (VaWindow *self)
{
  GApplication *app = g_application_get_default ();

  return VA_IS_APPLICATION (app) ? va_application_get_settings (VA_APPLICATION (app)) : NULL;
}

VaSession *
va_window_get_session (VaWindow *self)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), NULL);
  return self->session;
}

VaMapCanvas *
va_window_get_canvas (VaWindow *self)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), NULL);
  return self->canvas;
}

VaOpPanel *
va_window_get_op_panel (VaWindow *self)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), NULL);
  return VA_OP_PANEL (self->op_panel);
}

/* A scrolled window that scrolls only up and down. */
static GtkWidget *
vertical_scroller_new (void)
{
  GtkWidget *scroller = gtk_scrolled_window_new (NULL, NULL);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  return scroller;
}

/* The free-list page's panel, made on first use: after the first frame
 * (va_window_finish_startup()) or when a test asks for it. */
static VaFreelistPanel *
ensure_freelist_panel (VaWindow *self)
{
  GtkWidget *scroller;

  if (self->freelist_panel)
    return VA_FREELIST_PANEL (self->freelist_panel);
  scroller = vertical_scroller_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  self->freelist_panel = va_freelist_panel_new ();
  gtk_widget_set_margin_start (self->freelist_panel, 8);
  gtk_widget_set_margin_end (self->freelist_panel, 8);
  va_freelist_panel_set_options (VA_FREELIST_PANEL (self->freelist_panel),
                                 va_map_canvas_get_options (self->canvas));
  va_freelist_panel_set_session (VA_FREELIST_PANEL (self->freelist_panel), self->session);
  gtk_container_add (GTK_CONTAINER (scroller), self->freelist_panel);
  gtk_container_add (GTK_CONTAINER (self->freelists_page), scroller);
  gtk_widget_show_all (scroller);
  return VA_FREELIST_PANEL (self->freelist_panel);
}

/* Puts @child (a new widget, or one @box holds) in a scrolled window of
 * @height pixels of content, in @box, which held its place at that
 * height. */
static void
put_in_scroller (GtkWidget *child,
                 GtkWidget *box,
                 int        height,
                 gboolean   fixed)
{
  GtkWidget *scroller = vertical_scroller_new ();

  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), height);
  if (fixed)
    gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), height);
  g_object_ref_sink (child);
  if (gtk_widget_get_parent (child) == box)
    gtk_container_remove (GTK_CONTAINER (box), child);
  gtk_container_add (GTK_CONTAINER (scroller), child);
  g_object_unref (child);
  gtk_box_pack_start (GTK_BOX (box), scroller, TRUE, TRUE, 0);
  gtk_widget_set_size_request (box, -1, -1);
  gtk_widget_show_all (scroller);
}

/* The op's events: a read-only text view.  A wrapped GtkLabel of a dozen
 * lines there was measured again at every new text, at each width its
 * scrolled window tried, with and without a scrollbar: half of the frame
 * in which playing stops.  A text view lays its lines out once, and
 * only the visible ones before drawing. */
static GtkWidget *
events_view_new (void)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_style_context_add_class (gtk_widget_get_style_context (view), "events");
  gtk_text_buffer_create_tag (buffer, "bold", "weight", PANGO_WEIGHT_BOLD, NULL);
  return view;
}

/* The events view shows @text, its first line in bold when @bold_first. */
static void
show_events_text (VaWindow   *self,
                  const char *text,
                  gboolean    bold_first)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->events_view));
  GtkTextIter start, end;

  gtk_text_buffer_set_text (buffer, text, -1);
  if (!bold_first)
    return;
  gtk_text_buffer_get_start_iter (buffer, &start);
  end = start;
  gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_apply_tag_by_name (buffer, "bold", &start, &end);
}

/* The events and the inspector scroll, but their scrolled windows (each
 * with two scrollbars and their CSS nodes, the inspector's a viewport)
 * cost the first frame ~12 M instructions apiece: until the first frame
 * is out or there is more to show than fits, the events box holds its
 * place empty and the inspector's label sits in a box of the same height. */
static void
ensure_scrollers (VaWindow *self)
{
  if (self->events_view != NULL)
    return;
  self->events_view = events_view_new ();
  put_in_scroller (self->events_view, self->events_box, 84, TRUE);
  if (self->events_text)
    show_events_text (self, self->events_text, FALSE);
  put_in_scroller (self->inspector_label, self->inspector_box, 210, FALSE);
}

/* The op's events as @text, its first line in bold when @bold_first. */
static void
set_events_text (VaWindow   *self,
                 const char *text,
                 gboolean    bold_first)
{
  if (g_strcmp0 (self->events_text, text) == 0)
    return;
  g_free (self->events_text);
  self->events_text = g_strdup (text);
  if (self->events_view != NULL)
    show_events_text (self, text, bold_first);
}

VaFreelistPanel *
va_window_get_freelist_panel (VaWindow *self)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), NULL);
  return ensure_freelist_panel (self);
}

const char *
va_window_get_say_text (VaWindow *self)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->say_label));
}

const char *
va_window_get_events_text (VaWindow *self)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), NULL);
  return self->events_text ? self->events_text : "";
}

const char *
va_window_get_inspector_text (VaWindow *self)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->inspector_label));
}

/* ------------------------------------------------------------------ */
/* Showing the session                                                  */

static void
append_allocation (GString            *s,
                   const VaAllocation *a)
{
  g_autofree char *size = va_format_size (a->size);

  g_string_append_printf (s, "\n\nAllocation “%s”\n", a->name);
  g_string_append_printf (s, "  kind         %s\n", va_alloc_kind_name (a->kind));
  g_string_append_printf (s, "  state        %s\n", va_alloc_state_name (a->state));
  if (a->state == VA_ALLOC_FAILED)
    {
      g_string_append_printf (s, "  why          %s\n", a->reason ? a->reason : "?");
      return;
    }
  g_string_append_printf (s, "  size         %" G_GUINT64_FORMAT " bytes (%s)\n", a->size, size);
  if (a->virt)
    g_string_append_printf (s, "  virtual      0x%08x\n", a->virt);
  else
    g_string_append (s, "  virtual      none (HighMem page: kmap it)\n");
  if (a->kind == VA_ALLOC_VMALLOC && a->nr_pages)
    {
      g_string_append_printf (s, "  pages        %u, frames", a->nr_pages);
      for (guint i = 0; i < a->nr_pages && i < 8; i++)
        g_string_append_printf (s, " %u", a->pfns[i]);
      g_string_append (s, a->nr_pages > 8 ? " …\n" : "\n");
    }
  else
    {
      g_string_append_printf (s, "  pfn          %u (phys 0x%09" G_GINT64_MODIFIER "x)\n", a->pfn,
                              (guint64) a->pfn << VA_PAGE_SHIFT);
      g_string_append_printf (s, "  order        %u (%u pages)\n", a->order, 1u << a->order);
    }
  if (a->kind == VA_ALLOC_KMALLOC && a->size_class)
    g_string_append_printf (s, "  slab         size-%u at pfn %u\n", a->size_class, a->slab_pfn);
  if (a->kind == VA_ALLOC_KMAP)
    g_string_append_printf (s, "  pkmap slot   %d\n", a->pkmap_slot);
  g_string_append_printf (s, "  zone         %s\n", va_zone_name (a->zone));
  g_string_append_printf (s, "  migratetype  %s\n", va_migratetype_name (a->migratetype));
  g_string_append_printf (s, "  pinned       %s\n", a->pinned ? "yes" : "no");
  g_string_append_printf (s, "  made by op   %u\n", a->op_index);
}

/* A label (as the header bar's subtitle) queues a resize, which lays the whole
 * window out again, on every new text, even the same one: only a
 * different one is set. */
static void
set_label_text (GtkWidget  *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) != 0)
    gtk_label_set_text (GTK_LABEL (label), text);
}

static void
update_inspector (VaWindow *self)
{
  VaMachine *m = va_session_get_machine (self->session);
  const char *name = va_map_canvas_get_selection (self->canvas);
  g_autoptr(GString) s = g_string_new (NULL);
  const VaAllocation *a = (m && name) ? va_machine_lookup (m, name) : NULL;
  guint32 addr, pfn;
  gboolean on_addr = m && va_map_canvas_get_selected_addr (self->canvas, &addr);
  gboolean on_frame = m && va_map_canvas_get_selected_pfn (self->canvas, &pfn) && pfn < m->nr_pfns;

  /* an address: what is there, then the frame behind it; a frame: all
   * about it; an allocation picked by name: where it is mapped */
  if (on_addr || (a && a->virt && a->state == VA_ALLOC_LIVE))
    {
      g_autofree char *d = va_lookup_describe (m, on_addr ? addr : a->virt);

      g_string_append (s, d);
    }
  if (on_frame)
    {
      g_autofree char *d = va_lookup_describe_pfn (m, pfn);

      g_string_append_printf (s, "%s%s", s->len ? "\n\n" : "", d);
    }
  if (a)
    append_allocation (s, a);
  if (s->len == 0)
    g_string_append (s, _("Click the map to select an allocation, a page or an address."));
  else
    ensure_scrollers (self);
  set_label_text (self->inspector_label, s->str);
}


static gboolean
playing_fast (VaWindow *self)
{
  return self->tick_id != 0 && self->speed > MICRO_MAX_SPEED;
}

static void
update_narration (VaWindow *self)
{
  guint pos = va_session_get_position (self->session);
  g_autofree char *say = va_session_dup_say (self->session);
  g_autofree char *events = va_session_dup_events_text (self->session);
  g_autoptr(GString) s = g_string_new (NULL);
  const char *failure = va_session_get_failure (self->session);

  if (pos > 0)
    {
      g_autofree char *op = va_session_op_text (self->session, pos - 1);

      if (*say == '\0')
        {
          g_free (say);
          say = g_strdup_printf (_("Op %u: %s"), pos, op);
        }
    }
  else if (*say == '\0')
    {
      g_free (say);
      say = g_strdup (_("Freshly booted. Step (→) to run the first op, or make one in the Operations panel."));
    }
  if (failure)
    g_string_append_printf (s, _("Failed: %s\n"), failure);
  g_string_append (s, events);
  if (s->len > 0 || self->micro > 0)
    ensure_scrollers (self);
  hold_narration_height (self);
  if (playing_fast (self) && self->micro == 0)
    {
      /* The say line too: a new text lays the window out again, a dozen
       * measurements of the wrapped label, each at its own width.  So the
       * say line is left empty and the events' text view (which lays its
       * text out once) says why; the box keeps its height. */
      ensure_scrollers (self);
      set_label_text (self->say_label, "");
      set_events_text (self, _("Playing fast: the narration and the op’s events show when the playback stops."), FALSE);
      gtk_style_context_remove_class (gtk_widget_get_style_context (self->say_label), "error");
      return;
    }
  set_label_text (self->say_label, say);
  if (self->micro > 0 && self->micro_events && self->micro <= self->micro_events->len)
    {
      const VaEvent *ev = g_ptr_array_index (self->micro_events, self->micro - 1);
      VaMachine *m = va_session_get_machine (self->session);
      g_autofree char *line = va_event_describe (ev, m->profile->has_migratetypes);
      g_autofree char *text = g_strdup_printf (_("%s\nmicro-step %u of %u"), line, self->micro,
                                               self->micro_events->len);

      set_events_text (self, text, TRUE);
    }
  else
    set_events_text (self, s->str, FALSE);
  if (failure)
    gtk_style_context_add_class (gtk_widget_get_style_context (self->say_label), "error");
  else
    gtk_style_context_remove_class (gtk_widget_get_style_context (self->say_label), "error");
}

/* The header bar lays itself out again on every new subtitle, even the
 * same one: only a different one is set. */
static void
set_subtitle (VaWindow   *self,
              const char *subtitle)
{
  if (g_strcmp0 (gtk_header_bar_get_subtitle (self->header), subtitle) != 0)
    gtk_header_bar_set_subtitle (self->header, subtitle);
}

/* The op's position, narration and inspector; while playing fast at most
 * every FAST_TEXT_INTERVAL_US, the rest left to flush_text(). */
static void
update_text (VaWindow *self)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *pos = NULL;

  if (playing_fast (self) && now - self->text_shown < FAST_TEXT_INTERVAL_US)
    {
      self->text_stale = TRUE;
      return;
    }
  /* While playing fast the events wait for the stop: flush_text() then. */
  self->text_stale = playing_fast (self);
  self->text_shown = now;
  pos = g_strdup_printf (_("op %u of %u"), va_session_get_position (self->session),
                         va_session_get_n_ops (self->session));
  set_label_text (self->position_label, pos);
  update_narration (self);
  update_inspector (self);
}

/* The playback stopped: the texts of the op it stopped on. */
static void
flush_text (VaWindow *self)
{
  if (self->text_stale)
    update_text (self);
}

static void
update_view (VaWindow *self)
{
  VaMachine *m = va_session_get_machine (self->session);
  const char *title = va_session_get_title (self->session);
  const char *path = va_session_get_path (self->session);
  g_autofree char *base = path ? g_path_get_basename (path) : NULL;

  set_subtitle (self, title ? title : base);
  if (m)
    {
      g_autofree char *ram = va_format_size (m->config.ram_bytes);
      g_autofree char *label = g_strdup_printf ("%s · %s%s", ram, m->config.profile->name,
                                                m->config.pae ? " · PAE" : "");

      set_label_text (self->machine_label, label);
    }
  update_text (self);
  update_actions_sensitivity (self);
}

/* ------------------------------------------------------------------ */
/* Micro-steps                                                          */

/* The frames an event is about, to outline on the physical map. */
static gboolean
event_block (const VaEvent *ev,
             guint32       *pfn,
             guint         *order)
{
  switch (ev->type)
    {
    case VA_EV_LIST_DEL:
    case VA_EV_LIST_ADD_HEAD:
    case VA_EV_LIST_ADD_TAIL:
    case VA_EV_SPLIT:
    case VA_EV_MERGE:
    case VA_EV_STEAL:
    case VA_EV_PCP_TAKE:
    case VA_EV_PCP_ADD:
    case VA_EV_ALLOC_DONE:
    case VA_EV_FREE:
    case VA_EV_SLAB_NEW:
    case VA_EV_SLAB_DISCARD:
    case VA_EV_KMALLOC_LARGE:
    case VA_EV_MIGRATE:
      *pfn = ev->pfn;
      *order = ev->order;
      return TRUE;
    case VA_EV_VMAP_MAP:
    case VA_EV_VMAP_UNMAP:
    case VA_EV_SLAB_OBJECT:
    case VA_EV_SLAB_OBJECT_FREE:
      *pfn = ev->pfn2;
      *order = 0;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Microseconds a micro-step lasts when playing at the current speed. */
static gint64
micro_step_us (VaWindow *self)
{
  return (gint64) (G_USEC_PER_SEC / (MICRO_STEPS_PER_SECOND * MAX (self->speed, 0.25)));
}

/* The free-list panel plays the current op's list events after a single
 * step; at "instant" it shows the end straight away. */
static void
animate_op (VaWindow *self)
{
  /* no panel yet: nothing has shown the lists */
  if (self->speed == 0 || self->micro_events == NULL || self->freelist_panel == NULL)
    return;
  va_freelist_panel_animate (VA_FREELIST_PANEL (self->freelist_panel),
                             (const VaEvent *const *) self->micro_events->pdata,
                             self->micro_events->len, micro_step_us (self),
                             (gint64) (STEP_ANIMATION_US / self->speed));
}

/* A migration's micro-step: the page flies from its old frame to its new
 * one on the physical map, over the micro-step's time. */
static gboolean
flight_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  VaWindow *self = VA_WINDOW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double t;

  if (self->flight_start == 0)
    self->flight_start = now;
  t = (double) (now - self->flight_start) / MAX (self->flight_us, 1);
  va_map_canvas_set_mark_flight (self->canvas, self->flight_to, MIN (t, 1.0));
  if (t < 1.0)
    return G_SOURCE_CONTINUE;
  self->flight_id = 0;
  return G_SOURCE_REMOVE;
}

static void
stop_flight (VaWindow *self)
{
  if (self->flight_id)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->flight_id);
  self->flight_id = 0;
}

static void
start_flight (VaWindow *self,
              guint32   to_pfn,
              gint64    us)
{
  stop_flight (self);
  self->flight_to = to_pfn;
  self->flight_us = us;
  self->flight_start = 0;
  va_map_canvas_set_mark_flight (self->canvas, to_pfn, 0);
  self->flight_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), flight_tick_cb, NULL, NULL);
}

static void
show_micro (VaWindow *self)
{
  VaFreelistPanel *panel = self->freelist_panel ? VA_FREELIST_PANEL (self->freelist_panel) : NULL;
  const VaEvent *ev = NULL;
  guint32 pfn = 0;
  guint order = 0;
  gboolean mark = FALSE;

  if (self->micro > 0)
    {
      gint64 us = self->tick_id ? micro_step_us (self) : MICRO_ANIMATION_US;

      ev = g_ptr_array_index (self->micro_events, self->micro - 1);
      mark = event_block (ev, &pfn, &order);
      if (panel)
        va_freelist_panel_animate (panel, &ev, 1, us, us);
    }
  else if (panel)
    va_freelist_panel_stop (panel);
  stop_flight (self);
  va_map_canvas_set_mark (self->canvas, mark, pfn, order);
  if (ev && ev->type == VA_EV_MIGRATE)
    start_flight (self, ev->pfn2, self->tick_id ? micro_step_us (self) : MICRO_ANIMATION_US);
  update_narration (self);
}

static guint
n_micro (VaWindow *self)
{
  return self->micro_events ? self->micro_events->len : 0;
}

/* One micro-step forward (past the last one: the op's end) or back (from
 * the end: the last one). */
static void
micro_step (VaWindow *self,
            int       direction)
{
  guint n = n_micro (self);

  if (n == 0)
    return;
  if (direction > 0)
    self->micro = (self->micro + 1) % (n + 1);
  else if (self->micro == 0)
    self->micro = n;
  else if (self->micro > 1)
    self->micro--;
  show_micro (self);
}

static void
session_changed_cb (VaWindow *self)
{
  /* A new op (or machine): its events, shown from its end. */
  g_clear_pointer (&self->micro_events, g_ptr_array_unref);
  self->micro_events = va_session_dup_op_events (self->session);
  self->micro = 0;
  stop_flight (self);
  va_map_canvas_set_mark (self->canvas, FALSE, 0, 0);
  update_view (self);
}

static void
selection_changed_cb (VaWindow *self)
{
  update_inspector (self);
  update_actions_sensitivity (self);
}

/* The canvas's keyboard cursor: the inspector shows what it is on, as the
 * tooltip does on hover; without a cursor, the selection again. */
static void
cursor_changed_cb (VaWindow *self)
{
  const char *text = va_map_canvas_get_cursor_text (self->canvas);

  if (text)
    {
      ensure_scrollers (self);
      gtk_label_set_text (GTK_LABEL (self->inspector_label), text);
    }
  else
    update_inspector (self);
}

/* ------------------------------------------------------------------ */
/* Playback                                                             */

static void
set_playing_icon (VaWindow *self,
                  gboolean  playing)
{
  if (self->play_image == NULL)
    return;
  gtk_image_set_from_icon_name (GTK_IMAGE (self->play_image),
                                playing ? "media-playback-pause-symbolic"
                                        : "media-playback-start-symbolic",
                                GTK_ICON_SIZE_BUTTON);
}

static void
stop_playing (VaWindow *self)
{
  if (self->tick_id)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  set_playing_icon (self, FALSE);
  flush_text (self);
}

gboolean
va_window_is_playing (VaWindow *self)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), FALSE);
  return self->tick_id != 0;
}

static gboolean
at_end (VaWindow *self)
{
  return va_session_get_position (self->session) >= va_session_get_n_ops (self->session);
}

/* Steps as many ops as the speed owes since the last frame. */
static gboolean
play_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  VaWindow *self = VA_WINDOW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  gint64 started = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  double seconds = self->last_frame ? (now - self->last_frame) / (double) G_USEC_PER_SEC : 0;

  self->last_frame = now;
  if (self->micro > 0)
    {
      /* The op's micro-steps first; the next op a step's time after its end. */
      self->credit += seconds * self->speed * MICRO_STEPS_PER_SECOND;
      while (self->credit >= 1 && self->micro > 0)
        {
          self->credit -= 1;
          micro_step (self, 1);
        }
      if (self->micro == 0)
        self->credit = 0;
      if (self->micro > 0 || !at_end (self))
        return G_SOURCE_CONTINUE;
    }
  else
    self->credit = MIN (self->credit + seconds * self->speed,
                        MAX (1.0, self->speed * MAX_CREDIT_SECONDS));
  for (int n = 0; self->credit >= 1 && n < MAX_STEPS_PER_FRAME && !at_end (self); n++)
    {
      if (n > 0 && g_get_monotonic_time () - started > PLAY_STEP_BUDGET_US)
        break;
      self->credit -= 1;
      if (!va_session_step_forward (self->session, &error))
        {
          self->tick_id = 0;
          stop_playing (self);
          show_error (self, _("The scenario stopped"), error);
          return G_SOURCE_REMOVE;
        }
      if (self->speed <= MICRO_MAX_SPEED && n_micro (self) > 0 && n_micro (self) <= MICRO_MAX_EVENTS)
        {
          self->credit = 1;     /* the first micro-step right away */
          self->micro = 0;
          micro_step (self, 1);
          return G_SOURCE_CONTINUE;
        }
    }
  if (at_end (self))
    {
      self->tick_id = 0;
      set_playing_icon (self, FALSE);
      flush_text (self);
      update_actions_sensitivity (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_playing (VaWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->speed == 0)
    {
      if (at_end (self) && !va_session_seek (self->session, 0, &error))
        show_error (self, _("Cannot rewind"), error);
      else if (!va_session_seek (self->session, va_session_get_n_ops (self->session), &error))
        show_error (self, _("The scenario stopped"), error);
      return;
    }
  self->credit = 1;     /* the first op right away */
  self->last_frame = 0;
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), play_tick_cb, NULL, NULL);
  set_playing_icon (self, TRUE);
  /* Playing already, so that a rewind's texts are those of playing (fast:
   * the narration waits for the stop) and not the first op's, laid out
   * for one frame.  Shown now, not after FAST_TEXT_INTERVAL_US. */
  self->text_shown = 0;
  if (at_end (self) && !va_session_seek (self->session, 0, &error))
    {
      stop_playing (self);
      show_error (self, _("Cannot rewind"), error);
      return;
    }
  if (self->text_shown == 0)
    update_text (self);
}

/* ------------------------------------------------------------------ */
/* Actions                                                              */

static void
seek (VaWindow *self,
      guint     position)
{
  g_autoptr(GError) error = NULL;

  if (!va_session_seek (self->session, position, &error))
    show_error (self, _("Cannot go to that op"), error);
}

static void
timeline_seek_cb (VaWindow *self,
                  guint     position)
{
  stop_playing (self);
  seek (self, position);
}

/* To the next (or previous) `pause` of the scenario, running the ops
 * before it; one op at a time in a scenario without pauses. */
static void
go_to_pause (VaWindow *self,
             gboolean  forward)
{
  guint pos = va_session_get_position (self->session);
  guint n = va_session_get_n_ops (self->session);
  guint target;

  stop_playing (self);
  if (!va_session_has_pauses (self->session))
    target = forward ? MIN (pos + 1, n) : (pos > 0 ? pos - 1 : 0);
  else if (forward)
    target = va_session_next_pause (self->session, pos);
  else
    target = va_session_prev_pause (self->session, pos);
  if (target != pos)
    seek (self, target);
}

static void
redo_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  VaWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->tick_id)
    {
      stop_playing (self);
      return;
    }
  if (!va_session_step_forward (self->session, &error))
    show_error (self, _("The op was refused"), error);
  else
    animate_op (self);
}

static void
undo_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  VaWindow *self = user_data;
  guint pos = va_session_get_position (self->session);

  stop_playing (self);
  if (pos > 0)
    seek (self, pos - 1);
}

/* → steps one op; in presentation mode it goes to the next pause. */
static void
step_forward_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  VaWindow *self = user_data;

  if (self->presenting && !self->tick_id)
    go_to_pause (self, TRUE);
  else
    redo_action (action, param, user_data);
}

static void
step_back_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  VaWindow *self = user_data;

  if (self->presenting)
    go_to_pause (self, FALSE);
  else
    undo_action (action, param, user_data);
}

static void
next_pause_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  go_to_pause (user_data, TRUE);
}

static void
previous_pause_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  go_to_pause (user_data, FALSE);
}

/* Shift+→ / Shift+←: through the current op's micro-events. */
static void
step_micro_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  stop_playing (user_data);
  micro_step (user_data, 1);
}

static void
step_micro_back_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  stop_playing (user_data);
  micro_step (user_data, -1);
}

static void
first_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  stop_playing (user_data);
  seek (user_data, 0);
}

static void
last_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  VaWindow *self = user_data;

  stop_playing (self);
  seek (self, va_session_get_n_ops (self->session));
}

static void
play_pause_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  VaWindow *self = user_data;

  if (self->tick_id)
    stop_playing (self);
  else
    start_playing (self);
}

static void
speed_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  VaWindow *self = user_data;
  const char *value = g_variant_get_string (param, NULL);
  g_autofree char *label = NULL;
  GSettings *s = settings (self);

  if (g_str_equal (value, "instant"))
    {
      self->speed = 0;
      label = g_strdup (_("Instant"));
    }
  else
    {
      self->speed = CLAMP (g_ascii_strtod (value, NULL), 0.25, 64);
      label = g_strdup_printf ("%g×", self->speed);
    }
  gtk_label_set_text (GTK_LABEL (self->speed_label), label);
  g_simple_action_set_state (action, param);
  if (s)
    g_settings_set_string (s, "speed", value);
  if (self->tick_id && self->speed == 0)
    {
      stop_playing (self);
      start_playing (self);
    }
}

static void
zoom_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  va_map_canvas_zoom (VA_WINDOW (user_data)->canvas, 2.0);
}

static void
zoom_out_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  va_map_canvas_zoom (VA_WINDOW (user_data)->canvas, 0.5);
}

static void
zoom_reset_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  va_map_canvas_zoom_reset (VA_WINDOW (user_data)->canvas);
}

static void
zoom_selection_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  va_map_canvas_zoom_to_selection (VA_WINDOW (user_data)->canvas);
}

/* The narration keeps the tallest height it has had: a shorter text would
 * give the maps its lines back, and every change of the maps' height
 * repaints them whole (a new cell size, the physical map filtered
 * again) and moves them under the eye.  The height is noted here and made
 * the box's minimum with the next text (hold_narration_height()): a size
 * request set while allocating would lay the whole window out a second
 * time, the first frame included (80 M instructions at start-up). */
static void
narration_allocate_cb (GtkWidget     *box,
                       GtkAllocation *alloc,
                       VaWindow      *self)
{
  self->narration_height = MAX (self->narration_height, alloc->height);
}

/* The say line keeps room for SAY_LINES lines of its font from the
 * start (the tour's first text takes four): a longer text later would
 * make the narration grow and the maps shrink, which on a 4 GiB machine
 * makes a new raster and repaints them whole, 10-16 ms of the frame, and
 * moves them under the eye.  Measured again when the font changes
 * (presentation mode). */
#define SAY_LINES 4

static void
reserve_say_lines (VaWindow *self)
{
  const PangoFontDescription *font = pango_context_get_font_description (
    gtk_widget_get_pango_context (self->say_label));
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GString) lines = g_string_new ("Ag");
  int height;

  if (self->say_font && pango_font_description_equal (font, self->say_font))
    return;
  g_clear_pointer (&self->say_font, pango_font_description_free);
  self->say_font = pango_font_description_copy (font);
  for (int i = 1; i < SAY_LINES; i++)
    g_string_append (lines, "\nAg");
  layout = gtk_widget_create_pango_layout (self->say_label, lines->str);
  pango_layout_get_pixel_size (layout, NULL, &height);
  gtk_widget_set_size_request (self->say_label, -1, height);
}

static void
hold_narration_height (VaWindow *self)
{
  reserve_say_lines (self);
  if (self->narration_height <= self->narration_request)
    return;
  self->narration_request = self->narration_height;
  gtk_widget_set_size_request (self->narration_box, -1, self->narration_request);
}

/* Another font size (presentation mode): the narration's height anew. */
static void
reset_narration_height (VaWindow *self)
{
  self->narration_height = 0;
  self->narration_request = 0;
  gtk_widget_set_size_request (self->narration_box, -1, -1);
}

static void
set_presentation (VaWindow *self,
                  gboolean  on)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self));
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "presentation");

  self->presenting = on;
  reset_narration_height (self);
  gtk_widget_set_visible (self->side_panel, !on);
  gtk_widget_set_visible (GTK_WIDGET (self->header), !on);
  if (on)
    {
      gtk_style_context_add_class (style, "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
      gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
    }
  else
    {
      gtk_style_context_remove_class (style, "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (on));
}

static void
presentation_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  VaWindow *self = user_data;

  set_presentation (self, !self->presenting);
}

/* What a new scenario resets in the window, and what the settings remember. */
static void
scenario_opened (VaWindow *self)
{
  GSettings *s;

  va_map_canvas_select (self->canvas, NULL);
  va_map_canvas_zoom_reset (self->canvas);
  if ((s = settings (self)) != NULL)
    {
      g_autofree char *abs = g_canonicalize_filename (va_session_get_path (self->session), NULL);
      g_autofree char *machine = va_machine_config_to_string (&va_session_get_machine (self->session)->config);

      g_settings_set_string (s, "last-scenario", abs);
      g_settings_set_string (s, "last-machine", machine);
    }
}

gboolean
va_window_open_path (VaWindow   *self,
                     const char *path,
                     GError    **error)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), FALSE);
  stop_playing (self);
  if (!va_session_load_file (self->session, path, error))
    return FALSE;
  scenario_opened (self);
  return TRUE;
}

gboolean
va_window_open_load (VaWindow      *self,
                     VaSessionLoad *load,
                     GError       **error)
{
  g_return_val_if_fail (VA_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (load != NULL, FALSE);
  stop_playing (self);
  if (!va_session_install_load (self->session, load, error))
    return FALSE;
  scenario_opened (self);
  return TRUE;
}

static void
open_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  VaWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (path && !va_window_open_path (self, path, &error))
        show_error (self, _("Could not open the scenario"), error);
    }
  g_object_unref (chooser);
}

static void
open_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  VaWindow *self = user_data;
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Open Scenario"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Open"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, "VM Atlas scenarios (*.vms)");
  gtk_file_filter_add_pattern (filter, "*.vms");
  gtk_file_filter_add_mime_type (filter, "text/x-vmatlas-scenario");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  VaWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (path && !va_session_save (self->session, path, &error))
        show_error (self, _("Could not save the session"), error);
    }
  g_object_unref (chooser);
}

static void
save_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  VaWindow *self = user_data;
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Save Session"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                                               _("_Save"), _("_Cancel"));

  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "session.vms");
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
va_window_export (VaWindow   *self,
                  const char *path,
                  GError    **error)
{
  VaMachine *m = va_session_get_machine (self->session);
  const VaRenderOptions *options = va_map_canvas_get_options (self->canvas);
  VaExportFormat format;
  double width, height;

  g_return_val_if_fail (VA_IS_WINDOW (self), FALSE);
  if (m == NULL)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_STATE, _("Nothing to export: no scenario is loaded"));
      return FALSE;
    }
  if (!va_export_format_from_path (path, &format, error))
    return FALSE;
  /* The maps with the selection, zoom and op on screen, at least as wide
   * as the canvas, plus the title block, free lists and legend. */
  va_export_natural_size (m, options, VA_VIEW_ALL, &width, &height);
  width = MAX (width, gtk_widget_get_allocated_width (GTK_WIDGET (self->canvas)));
  return va_export_write (m, options, VA_VIEW_ALL, format, path, width, height,
                          gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                          va_session_get_path (self->session), error);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    VaWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (path && !va_window_export (self, path, &error))
        show_error (self, _("Could not export"), error);
    }
  g_object_unref (chooser);
}

static void
export_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  VaWindow *self = user_data;
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Export Image"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                                               _("_Export"), _("_Cancel"));
  static const char *kinds[][2] = {
    { N_("PNG image (*.png)"), "*.png" },
    { N_("SVG drawing (*.svg)"), "*.svg" },
    { N_("PDF document (*.pdf)"), "*.pdf" },
  };
  g_autofree char *name = g_strdup_printf ("vmatlas-op%u.png", va_session_get_position (self->session));

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(kinds[i][0]));
      gtk_file_filter_add_pattern (filter, kinds[i][1]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* win.export-to('PATH'): the export without the file chooser, for scripts
 * and tests. */
static void
export_to_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  VaWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!va_window_export (self, g_variant_get_string (param, NULL), &error))
    g_warning ("export: %s", error->message);
}

/* The shipped scenarios, by title. */
static void
scenario_row_activated_cb (GtkListBox    *box,
                           GtkListBoxRow *row,
                           VaWindow      *self)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");
  g_autoptr(GError) error = NULL;

  if (!va_window_open_path (self, path, &error))
    show_error (self, _("Could not open the scenario"), error);
  gtk_widget_destroy (gtk_widget_get_toplevel (GTK_WIDGET (box)));
}

static GtkWidget *
scenario_row (const char *path,
              const char *title)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *t = gtk_label_new (title);
  g_autofree char *base = g_path_get_basename (path);
  GtkWidget *f = gtk_label_new (base);

  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_label_set_xalign (GTK_LABEL (f), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (t), "heading");
  gtk_style_context_add_class (gtk_widget_get_style_context (f), "dim-label");
  g_object_set (box, "margin", 8, NULL);
  gtk_container_add (GTK_CONTAINER (box), t);
  gtk_container_add (GTK_CONTAINER (box), f);
  gtk_container_add (GTK_CONTAINER (row), box);
  g_object_set_data_full (G_OBJECT (row), "path", g_strdup (path), g_free);
  return row;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
scenarios_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  VaWindow *self = user_data;
  const char *datadir = va_application_get_datadir ();
  g_autofree char *dir = datadir ? g_build_filename (datadir, "scenarios", NULL) : NULL;
  g_autoptr(GDir) d = dir ? g_dir_open (dir, 0, NULL) : NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *dialog, *scroller, *list;
  const char *name;

  dialog = g_object_new (GTK_TYPE_DIALOG, "use-header-bar", TRUE, "title", _("Scenarios"),
                         "transient-for", self, "modal", TRUE, "default-width", 460,
                         "default-height", 520, NULL);
  scroller = gtk_scrolled_window_new (NULL, NULL);
  gtk_widget_set_vexpand (scroller, TRUE);
  list = gtk_list_box_new ();
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (list), TRUE);
  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".vms"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autoptr(VaScenario) sc = va_scenario_load (path, NULL);
      const char *title = sc ? va_scenario_get_title (sc) : NULL;

      gtk_container_add (GTK_CONTAINER (list), scenario_row (path, title ? title : g_ptr_array_index (names, i)));
    }
  g_signal_connect (list, "row-activated", G_CALLBACK (scenario_row_activated_cb), self);
  gtk_container_add (GTK_CONTAINER (scroller), list);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), scroller);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show_all (dialog);
}

/* ------------------------------------------------------------------ */
/* The machine popover                                                  */

/* The form shows the current machine each time the popover opens. */
static void
machine_popover_show_cb (VaWindow *self)
{
  va_machine_popover_set_machine (VA_MACHINE_POPOVER (self->machine_popover),
                                  va_session_get_machine (self->session),
                                  va_session_get_path (self->session));
}

static void
restart_machine (VaWindow              *self,
                 const VaMachineConfig *config)
{
  g_autoptr(GError) error = NULL;
  gboolean kept = FALSE;
  GSettings *s;

  stop_playing (self);
  if (!va_session_restart (self->session, config, &kept, &error))
    {
      show_error (self, _("Could not start that machine"), error);
      return;
    }
  va_map_canvas_select (self->canvas, NULL);
  va_map_canvas_zoom_reset (self->canvas);
  if (!kept)
    g_debug ("the ops do not apply to the new machine: empty session");
  if ((s = settings (self)) != NULL)
    {
      g_autofree char *machine = va_machine_config_to_string (config);

      g_settings_set_string (s, "last-machine", machine);
    }
}

static void
restart_response_cb (GtkDialog *dialog,
                     int        response,
                     VaWindow  *self)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    restart_machine (self, &self->pending_config);
}

static void
apply_machine_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  VaWindow *self = user_data;
  VaMachine *m = va_session_get_machine (self->session);
  g_autoptr(GError) error = NULL;
  VaMachineConfig config;
  guint n = va_session_get_n_ops (self->session);
  GtkWidget *dialog;

  if (m)
    config = m->config;
  else
    va_machine_config_init (&config);
  /* Refused in the form, with the engine's reason; nothing changes. */
  if (self->machine_popover == NULL ||
      !va_machine_popover_get_config (VA_MACHINE_POPOVER (self->machine_popover), &config, &error))
    return;
  gtk_popover_popdown (GTK_POPOVER (self->machine_popover));
  if (n == 0)
    {
      restart_machine (self, &config);
      return;
    }
  self->pending_config = config;
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Start a fresh machine?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("The %u ops of this session run again from the start on "
                                              "the new machine if they still apply to it; otherwise "
                                              "the history is lost and the session starts empty."), n);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_style_context_add_class (gtk_widget_get_style_context (
                                 gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Start Fresh Machine"),
                                                        GTK_RESPONSE_ACCEPT)),
                               "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect (dialog, "response", G_CALLBACK (restart_response_cb), self);
  gtk_widget_show (dialog);
}

/* Ctrl+?: the shortcuts window, built the first time (tens of ms of
 * GtkBuilder nobody should wait for at start-up). */
static void
show_help_overlay_action (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  VaWindow *self = user_data;

  gtk_window_present (GTK_WINDOW (va_window_ensure_help_overlay (self)));
}

static const GActionEntry win_entries[] = {
  { "show-help-overlay", show_help_overlay_action },
  { "open", open_action },
  { "scenarios", scenarios_action },
  { "save", save_action },
  { "export", export_action },
  { "export-to", export_to_action, "s" },
  { "step-forward", step_forward_action },
  { "step-back", step_back_action },
  { "step-micro", step_micro_action },
  { "step-micro-back", step_micro_back_action },
  { "next-pause", next_pause_action },
  { "previous-pause", previous_pause_action },
  { "undo", undo_action },
  { "redo", redo_action },
  { "first", first_action },
  { "last", last_action },
  { "play-pause", play_pause_action },
  { "speed", speed_action, "s", "'1'" },
  { "presentation", presentation_action, NULL, "false" },
  { "zoom-in", zoom_in_action },
  { "zoom-out", zoom_out_action },
  { "zoom-reset", zoom_reset_action },
  { "zoom-selection", zoom_selection_action },
  { "apply-machine", apply_machine_action },
};

/* Every action's enabled state, from the session, in one place. */
static void
update_actions_sensitivity (VaWindow *self)
{
  guint pos = va_session_get_position (self->session);
  guint n = va_session_get_n_ops (self->session);
  gboolean loaded = va_session_get_machine (self->session) != NULL;

  set_action_enabled (self, "step-back", pos > 0);
  set_action_enabled (self, "undo", pos > 0);
  set_action_enabled (self, "first", pos > 0);
  set_action_enabled (self, "step-forward", pos < n || self->tick_id);
  set_action_enabled (self, "redo", pos < n);
  set_action_enabled (self, "step-micro", n_micro (self) > 0);
  set_action_enabled (self, "step-micro-back", n_micro (self) > 0);
  set_action_enabled (self, "next-pause", pos < n);
  set_action_enabled (self, "previous-pause", pos > 0);
  set_action_enabled (self, "last", pos < n);
  set_action_enabled (self, "play-pause", n > 0);
  set_action_enabled (self, "export", loaded);
  set_action_enabled (self, "export-to", loaded);
  set_action_enabled (self, "save", loaded);
  set_action_enabled (self, "zoom-selection", va_map_canvas_has_selection (self->canvas));
}

/* ------------------------------------------------------------------ */
/* Test and benchmark hooks                                             */

#define BENCH_PLAYBACK_FRAMES 240

static void
bench_quit (VaWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app)
    g_application_quit (G_APPLICATION (app));
  else
    gtk_widget_destroy (GTK_WIDGET (self));
}

/* The main thread's CPU time: a frame's work, without the time another
 * process had the core. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
bench_before_paint_cb (GdkFrameClock *clock,
                       VaWindow      *self)
{
  self->bench_paint_start = g_get_monotonic_time ();
  self->bench_paint_start_cpu = thread_cpu_us ();
  self->bench_frame_plays = self->tick_id != 0;
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      VaWindow      *self)
{
  gint64 now = g_get_monotonic_time ();

  /* A frame clock cycle can end before the X server has exposed the
   * window: the first frame is the first one that drew it. */
  if (self->exit_after_first_frame && self->bench_drawn)
    {
      /* CLOCK_MONOTONIC, comparable with the parent's spawn time. */
      g_print ("VMATLAS_FIRST_FRAME %" G_GINT64_FORMAT "\n", now);
      self->exit_after_first_frame = FALSE;
      bench_quit (self);
      return;
    }
  if (self->bench_speed == NULL)
    return;
  if (self->bench_paint_start && self->bench_frame_plays)
    {
      /* Main-thread work of one frame: from before-paint (the tick that
       * steps the engine, layout) to after-paint (the draw handlers), in
       * wall-clock and in the thread's CPU time.  The frame in which the
       * playback reaches the end and stops counts too: it shows the
       * narration again. */
      g_print ("VMATLAS_FRAME_US %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
               now - self->bench_paint_start, thread_cpu_us () - self->bench_paint_start_cpu);
      if (++self->bench_frames >= BENCH_PLAYBACK_FRAMES)
        {
          g_clear_pointer (&self->bench_speed, g_free);
          stop_playing (self);
          bench_quit (self);
          return;
        }
    }
  /* The first start once the deferred parts have had their frame (see
   * va_window_finish_startup()); at the end of the tour, again. */
  if (!self->tick_id && self->machine_popover != NULL)
    {
      if (self->bench_settled)
        start_playing (self);
      else
        {
          /* one more frame, then the start */
          self->bench_settled = TRUE;
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
    }
}

/* The hooks, read from the environment once, for tests and
 * tests/bench/bench-startup only:
 *   VMATLAS_EXIT_AFTER_FIRST_FRAME=1  print "VMATLAS_FIRST_FRAME <monotonic µs>"
 *                                     after the first painted frame, quit;
 *   VMATLAS_BENCH_PLAYBACK=SPEED      play the scenario at SPEED× (0.25 to
 *                                     64, looping), print
 *                                     "VMATLAS_FRAME_US <µs> <CPU µs>" per
 *                                     frame, quit after 240 frames. */
static gboolean
bench_draw_cb (VaWindow *self,
               cairo_t  *cr)
{
  self->bench_drawn = TRUE;
  return FALSE;
}

static void
bench_hooks_realize_cb (VaWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (!self->exit_after_first_frame && self->bench_speed == NULL)
    return;
  g_signal_connect_object (clock, "before-paint", G_CALLBACK (bench_before_paint_cb), self, 0);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), self, 0);
  g_signal_connect (self, "draw", G_CALLBACK (bench_draw_cb), NULL);
  if (self->bench_speed)
    g_action_group_activate_action (G_ACTION_GROUP (self), "speed",
                                    g_variant_new_string (self->bench_speed));
}

static void
read_bench_hooks (VaWindow *self)
{
  const char *speed = g_getenv ("VMATLAS_BENCH_PLAYBACK");

  self->exit_after_first_frame = g_strcmp0 (g_getenv ("VMATLAS_EXIT_AFTER_FIRST_FRAME"), "1") == 0;
  if (speed && g_ascii_strtod (speed, NULL) >= 0.25)
    self->bench_speed = g_strdup (speed);
  g_signal_connect (self, "realize", G_CALLBACK (bench_hooks_realize_cb), NULL);
}

/* ------------------------------------------------------------------ */
/* GtkWidget                                                            */

/* Text fields get their keys before the window's single-key
 * accelerators (→, Space, Backspace, +, −, P); the events' read-only
 * text view, once clicked, does not. */
static gboolean
va_window_key_press_event (GtkWidget   *widget,
                           GdkEventKey *event)
{
  VaWindow *self = VA_WINDOW (widget);
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (widget));

  if (self->presenting && event->keyval == GDK_KEY_Escape)
    {
      set_presentation (self, FALSE);
      return TRUE;
    }
  if (focus && (GTK_IS_EDITABLE (focus) ||
                (GTK_IS_TEXT_VIEW (focus) && gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))) &&
      gtk_window_propagate_key_event (GTK_WINDOW (widget), event))
    return TRUE;
  return GTK_WIDGET_CLASS (va_window_parent_class)->key_press_event (widget, event);
}

static void
va_window_destroy (GtkWidget *widget)
{
  VaWindow *self = VA_WINDOW (widget);
  GSettings *s = settings (self);

  if (s && gtk_widget_get_realized (widget))
    {
      int w, h;

      gtk_window_get_size (GTK_WINDOW (self), &w, &h);
      if (!self->presenting && !gtk_window_is_maximized (GTK_WINDOW (self)))
        {
          g_settings_set_int (s, "window-width", w);
          g_settings_set_int (s, "window-height", h);
        }
      g_settings_set_boolean (s, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
    }
  stop_playing (self);
  g_clear_pointer (&self->micro_events, g_ptr_array_unref);
  g_clear_pointer (&self->events_text, g_free);
  g_clear_pointer (&self->bench_speed, g_free);
  g_clear_pointer (&self->say_font, pango_font_description_free);
  va_session_bind (&self->session, NULL, NULL, self);
  GTK_WIDGET_CLASS (va_window_parent_class)->destroy (widget);
}

static void
va_window_class_init (VaWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->destroy = va_window_destroy;
  widget_class->key_press_event = va_window_key_press_event;

  g_type_ensure (VA_TYPE_MAP_CANVAS);
  g_type_ensure (VA_TYPE_OP_PANEL);
  g_type_ensure (VA_TYPE_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/vmatlas/VmAtlas/ui/va-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VaWindow, header);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, machine_label);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, machine_button);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, play_image);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, speed_label);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, speed_button);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, speed_menu);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, narration_box);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, say_label);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, events_box);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, side_panel);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, op_panel);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, freelists_page);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, inspector_box);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, inspector_label);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, timeline_box);
  gtk_widget_class_bind_template_child (widget_class, VaWindow, position_label);
  /* Not kept in the struct (its action does the work); bound for tests. */
  gtk_widget_class_bind_template_child_full (widget_class, "zoom_selection_button", FALSE, 0);
}

static void
va_window_init (VaWindow *self)
{
  GSettings *s;
  g_autofree char *speed = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* GtkWindow starts with mnemonics visible and hides them when first
   * mapped, unless told before: that change makes every label in the
   * window lay itself out again, a second measuring pass of the whole
   * window in the first frame (~12 of the say line's 20 layouts).  Hidden
   * from the start, as they would be a moment later; Alt still shows them. */
  gtk_window_set_mnemonics_visible (GTK_WINDOW (self), FALSE);
  self->session = va_session_new ();
  self->speed = 1;
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);

  va_map_canvas_set_session (self->canvas, self->session);
  va_timeline_set_session (VA_TIMELINE (self->timeline), self->session);
  va_op_panel_set_session (VA_OP_PANEL (self->op_panel), self->session);
  g_signal_connect_object (self->session, "changed", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "selection-changed", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "cursor-changed", G_CALLBACK (cursor_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "seek", G_CALLBACK (timeline_seek_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self->narration_box, "size-allocate", G_CALLBACK (narration_allocate_cb), self);

  if ((s = settings (self)) != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (s, "window-width"),
                                   g_settings_get_int (s, "window-height"));
      if (g_settings_get_boolean (s, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      speed = g_settings_get_string (s, "speed");
      g_action_group_activate_action (G_ACTION_GROUP (self), "speed", g_variant_new_string (speed));
    }
  read_bench_hooks (self);
  update_view (self);
}

GtkShortcutsWindow *
va_window_ensure_help_overlay (VaWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkShortcutsWindow *overlay;

  g_return_val_if_fail (VA_IS_WINDOW (self), NULL);

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self));
  if (overlay)
    return overlay;
  builder = gtk_builder_new_from_resource ("/org/vmatlas/VmAtlas/gtk/help-overlay.ui");
  overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  /* Transient for this window; GtkApplicationWindow keeps its action out,
   * this window's show-help-overlay being there already. */
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), overlay);
  return overlay;
}

void
va_window_finish_startup (VaWindow *self)
{
  g_return_if_fail (VA_IS_WINDOW (self));

  if (self->machine_popover != NULL)
    return;
  ensure_freelist_panel (self);
  ensure_scrollers (self);
  va_map_canvas_warm_up (self->canvas);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->speed_button), self->speed_menu);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu_button), self->primary_menu);
  self->machine_popover = va_machine_popover_new ();
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->machine_button), self->machine_popover);
  g_signal_connect_object (self->machine_popover, "show", G_CALLBACK (machine_popover_show_cb), self,
                           G_CONNECT_SWAPPED);
  /* The playback benchmark presses Play as a person would: on a window
   * that is up and whole, after the frame that styles what was just made
   * (bench_after_paint_cb()). */
  if (self->bench_speed)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

VaWindow *
va_window_new (GtkApplication *app)
{
  return g_object_new (VA_TYPE_WINDOW, "application", app, NULL);
}
