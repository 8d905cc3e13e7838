/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-map-canvas"

#include "va-map-canvas.h"

#include "va-links.h"
#include "va-lookup.h"
#include "va-map-damage.h"
#include "va-map-zoom.h"
#include "va-phys-view.h"
#include "va-background-thread.h"
#include "va-raster-prefetch.h"
#include "va-surface-cache.h"
#include "va-virt-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#define MARGIN     12.0
#define LINK_GAP   64.0
#define FULL_RANGE (G_GUINT64_CONSTANT (1) << 32)
/* A primary press that moves this far (pixels) pans instead of selecting. */
#define DRAG_THRESHOLD 6.0
/* Zoom to the selection: the selection takes the middle third. */
#define FIT_MARGIN 3.0

/* Which of the two maps a point or gesture is about. */
typedef enum {
  MAP_VIRT,
  MAP_PHYS,
} Map;

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

  /* A drag that pans one map: where it began and the ranges then, so the
   * map follows the pointer without drift. */
  guint            press_button;
  double           press_x, press_y;
  gboolean         panning;
  Map              pan_map;
  guint64          pan_virt_start, pan_virt_end;
  guint32          pan_phys_first, pan_phys_count;
  double           pan_virt_height;     /* the bar's height, pixels */
  double           pan_phys_cell;       /* a frame's cell, pixels */
  guint32          pan_phys_columns;

  /* Pinch, from the ranges saved at its start (pan_*) around where it
   * began (press_x, press_y). */
  GtkGesture      *pinch;
  gboolean         pinching;

  /* The cache: the whole picture, repainted only when dirty. */
  VaPhysRaster    *raster;
  VaSurfaceCache   cache;
  /* A model change redraws, once a frame, only the parts of it that it
   * made stale (see repaint_damaged()). */
  VaMapDamage     *damage;
  cairo_surface_t *spare;
  GThread         *spare_touch; /* touch_spare_ahead()'s, until joined */
  gboolean         warmed_up;   /* va_map_canvas_warm_up() has run */
  /* Before the first picture: its raster, made on a thread meanwhile. */
  VaRasterPrefetch *prefetch;
  gboolean         repaint_pending;
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

static void paint_maps (VaMapCanvas *self,
                        cairo_t     *cr);

/* With a picture on screen, a change is repainted in the frame clock's
 * layout phase (after the ticks that step the session, once however many
 * ops they ran); before the first picture, or after a resize, the next
 * draw paints it whole. */
static void
queue_repaint (VaMapCanvas *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock && self->cache.surface && !self->cache.dirty)
    {
      self->repaint_pending = TRUE;
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
      return;
    }
  va_surface_cache_dirty (&self->cache);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void clear_spare (VaMapCanvas *self);

static void
drop_surface (VaMapCanvas *self)
{
  self->repaint_pending = FALSE;
  clear_spare (self);
  va_surface_cache_clear (&self->cache);
  queue_repaint (self);
}

/* The rectangles of the picture a change made stale (see VaMapDamage),
 * with the raster brought up to date. */
static GArray *
collect_damage (VaMapCanvas *self)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;
  cairo_rectangle_int_t all = { 0, 0, gtk_widget_get_allocated_width (GTK_WIDGET (self)),
                                gtk_widget_get_allocated_height (GTK_WIDGET (self)) };
  GArray *rects;

  if (m != NULL)
    return va_map_damage_collect (self->damage, m, &self->virt_rect, &self->phys_rect,
                                  &self->options, self->raster, all.width, all.height);
  rects = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_int_t));
  g_array_append_val (rects, all);
  return rects;
}

/* Cairo limits the paths it fills and strokes to the clip, which moves
 * the antialiased edges of curves and slanted lines by a level next to
 * the clip's sides; a rectangle is repainted clipped this much wider and
 * only the rectangle kept, so it matches a whole repaint. */
#define PAINT_MARGIN 8

/* Two rectangles whose repaints would overlap become one when that paints
 * no more than both: each repaint draws its margin and the layers it
 * meets again. */
static void
merge_rects (GArray *rects)
{
  for (guint i = 0; i < rects->len; i++)
    for (guint j = i + 1; j < rects->len; j++)
      {
        cairo_rectangle_int_t *a = &g_array_index (rects, cairo_rectangle_int_t, i);
        const cairo_rectangle_int_t *b = &g_array_index (rects, cairo_rectangle_int_t, j);
        cairo_rectangle_int_t u = *a;

        gdk_rectangle_union (&u, b, &u);
        if ((gint64) u.width * u.height >
            (gint64) a->width * a->height + (gint64) b->width * b->height)
          continue;
        *a = u;
        g_array_remove_index_fast (rects, j);
        j = i;     /* the grown one may now meet an earlier one */
      }
}

/* The spare surface's pages, touched on a thread, are ready for use. */
static void
join_spare_touch (VaMapCanvas *self)
{
  if (self->spare_touch == NULL)
    return;
  g_thread_join (g_steal_pointer (&self->spare_touch));
  cairo_surface_mark_dirty (self->spare);
}

/* The spare surface, where a repaint is drawn before it is kept. */
static cairo_surface_t *
ensure_spare (VaMapCanvas *self)
{
  cairo_surface_t *cache = self->cache.surface;

  join_spare_touch (self);
  if (self->spare == NULL)
    {
      self->spare = cairo_surface_create_similar_image (cache, CAIRO_FORMAT_ARGB32,
                                                        cairo_image_surface_get_width (cache),
                                                        cairo_image_surface_get_height (cache));
      cairo_surface_set_device_scale (self->spare, self->cache.scale, self->cache.scale);
    }
  return self->spare;
}

static void
clear_spare (VaMapCanvas *self)
{
  join_spare_touch (self);
  g_clear_pointer (&self->spare, cairo_surface_destroy);
}

/* The spare surface made now and its pages touched on a thread, ready
 * for the first repaint that needs it. */
static void
touch_spare_ahead (VaMapCanvas *self)
{
  if (self->cache.surface == NULL || self->spare_touch)
    return;
  ensure_spare (self);
  cairo_surface_flush (self->spare);
  self->spare_touch = va_background_touch (cairo_image_surface_get_data (self->spare),
                                           (gsize) cairo_image_surface_get_stride (self->spare) *
                                           cairo_image_surface_get_height (self->spare));
}

void
va_map_canvas_warm_up (VaMapCanvas *self)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));

  /* The first repaint of a large area (an op that moves the virtual map's
   * rows) and the first change of the physical map would otherwise pay for
   * the first touch of their scratch memory in their frame: 378 pages of
   * spare surface (4-5 ms) and 256 of raster scratch (2.5 ms) measured on a
   * 4 GiB machine in a virtual machine. */
  self->warmed_up = TRUE;
  if (self->raster)
    va_phys_raster_warm_up (self->raster);
  touch_spare_ahead (self);
}

/* Repaints @r of the picture: drawn in the spare surface under a clip of
 * one rectangle (cairo antialiases some edges otherwise under a clip of
 * several), then copied in. */
static void
repaint_rect (VaMapCanvas                 *self,
              const cairo_rectangle_int_t *r)
{
  cairo_t *cr = cairo_create (ensure_spare (self));

  cairo_rectangle (cr, r->x - PAINT_MARGIN, r->y - PAINT_MARGIN,
                   r->width + 2 * PAINT_MARGIN, r->height + 2 * PAINT_MARGIN);
  cairo_clip (cr);
  paint_maps (self, cr);
  cairo_destroy (cr);

  cr = cairo_create (self->cache.surface);
  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_clip (cr);
  cairo_set_source_surface (cr, self->spare, 0, 0);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  gtk_widget_queue_draw_area (GTK_WIDGET (self), r->x, r->y, r->width, r->height);
}

/* Redraws the stale parts of the picture and queues only them for
 * drawing: a frame after an op paints and uploads the rows of the grid it
 * changed, not the whole canvas. */
static void
repaint_damaged (VaMapCanvas *self)
{
  g_autoptr(GArray) damage = collect_damage (self);

  self->repaint_pending = FALSE;
  merge_rects (damage);
  for (guint i = 0; i < damage->len; i++)
    repaint_rect (self, &g_array_index (damage, cairo_rectangle_int_t, i));
}

static void
frame_layout_cb (GdkFrameClock *clock,
                 VaMapCanvas   *self)
{
  if (self->repaint_pending && self->cache.surface)
    repaint_damaged (self);
}

/* After GTK's own layout, which connects its handler anew each time the
 * window needs one: a frame that also resizes the maps (the narration
 * grew) then paints them whole once, in the draw, and not first the
 * op's damage on the surface the resize throws away. */
static void
realize_cb (VaMapCanvas *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "layout",
                           G_CALLBACK (frame_layout_cb), self, G_CONNECT_AFTER);
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
  /* Each map only where the clip (a repaint's damage) reaches it. */
  if (va_render_clip_meets_columns (cr, self->phys_rect.x - VA_RENDER_SLACK, G_MAXINT))
    va_phys_view_draw_raster (cr, m, &self->phys_rect, &self->options, self->raster);
  va_links_draw (cr, m, &self->virt_rect, &self->phys_rect, &self->options);
  if (va_render_clip_meets_columns (cr, 0, self->virt_rect.x + self->virt_rect.width + VA_RENDER_SLACK))
    va_virt_view_draw (cr, m, &self->virt_rect, &self->options);
}

/* The first picture's raster, if the thread made the one it needs. */
static void
adopt_prefetch (VaMapCanvas *self)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;
  VaPhysRaster *raster;

  if (self->prefetch == NULL)
    return;
  if (m == NULL)
    {
      g_clear_pointer (&self->prefetch, va_raster_prefetch_cancel);
      return;
    }
  raster = va_raster_prefetch_finish (g_steal_pointer (&self->prefetch), m, &self->phys_rect,
                                      &self->options);
  if (raster == NULL)
    return;
  va_phys_raster_free (self->raster);
  self->raster = raster;
}

/* With no picture yet (startup) and the raster stale, the raster is made
 * on a thread from now on, while GTK lays the window out before the first
 * draw.  Any change of the machine or palette starts it again. */
static void
prefetch_raster (VaMapCanvas *self)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;

  /* A valid raster (a resize) is only repainted where the layout
   * changed, or not at all. */
  if (self->cache.surface || m == NULL || self->phys_rect.width <= 0 ||
      va_phys_raster_is_valid (self->raster))
    {
      g_clear_pointer (&self->prefetch, va_raster_prefetch_cancel);
      return;
    }
  if (self->prefetch && va_raster_prefetch_fits (self->prefetch, m, &self->phys_rect, &self->options))
    return;
  g_clear_pointer (&self->prefetch, va_raster_prefetch_cancel);
  self->prefetch = va_raster_prefetch_start (m, &self->phys_rect, &self->options);
}

static void
ensure_surface (VaMapCanvas *self)
{
  cairo_t *cr = va_surface_cache_begin (&self->cache, GTK_WIDGET (self));

  if (cr == NULL)
    return;
  adopt_prefetch (self);
  /* Painted whole: what it shows is known again, and the raster's
   * changes so far are in it. */
  va_map_damage_reset (self->damage);
  g_array_unref (collect_damage (self));
  paint_maps (self, cr);
  cairo_destroy (cr);
  /* A new size (the narration grew, the window was resized): the new
   * spare surface's 400-odd pages cost the next op's repaint 4 ms of
   * page faults on these machines when first touched there.  Not before
   * the first frame is out (va_map_canvas_warm_up()). */
  if (self->warmed_up && self->spare == NULL)
    touch_spare_ahead (self);
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
  label = name ? g_strdup_printf (_("Memory maps, “%s” selected"), name) : g_strdup (_("Memory maps"));
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

/* ------------------------------------------------------------------ */
/* Zoom and pan                                                         */

/* Every change of a zoomed range ends here: the maps are drawn anew, the
 * keyboard cursor follows its region. */
static void
zoom_changed (VaMapCanvas *self)
{
  queue_repaint (self);
  sync_cursor (self);
}

/* The map a point is over: the virtual map's column up to the middle of
 * the gap between the maps, the physical map right of it. */
static Map
map_at (VaMapCanvas *self,
        double       x)
{
  return x < self->virt_rect.x + self->virt_rect.width + LINK_GAP / 2 ? MAP_VIRT : MAP_PHYS;
}

/* The address at height @y of the virtual map (anywhere in its column),
 * or the middle of the shown range off the bar. */
static guint64
virt_anchor_at (VaMapCanvas *self,
                VaMachine   *m,
                double       y)
{
  guint64 start, end;
  guint32 addr;
  VaRect bar;

  va_virt_view_bar (m, &self->virt_rect, &self->options, &bar);
  if (va_virt_view_hit (m, &self->virt_rect, &self->options, bar.x + bar.width / 2, y, &addr))
    return addr;
  va_map_zoom_get_virt (&self->options, &start, &end);
  return start + (end - start) / 2;
}

/* The frame at (x, y) of the physical map, or the middle of the shown
 * frames off the grid. */
static guint32
phys_anchor_at (VaMapCanvas *self,
                VaMachine   *m,
                double       x,
                double       y)
{
  guint32 pfn = va_phys_view_hit_zoomed (m, &self->phys_rect, &self->options, x, y);
  guint32 first, count;

  if (pfn != VA_PFN_NONE && pfn < m->nr_pfns)
    return pfn;
  va_map_zoom_get_phys (&self->options, m, &first, &count);
  return first + count / 2;
}

/* Zooms the map under (x, y) by @factor around the point. */
static void
zoom_at (VaMapCanvas *self,
         double       x,
         double       y,
         double       factor)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;

  if (m == NULL)
    return;
  if (map_at (self, x) == MAP_VIRT)
    va_map_zoom_virt (&self->options, factor, virt_anchor_at (self, m, y));
  else
    va_map_zoom_phys (&self->options, m, factor, phys_anchor_at (self, m, x, y));
  zoom_changed (self);
}

static const VaAllocation *
selected_allocation (VaMapCanvas *self,
                     VaMachine   *m)
{
  const VaAllocation *a = self->select ? va_machine_lookup (m, self->select) : NULL;

  return a && a->state == VA_ALLOC_LIVE ? a : NULL;
}

/* The block of frames holding @pfn: a free or allocated block's head and
 * size, else the frame alone. */
static void
frame_block (VaMachine *m,
             guint32    pfn,
             guint32   *first,
             guint32   *count)
{
  guint32 head = va_machine_block_head (m, pfn);

  *first = head;
  *count = 1u << m->pages[head].order;
  if (pfn >= head + *count)
    {
      *first = pfn;
      *count = 1;
    }
}

/* The addresses the selection covers: the allocation's (a vmalloc area
 * with its guard page), else the region of the address clicked. */
static gboolean
selection_virt_range (VaMapCanvas *self,
                      VaMachine   *m,
                      guint64     *start,
                      guint64     *end)
{
  const VaAllocation *a = selected_allocation (self, m);
  VaLookup l;

  if (a && a->virt)
    {
      guint64 pages = a->kind == VA_ALLOC_VMALLOC ? a->nr_pages + 1
                                                  : MAX ((a->size + VA_PAGE_SIZE - 1) / VA_PAGE_SIZE, 1);

      *start = a->virt;
      *end = MIN (*start + pages * VA_PAGE_SIZE, FULL_RANGE);
      return TRUE;
    }
  if (!self->has_addr)
    return FALSE;
  va_lookup_address (m, self->sel_addr, &l);
  *start = l.region_start;
  *end = l.region_end;
  return *end > *start;
}

/* The frames the selection covers: the allocation's (the span of a
 * vmalloc area's scattered frames), else the block of the frame clicked
 * or of the one behind the address clicked. */
static gboolean
selection_phys_range (VaMapCanvas *self,
                      VaMachine   *m,
                      guint32     *first,
                      guint32     *count)
{
  const VaAllocation *a = selected_allocation (self, m);
  guint32 pfn = self->has_pfn ? self->sel_pfn : VA_PFN_NONE;

  if (a && a->kind == VA_ALLOC_VMALLOC && a->nr_pages > 0)
    {
      guint32 lo = G_MAXUINT32, hi = 0;

      /* A page may have no frame (yet): VA_PFN_NONE is not a frame. */
      for (guint32 i = 0; i < a->nr_pages; i++)
        if (a->pfns[i] < m->nr_pfns)
          {
            lo = MIN (lo, a->pfns[i]);
            hi = MAX (hi, a->pfns[i]);
          }
      if (lo > hi)
        return FALSE;
      *first = lo;
      *count = hi - lo + 1;
      return TRUE;
    }
  if (a && a->kind != VA_ALLOC_KMAP && a->pfn < m->nr_pfns)
    {
      *first = a->pfn;
      *count = MAX (1u << a->order, (guint32) ((a->size + VA_PAGE_SIZE - 1) / VA_PAGE_SIZE));
      return TRUE;
    }
  if (pfn == VA_PFN_NONE || pfn >= m->nr_pfns)
    return FALSE;
  frame_block (m, pfn, first, count);
  return TRUE;
}

gboolean
va_map_canvas_has_selection (VaMapCanvas *self)
{
  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), FALSE);
  return self->select != NULL || self->has_addr || self->has_pfn;
}

gboolean
va_map_canvas_zoom_to_selection (VaMapCanvas *self)
{
  VaMachine *m;
  guint64 start, end;
  guint32 first, count;
  gboolean virt, phys;

  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), FALSE);
  m = self->session ? va_session_get_machine (self->session) : NULL;
  if (m == NULL)
    return FALSE;
  virt = selection_virt_range (self, m, &start, &end);
  phys = selection_phys_range (self, m, &first, &count);
  if (virt)
    va_map_zoom_fit_virt (&self->options, start, end, FIT_MARGIN);
  if (phys)
    va_map_zoom_fit_phys (&self->options, m, first, count, FIT_MARGIN);
  if (virt || phys)
    zoom_changed (self);
  return virt || phys;
}

void
va_map_canvas_zoom (VaMapCanvas *self,
                    double       factor)
{
  VaMachine *m;
  const VaAllocation *a;
  guint64 start, end, addr;
  guint32 first, count, pfn;

  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  g_return_if_fail (factor > 0);
  m = self->session ? va_session_get_machine (self->session) : NULL;
  if (m == NULL)
    return;
  a = selected_allocation (self, m);
  va_map_zoom_get_virt (&self->options, &start, &end);
  va_map_zoom_get_phys (&self->options, m, &first, &count);

  /* Both maps, each around the selection; with none, the virtual map
   * around the kernel's vmalloc space when all 4 GiB are shown (the rest
   * is user space), else the middle of what is shown. */
  if (self->has_addr)
    addr = self->sel_addr;
  else if (a && a->virt)
    addr = a->virt;
  else if (end - start == FULL_RANGE)
    addr = m->layout.vmalloc_start;
  else
    addr = start + (end - start) / 2;
  if (!selection_phys_range (self, m, &pfn, &(guint32) { 0 }))
    pfn = first + count / 2;
  va_map_zoom_virt (&self->options, factor, addr);
  va_map_zoom_phys (&self->options, m, factor, pfn);
  zoom_changed (self);
}

void
va_map_canvas_zoom_reset (VaMapCanvas *self)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  if (va_map_zoom_reset (&self->options))
    zoom_changed (self);
}

/* Remembers both maps' ranges, for a gesture that works from them. */
static void
save_ranges (VaMapCanvas *self,
             VaMachine   *m)
{
  va_map_zoom_get_virt (&self->options, &self->pan_virt_start, &self->pan_virt_end);
  va_map_zoom_get_phys (&self->options, m, &self->pan_phys_first, &self->pan_phys_count);
}

static void
restore_ranges (VaMapCanvas *self,
                VaMachine   *m)
{
  va_map_zoom_set_virt (&self->options, self->pan_virt_start, self->pan_virt_end);
  va_map_zoom_set_phys (&self->options, m, self->pan_phys_first, self->pan_phys_count);
}

/* Begins panning the map under the press. */
static void
pan_begin (VaMapCanvas *self,
           VaMachine   *m)
{
  g_autoptr(GdkCursor) cursor = NULL;
  VaPhysLayout l;
  VaRect bar;

  self->panning = TRUE;
  self->pan_map = map_at (self, self->press_x);
  save_ranges (self, m);
  va_virt_view_bar (m, &self->virt_rect, &self->options, &bar);
  self->pan_virt_height = MAX (bar.height, 1);
  va_phys_view_layout_zoomed (m, &self->phys_rect, &self->options, &l);
  self->pan_phys_cell = MAX (l.cell, 1e-6);
  self->pan_phys_columns = l.columns;
  cursor = gdk_cursor_new_from_name (gtk_widget_get_display (GTK_WIDGET (self)), "grabbing");
  gdk_window_set_cursor (gtk_widget_get_window (GTK_WIDGET (self)), cursor);
}

/* The pointer is @dy pixels below the press: the map's content follows
 * it.  The virtual map has high addresses at the top, so pulling down
 * shows higher ones; the physical map has pfn 0 at the top, so pulling
 * down shows lower frames, whole rows at a time. */
static void
pan_to (VaMapCanvas *self,
        VaMachine   *m,
        double       dy)
{
  if (self->pan_map == MAP_VIRT)
    {
      gint64 len = self->pan_virt_end - self->pan_virt_start;
      gint64 delta = (gint64) (dy / self->pan_virt_height * len);

      va_map_zoom_set_virt (&self->options, (gint64) self->pan_virt_start + delta,
                            (gint64) self->pan_virt_start + delta + len);
    }
  else
    {
      gint64 rows = (gint64) round (dy / self->pan_phys_cell);

      va_map_zoom_set_phys (&self->options, m,
                            (gint64) self->pan_phys_first - rows * self->pan_phys_columns,
                            self->pan_phys_count);
    }
  zoom_changed (self);
}

static void
pan_end (VaMapCanvas *self)
{
  GdkWindow *window = gtk_widget_get_window (GTK_WIDGET (self));

  self->press_button = 0;
  if (!self->panning)
    return;
  self->panning = FALSE;
  if (window)
    gdk_window_set_cursor (window, NULL);
}

/* Pinch (touchpad or two fingers): @scale is since the gesture began, so
 * each update zooms the ranges saved then by it, around where the fingers
 * began; rounding never adds up over a long pinch. */
static void
pinch_scale_changed_cb (GtkGestureZoom *gesture,
                        double          scale,
                        VaMapCanvas    *self)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;

  if (m == NULL || scale <= 0 || !self->pinching)
    return;
  restore_ranges (self, m);
  zoom_at (self, self->press_x, self->press_y, scale);
}

static void
pinch_begin_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                VaMapCanvas      *self)
{
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;

  pan_end (self);
  self->pinching = m && gtk_gesture_get_bounding_box_center (gesture, &self->press_x, &self->press_y);
  if (self->pinching)
    save_ranges (self, m);
}

static void
pinch_end_cb (GtkGesture       *gesture,
              GdkEventSequence *sequence,
              VaMapCanvas      *self)
{
  self->pinching = FALSE;
}

void
va_map_canvas_set_mark (VaMapCanvas *self,
                        gboolean     has_mark,
                        guint32      pfn,
                        guint        order)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  if (self->options.has_mark == has_mark && !self->options.mark_flies &&
      (!has_mark || (self->options.mark_pfn == pfn && self->options.mark_order == order)))
    return;
  self->options.has_mark = has_mark;
  self->options.mark_pfn = pfn;
  self->options.mark_order = order;
  self->options.mark_flies = FALSE;
  /* The raster stays valid: the repaint is a blit plus overlays. */
  queue_repaint (self);
}

void
va_map_canvas_set_mark_flight (VaMapCanvas *self,
                               guint32      to_pfn,
                               double       t)
{
  g_return_if_fail (VA_IS_MAP_CANVAS (self));
  if (!self->options.has_mark ||
      (self->options.mark_flies && self->options.mark_to_pfn == to_pfn && self->options.mark_t == t))
    return;
  self->options.mark_flies = TRUE;
  self->options.mark_to_pfn = to_pfn;
  self->options.mark_t = t;
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

gboolean
va_map_canvas_locate_frame (VaMapCanvas *self,
                            guint32      pfn,
                            double      *x,
                            double      *y)
{
  VaMachine *m;
  guint32 first, count;

  g_return_val_if_fail (VA_IS_MAP_CANVAS (self), FALSE);
  m = self->session ? va_session_get_machine (self->session) : NULL;
  if (m == NULL || pfn >= m->nr_pfns)
    return FALSE;
  va_map_zoom_get_phys (&self->options, m, &first, &count);
  va_phys_view_frame_point_zoomed (m, &self->phys_rect, &self->options, pfn, x, y);
  return pfn >= first && pfn - first < count;
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
  /* What a thread made is stale now. */
  g_clear_pointer (&self->prefetch, va_raster_prefetch_cancel);
  prefetch_raster (self);
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
  if (va_session_bind (&self->session, session, G_CALLBACK (session_changed_cb), self))
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
      prefetch_raster (self);
      sync_cursor (self);
    }
}

static gboolean
va_map_canvas_draw (GtkWidget *widget,
                    cairo_t   *cr)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);

  /* Drawn outside a frame (gtk_widget_draw()): the change first. */
  if (self->repaint_pending && self->cache.surface)
    repaint_damaged (self);
  ensure_surface (self);
  cairo_set_source_surface (cr, va_surface_cache_get (&self->cache), 0, 0);
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

/* The primary button selects what it is released on, or pans the map it
 * was pressed on when it moves first; the middle button always pans. */
static gboolean
va_map_canvas_button_press_event (GtkWidget      *widget,
                                  GdkEventButton *event)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;

  if (event->type != GDK_BUTTON_PRESS ||
      (event->button != GDK_BUTTON_PRIMARY && event->button != GDK_BUTTON_MIDDLE))
    return FALSE;
  gtk_widget_grab_focus (widget);
  self->press_button = event->button;
  self->press_x = event->x;
  self->press_y = event->y;
  self->panning = FALSE;
  if (event->button == GDK_BUTTON_MIDDLE && m)
    pan_begin (self, m);
  return TRUE;
}

static gboolean
va_map_canvas_motion_notify_event (GtkWidget      *widget,
                                   GdkEventMotion *event)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);
  VaMachine *m = self->session ? va_session_get_machine (self->session) : NULL;

  if (self->press_button == 0 || m == NULL)
    return FALSE;
  if (!self->panning &&
      hypot (event->x - self->press_x, event->y - self->press_y) >= DRAG_THRESHOLD)
    pan_begin (self, m);
  if (self->panning)
    pan_to (self, m, event->y - self->press_y);
  return TRUE;
}

static gboolean
va_map_canvas_button_release_event (GtkWidget      *widget,
                                    GdkEventButton *event)
{
  VaMapCanvas *self = VA_MAP_CANVAS (widget);

  if (event->button != self->press_button)
    return FALSE;
  if (!self->panning && event->button == GDK_BUTTON_PRIMARY)
    select_at (self, self->press_x, self->press_y);
  pan_end (self);
  return TRUE;
}

/* Ctrl+scroll zooms the map under the pointer around the pointer. */
static gboolean
va_map_canvas_scroll_event (GtkWidget      *widget,
                            GdkEventScroll *event)
{
  double dy = 0;

  if (!(event->state & GDK_CONTROL_MASK))
    return FALSE;
  if (event->direction == GDK_SCROLL_UP)
    dy = -1;
  else if (event->direction == GDK_SCROLL_DOWN)
    dy = 1;
  else if (event->direction == GDK_SCROLL_SMOOTH)
    gdk_event_get_scroll_deltas ((GdkEvent *) event, NULL, &dy);
  if (dy != 0)
    zoom_at (VA_MAP_CANVAS (widget), event->x, event->y, dy < 0 ? 2.0 : 0.5);
  return TRUE;
}

#define TOOLTIP_SLACK 8   /* px each way */

static gboolean
va_map_canvas_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard,
                             GtkTooltip *tooltip)
{
  g_autofree char *text = NULL;
  /* GTK hides the tooltip, without starting its delay again, when the
   * pointer leaves this area (strict comparisons): centred on the pointer,
   * so small moves either way keep it up with the text of the new point,
   * and a move farther away brings it back there after the browse delay. */
  GdkRectangle area = { x - TOOLTIP_SLACK, y - TOOLTIP_SLACK, 2 * TOOLTIP_SLACK + 1, 2 * TOOLTIP_SLACK + 1 };

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

  va_session_bind (&self->session, NULL, NULL, self);
  va_surface_cache_clear (&self->cache);
  clear_spare (self);
  g_clear_object (&self->pinch);
  GTK_WIDGET_CLASS (va_map_canvas_parent_class)->destroy (widget);
}

static void
va_map_canvas_finalize (GObject *object)
{
  VaMapCanvas *self = VA_MAP_CANVAS (object);

  g_clear_pointer (&self->prefetch, va_raster_prefetch_cancel);
  g_clear_pointer (&self->raster, va_phys_raster_free);
  g_clear_pointer (&self->damage, va_map_damage_free);
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
  widget_class->button_release_event = va_map_canvas_button_release_event;
  widget_class->motion_notify_event = va_map_canvas_motion_notify_event;
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
  self->damage = va_map_damage_new ();
  gtk_widget_set_can_focus (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_add_events (widget, GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK |
                                 GDK_SCROLL_MASK | GDK_POINTER_MOTION_MASK |
                                 GDK_KEY_PRESS_MASK | GDK_TOUCHPAD_GESTURE_MASK);
  gtk_widget_set_size_request (widget, 560, 420);
  self->pinch = gtk_gesture_zoom_new (widget);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->pinch), GTK_PHASE_BUBBLE);
  g_signal_connect (self->pinch, "begin", G_CALLBACK (pinch_begin_cb), self);
  g_signal_connect (self->pinch, "scale-changed", G_CALLBACK (pinch_scale_changed_cb), self);
  g_signal_connect (self->pinch, "end", G_CALLBACK (pinch_end_cb), self);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);
  g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);
}

GtkWidget *
va_map_canvas_new (void)
{
  return g_object_new (VA_TYPE_MAP_CANVAS, NULL);
}
