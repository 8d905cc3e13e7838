/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-map-canvas"

#include "va-map-canvas.h"

#include "va-links.h"
#include "va-lookup.h"
#include "va-phys-view.h"
#include "va-virt-view.h"

#include <math.h>

#define MARGIN     12.0
#define LINK_GAP   64.0
#define MIN_ZOOM   (64u * 1024u)        /* smallest virtual range shown: 16 pages */
#define FULL_RANGE (G_GUINT64_CONSTANT (1) << 32)

struct _VaMapCanvas
{
  GtkDrawingArea   parent_instance;

  VaSession       *session;
  VaPalette       *palette;
  VaRenderOptions  options;
  char            *select;
  gboolean         has_addr, has_pfn;
  guint32          sel_addr, sel_pfn;

  /* Keyboard cursor on a region segment of the virtual map (Up/Down):
   * kept by its start address, so it survives relayouts. */
  gboolean         has_cursor;
  guint32          cursor_addr;
  GdkRectangle     cursor_rect;
  char            *cursor_text;

  /* Layout, computed on allocation: nothing of it is done in draw. */
  VaRect           virt_rect;
  VaRect           phys_rect;

  /* The cache: the whole picture, repainted only when dirty. */
  VaPhysRaster    *raster;
  cairo_surface_t *surface;
  int              surface_scale;
  guint            surface_dirty : 1;
};

enum {
  SELECTION_CHANGED,
  CURSOR_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VaMapCanvas, va_map_canvas, GTK_TYPE_DRAWING_AREA)

static void sync_cursor (VaMapCanvas *self);

/* ------------------------------------------------------------------ */
/* Cache                                                                */

static void
queue_repaint (VaMapCanvas *self)
{
  self->surface_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drop_surface (VaMapCanvas *self)
{
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  queue_repaint (self);
}

static void
paint_maps (VaMapCanvas *self,
            cairo_t     *cr)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;

  va_render_set_color (cr, self->palette, VA_COLOR_BACKGROUND);
  cairo_paint (cr);
  if (m == NULL)
    return;
  self->options.op = va_session_get_position (self->session);
  self->options.title = va_session_get_title (self->session);
  va_phys_view_draw_raster (cr, m, &self->phys_rect, &self->options, self->raster);
  va_links_draw (cr, m, &self->virt_rect, &self->phys_rect, &self->options);
  va_virt_view_draw (cr, m, &self->virt_rect, &self->options);
}

static void
ensure_surface (VaMapCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int scale = gtk_widget_get_scale_factor (widget);
  int w = gtk_widget_get_allocated_width (widget);
  int h = gtk_widget_get_allocated_height (widget);
  cairo_t *cr;

  if (self->surface && self->surface_scale != scale)
    g_clear_pointer (&self->surface, cairo_surface_destroy);
  if (self->surface == NULL)
    {
      self->surface = gdk_window_create_similar_image_surface (gtk_widget_get_window (widget),
                                                               CAIRO_FORMAT_ARGB32,
                                                               w * scale, h * scale, scale);
      self->surface_scale = scale;
      self->surface_dirty = TRUE;
    }
  if (!self->surface_dirty)
    return;
  cr = cairo_create (self->surface);
  paint_maps (self, cr);
  cairo_destroy (cr);
  self->surface_dirty = FALSE;
}

/* ------------------------------------------------------------------ */
/* Hit testing: the one place that turns a point into what is there.    */

typedef enum {
  HIT_NONE,
  HIT_VIRT,
  HIT_PHYS,
} HitKind;

typedef struct {
  HitKind             kind;
  guint32             addr;
  guint32             pfn;
  const VaAllocation *owner;
} Hit;

static const VaAllocation *
frame_owner (VaMachine *m,
             guint32    pfn)
{
  guint32 head = va_machine_block_head (m, pfn);
  const VaPage *p = &m->pages[head];

  if (p->state != VA_PAGE_ALLOCATED || p->owner == 0 || p->owner >= m->allocs->len)
    return NULL;
  return g_ptr_array_index (m->allocs, p->owner);
}

static gboolean
hit_test (VaMapCanvas *self,
          double       x,
          double       y,
          Hit         *hit)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;

  hit->kind = HIT_NONE;
  hit->owner = NULL;
  hit->pfn = VA_PFN_NONE;
  if (m == NULL)
    return FALSE;
  if (va_virt_view_hit (m, &self->virt_rect, &self->options, x, y, &hit->addr))
    {
      VaLookup l;

      va_lookup_address (m, hit->addr, &l);
      hit->kind = HIT_VIRT;
      hit->pfn = l.pfn;
      hit->owner = l.owner;
      return TRUE;
    }
  hit->pfn = va_phys_view_hit_zoomed (m, &self->phys_rect, &self->options, x, y);
  if (hit->pfn != VA_PFN_NONE && hit->pfn < m->nr_pfns)
    {
      hit->kind = HIT_PHYS;
      hit->owner = frame_owner (m, hit->pfn);
      return TRUE;
    }
  return FALSE;
}

static char *
describe_pfn (VaMachine *m,
              guint32    pfn)
{
  const VaAllocation *owner;
  const VaPage *p;

  if (pfn < m->layout.max_low_pfn)
    return va_lookup_describe (m, m->layout.page_offset + (pfn << VA_PAGE_SHIFT));
  owner = frame_owner (m, pfn);
  p = &m->pages[va_machine_block_head (m, pfn)];
  return g_strdup_printf ("pfn %u (phys 0x%09" G_GINT64_MODIFIER "x, %s, no permanent kernel address): %s%s%s",
                          pfn, (guint64) pfn << VA_PAGE_SHIFT,
                          va_zone_name (va_machine_pfn_zone (m, pfn)),
                          p->state == VA_PAGE_FREE ? "free" :
                          p->state == VA_PAGE_PCP ? "free on a per-cpu list" :
                          p->state == VA_PAGE_ALLOCATED ? "allocated" :
                          p->state == VA_PAGE_RESERVED ? "reserved" : "no RAM",
                          owner && owner->name ? " to " : "",
                          owner && owner->name ? owner->name : "");
}

char *
va_map_canvas_describe_at (VaMapCanvas *self,
                           double       x,
                           double       y)
{
  Hit hit;

  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), NULL);
  if (!hit_test (self, x, y, &hit))
    return NULL;
  if (hit.kind == HIT_VIRT)
    return va_lookup_describe (va_session_get_machine (self->session), hit.addr);
  return describe_pfn (va_session_get_machine (self->session), hit.pfn);
}

char *
va_map_canvas_describe_selection (VaMapCanvas *self)
{
  VaMachine *m;

  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), NULL);
  m = self->session ? va_session_get_machine (self->session) : NULL;
  if (m == NULL)
    return NULL;
  if (self->has_addr)
    return va_lookup_describe (m, self->sel_addr);
  if (self->has_pfn && self->sel_pfn < m->nr_pfns)
    return describe_pfn (m, self->sel_pfn);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Selection and zoom                                                   */

static void
set_selection (VaMapCanvas *self,
               const char  *name)
{
  AtkObject *a11y = gtk_widget_get_accessible (GTK_WIDGET (self));
  g_autofree char *label = NULL;

  if (g_strcmp0 (self->select, name) != 0)
    {
      g_free (self->select);
      self->select = g_strdup (name);
      self->options.select = self->select;
      queue_repaint (self);
    }
  label = name ? g_strdup_printf ("Memory maps, “%s” selected", name) : g_strdup ("Memory maps");
  atk_object_set_name (a11y, label);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* Selects what is at (x, y), as a click does. */
static void
select_at (VaMapCanvas *self,
           double       x,
           double       y)
{
  Hit hit;

  hit_test (self, x, y, &hit);
  self->has_addr = hit.kind == HIT_VIRT;
  self->sel_addr = hit.addr;
  self->has_pfn = hit.pfn != VA_PFN_NONE;
  self->sel_pfn = hit.pfn;
  set_selection (self, hit.owner ? hit.owner->name : NULL);
}

void
va_map_canvas_select (VaMapCanvas *self,
                      const char  *name)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  self->has_addr = self->has_pfn = FALSE;
  set_selection (self, name);
}

const char *
va_map_canvas_get_selection (VaMapCanvas *self)
{
  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), NULL);
  return self->select;
}

gboolean
va_map_canvas_get_selected_addr (VaMapCanvas *self,
                                 guint32     *addr)
{
  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), FALSE);
  *addr = self->sel_addr;
  return self->has_addr;
}

gboolean
va_map_canvas_get_selected_pfn (VaMapCanvas *self,
                                guint32     *pfn)
{
  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), FALSE);
  *pfn = self->sel_pfn;
  return self->has_pfn;
}

/* Zooms the virtual map by @factor (> 1 in) around @addr. */
static void
zoom_around (VaMapCanvas *self,
             double       factor,
             guint64      addr)
{
  guint64 start = self->options.zoom_start;
  guint64 end = self->options.zoom_end ? self->options.zoom_end : FULL_RANGE;
  double len = (double) (end - start) / factor;
  double s;

  len = CLAMP (len, MIN_ZOOM, (double) FULL_RANGE);
  s = addr - (addr - start) / factor;
  s = CLAMP (s, 0, (double) FULL_RANGE - len);
  start = (guint64) s & ~(guint64) 0xfff;
  end = MIN (start + (guint64) len, FULL_RANGE);
  if (end - start >= FULL_RANGE)
    start = end = 0;
  self->options.zoom_start = (guint32) start;
  self->options.zoom_end = end;
  queue_repaint (self);
  sync_cursor (self);
}

void
va_map_canvas_zoom (VaMapCanvas *self,
                    double       factor)
{
  guint64 start, end;

  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;
  const VaAllocation *a = (m && self->select) ? va_machine_lookup (m, self->select) : NULL;
  guint64 addr;

  start = self->options.zoom_start;
  end = self->options.zoom_end ? self->options.zoom_end : FULL_RANGE;
  /* Around the selection; with none, around the kernel's vmalloc space
   * when the whole 4 GiB is shown, else the middle of the view. */
  if (self->has_addr)
    addr = self->sel_addr;
  else if (a && a->virt)
    addr = a->virt;
  else if (m && end - start == FULL_RANGE)
    addr = m->layout.vmalloc_start;
  else
    addr = start + (end - start) / 2;
  zoom_around (self, factor, addr);
}

void
va_map_canvas_zoom_reset (VaMapCanvas *self)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  self->options.zoom_start = 0;
  self->options.zoom_end = 0;
  queue_repaint (self);
  sync_cursor (self);
}

void
va_map_canvas_set_mark (VaMapCanvas *self,
                        gboolean     has_mark,
                        guint32      pfn,
                        guint        order)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  if (self->options.has_mark == has_mark &&
      (!has_mark || (self->options.mark_pfn == pfn && self->options.mark_order == order)))
    return;
  self->options.has_mark = has_mark;
  self->options.mark_pfn = pfn;
  self->options.mark_order = order;
  /* The raster stays valid: the repaint is a blit plus overlays. */
  queue_repaint (self);
}

const VaRenderOptions *
va_map_canvas_get_options (VaMapCanvas *self)
{
  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), NULL);
  return &self->options;
}

gboolean
va_map_canvas_locate (VaMapCanvas *self,
                      const char  *name,
                      double      *x,
                      double      *y)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;
  const VaAllocation *a;
  g_autoptr(GArray) segments = NULL;
  VaRect bar;

  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), FALSE);
  if (m == NULL || (a = va_machine_lookup (m, name)) == NULL || a->virt == 0)
    return FALSE;
  va_virt_view_bar (m, &self->virt_rect, &self->options, &bar);
  *x = bar.x + bar.width / 2;
  segments = va_virt_view_layout (m, &self->virt_rect, &self->options);
  for (guint i = 0; i < segments->len; i++)
    {
      const VaVirtSegment *seg = &g_array_index (segments, VaVirtSegment, i);

      if (seg->owner == a && seg->region == VA_REGION_VMALLOC_AREA)
        {
          *y = (seg->y_top + seg->y_bottom) / 2;
          return TRUE;
        }
    }
  *y = va_virt_view_addr_y (m, &self->virt_rect, &self->options, a->virt);
  return !isnan (*y);
}

/* ------------------------------------------------------------------ */
/* Keyboard cursor                                                      */

static void
clear_cursor (VaMapCanvas *self)
{
  if (!self->has_cursor)
    return;
  self->has_cursor = FALSE;
  g_clear_pointer (&self->cursor_text, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CURSOR_CHANGED], 0);
}

/* Puts the cursor on segment @index of @segments (top down): outline,
 * text through the hit test at the segment's middle (as a hover there
 * would show it), and the accessible name. */
static void
set_cursor (VaMapCanvas *self,
            GArray      *segments,
            guint        index)
{
  VaMachine *m = va_session_get_machine (self->session);
  const VaVirtSegment *seg = &g_array_index (segments, VaVirtSegment, index);
  g_autofree char *label = va_virt_view_segment_label (seg);
  VaRect bar;

  va_virt_view_bar (m, &self->virt_rect, &self->options, &bar);
  self->has_cursor = TRUE;
  self->cursor_addr = seg->start;
  self->cursor_rect.x = (int) floor (bar.x) - 2;
  self->cursor_rect.y = (int) floor (seg->y_top) - 2;
  self->cursor_rect.width = (int) ceil (bar.width) + 4;
  self->cursor_rect.height = (int) ceil (seg->y_bottom - seg->y_top) + 4;
  g_free (self->cursor_text);
  self->cursor_text = va_map_canvas_describe_at (self, bar.x + bar.width / 2,
                                                 (seg->y_top + seg->y_bottom) / 2);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  g_signal_emit (self, signals[CURSOR_CHANGED], 0);
}

/* Index of the segment holding the cursor, or -1. */
static int
cursor_index (VaMapCanvas *self,
              GArray      *segments)
{
  if (!self->has_cursor)
    return -1;
  for (guint i = 0; i < segments->len; i++)
    {
      const VaVirtSegment *seg = &g_array_index (segments, VaVirtSegment, i);

      if (seg->start <= self->cursor_addr && self->cursor_addr < seg->end)
        return (int) i;
    }
  return -1;
}

/* Moves the cursor @delta segments down (negative: up). */
static void
move_cursor (VaMapCanvas *self,
             int          delta)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;
  g_autoptr(GArray) segments = NULL;
  int i;

  if (m == NULL)
    return;
  segments = va_virt_view_layout (m, &self->virt_rect, &self->options);
  if (segments->len == 0)
    return;
  i = cursor_index (self, segments);
  if (i < 0)
    i = delta > 0 ? 0 : (int) segments->len - 1;
  else
    i = CLAMP (i + delta, 0, (int) segments->len - 1);
  set_cursor (self, segments, (guint) i);
}

/* After a relayout (zoom, size, machine): the cursor follows its address,
 * or goes away with its region. */
static void
sync_cursor (VaMapCanvas *self)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;
  g_autoptr(GArray) segments = NULL;
  int i;

  if (!self->has_cursor)
    return;
  if (m == NULL)
    {
      clear_cursor (self);
      return;
    }
  segments = va_virt_view_layout (m, &self->virt_rect, &self->options);
  i = cursor_index (self, segments);
  if (i < 0)
    clear_cursor (self);
  else
    set_cursor (self, segments, (guint) i);
}

const char *
va_map_canvas_get_cursor_text (VaMapCanvas *self)
{
  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), NULL);
  return self->has_cursor ? self->cursor_text : NULL;
}

/* ------------------------------------------------------------------ */
/* Session                                                              */

void
va_map_canvas_invalidate (VaMapCanvas *self)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  va_phys_raster_invalidate (self->raster);
  queue_repaint (self);
}

static void
session_changed_cb (VaMapCanvas *self,
                    VaSession   *session)
{
  va_map_canvas_invalidate (self);
  sync_cursor (self);
}

void
va_map_canvas_set_session (VaMapCanvas *self,
                           VaSession   *session)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  if (self->session == session)
    return;
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    g_signal_connect_object (session, "changed", G_CALLBACK (session_changed_cb), self,
                             G_CONNECT_SWAPPED);
  va_map_canvas_invalidate (self);
}

void
va_map_canvas_set_dark (VaMapCanvas *self,
                        gboolean     dark)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  va_palette_free (self->palette);
  self->palette = va_palette_default (dark);
  self->options.palette = self->palette;
  va_map_canvas_invalidate (self);
}

/* ------------------------------------------------------------------ */
/* GtkWidget                                                            */

static void
va_map_canvas_size_allocate (GtkWidget     *widget,
                             GtkAllocation *alloc)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);
  double inner = alloc->width - 2 * MARGIN;
  double vw = floor (CLAMP (inner * 0.42, 330, 560));
  double h = MAX (alloc->height - 2 * MARGIN, 50);
  int old_w = gtk_widget_get_allocated_width (widget);
  int old_h = gtk_widget_get_allocated_height (widget);

  GTK_WIDGET_CLASS (va_map_canvas_parent_class)->size_allocate (widget, alloc);
  self->virt_rect = (VaRect) { MARGIN, MARGIN, vw, h };
  self->phys_rect = (VaRect) { MARGIN + vw + LINK_GAP, MARGIN, MAX (inner - vw - LINK_GAP, 50), h };
  if (old_w != alloc->width || old_h != alloc->height)
    {
      drop_surface (self);
      sync_cursor (self);
    }
}

static gboolean
va_map_canvas_draw (GtkWidget *widget,
                    cairo_t   *cr)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);

  ensure_surface (self);
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_paint (cr);
  if (gtk_widget_has_visible_focus (widget))
    gtk_render_focus (gtk_widget_get_style_context (widget), cr, 2, 2,
                      gtk_widget_get_allocated_width (widget) - 4,
                      gtk_widget_get_allocated_height (widget) - 4);
  if (self->has_cursor && gtk_widget_has_focus (widget))
    gtk_render_focus (gtk_widget_get_style_context (widget), cr,
                      self->cursor_rect.x, self->cursor_rect.y,
                      self->cursor_rect.width, self->cursor_rect.height);
  return FALSE;
}

/* Up/Down walk the regions of the virtual map, Return selects the one
 * under the cursor.  Nothing else: →, ←, Space and the rest stay the
 * window's accelerators, Tab and Ctrl+arrows move the focus. */
static gboolean
va_map_canvas_key_press_event (GtkWidget   *widget,
                               GdkEventKey *event)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);
  GdkModifierType mods = event->state & gtk_accelerator_get_default_mod_mask ();

  if (mods != 0)
    return GTK_WIDGET_CLASS (va_map_canvas_parent_class)->key_press_event (widget, event);
  switch (event->keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_cursor (self, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_cursor (self, 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (self->has_cursor)
        {
          select_at (self, self->cursor_rect.x + self->cursor_rect.width / 2.0,
                     self->cursor_rect.y + self->cursor_rect.height / 2.0);
          return TRUE;
        }
      break;
    default:
      break;
    }
  return GTK_WIDGET_CLASS (va_map_canvas_parent_class)->key_press_event (widget, event);
}

static gboolean
va_map_canvas_button_press_event (GtkWidget      *widget,
                                  GdkEventButton *event)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);

  if (event->button != GDK_BUTTON_PRIMARY || event->type != GDK_BUTTON_PRESS)
    return FALSE;
  gtk_widget_grab_focus (widget);
  select_at (self, event->x, event->y);
  return TRUE;
}

static gboolean
va_map_canvas_scroll_event (GtkWidget      *widget,
                            GdkEventScroll *event)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);
  Hit hit;
  guint64 start, end, addr;
  double dy = 0;

  if (!(event->state & GDK_CONTROL_MASK))
    return FALSE;
  if (event->direction == GDK_SCROLL_UP)
    dy = -1;
  else if (event->direction == GDK_SCROLL_DOWN)
    dy = 1;
  else if (event->direction == GDK_SCROLL_SMOOTH)
    gdk_event_get_scroll_deltas ((GdkEvent *) event, NULL, &dy);
  if (dy == 0)
    return TRUE;
  start = self->options.zoom_start;
  end = self->options.zoom_end ? self->options.zoom_end : FULL_RANGE;
  addr = start + (end - start) / 2;
  if (hit_test (self, event->x, event->y, &hit) && hit.kind == HIT_VIRT)
    addr = hit.addr;
  zoom_around (self, dy < 0 ? 2.0 : 0.5, addr);
  return TRUE;
}

static gboolean
va_map_canvas_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard,
                             GtkTooltip *tooltip)
{
  g_autofree char *text = NULL;
  GdkRectangle area = { x - 1, y - 1, 3, 3 };

  if (keyboard)
    {
      VaMapCanvas *self = VA_MAP_CANVAS (widget);

      if (!self->has_cursor || self->cursor_text == NULL)
        return FALSE;
      gtk_tooltip_set_text (tooltip, self->cursor_text);
      gtk_tooltip_set_tip_area (tooltip, &self->cursor_rect);
      return TRUE;
    }
  text = va_map_canvas_describe_at (VA_MAP_CANVAS (widget), x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

static void
scale_factor_changed_cb (VaMapCanvas *self)
{
  drop_surface (self);
}

static void
va_map_canvas_destroy (GtkWidget *widget)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  GTK_WIDGET_CLASS (va_map_canvas_parent_class)->destroy (widget);
}

static void
va_map_canvas_finalize (GObject *object)
{
  VaMapCanvas *self = VA_MAP_CANVAS (object);

  g_clear_pointer (&self->raster, va_phys_raster_free);
  g_clear_pointer (&self->palette, va_palette_free);
  g_clear_pointer (&self->select, g_free);
  g_clear_pointer (&self->cursor_text, g_free);
  G_OBJECT_CLASS (va_map_canvas_parent_class)->finalize (object);
}

static void
va_map_canvas_class_init (VaMapCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = va_map_canvas_finalize;
  widget_class->destroy = va_map_canvas_destroy;
  widget_class->size_allocate = va_map_canvas_size_allocate;
  widget_class->draw = va_map_canvas_draw;
  widget_class->button_press_event = va_map_canvas_button_press_event;
  widget_class->scroll_event = va_map_canvas_scroll_event;
  widget_class->key_press_event = va_map_canvas_key_press_event;
  widget_class->query_tooltip = va_map_canvas_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "vamapcanvas");
  gtk_widget_class_set_accessible_role (widget_class, ATK_ROLE_PANEL);

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The keyboard cursor moved (or went away): va_map_canvas_get_cursor_text(). */
  signals[CURSOR_CHANGED] =
    g_signal_new ("cursor-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
va_map_canvas_init (VaMapCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->palette = va_palette_default (FALSE);
  va_render_options_init (&self->options, self->palette);
  self->raster = va_phys_raster_new ();
  self->surface_dirty = TRUE;
  gtk_widget_set_can_focus (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_add_events (widget, GDK_BUTTON_PRESS_MASK | GDK_SCROLL_MASK |
                                 GDK_POINTER_MOTION_MASK | GDK_KEY_PRESS_MASK);
  gtk_widget_set_size_request (widget, 560, 420);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);
}

GtkWidget *
va_map_canvas_new (void)
{
  return g_object_new (VA_TYPE_MAP_CANVAS, NULL);
}
