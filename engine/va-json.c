/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The machine as one JSON document, written by hand into a GString. */
#define G_LOG_DOMAIN "va-json"

#include "va-json.h"
#include "va-cma.h"
#include "va-kmalloc.h"
#include "va-vmalloc.h"
#include "va-gfp.h"

#define JSON_MAX_DEPTH 16
#define JSON_MAX_INLINE_PFNS 64   /* an allocation lists its pfns up to this many pages */

/* A small streaming writer: containers nest, members are separated by
 * commas, and "inline" containers (arrays of numbers) stay on one line. */
typedef struct {
  GString *s;
  guint    depth;
  gboolean first[JSON_MAX_DEPTH];
  gboolean inline_[JSON_MAX_DEPTH];
} Json;

/* A JSON string: escapes '"', '\\' and control characters (as \u00XX);
 * invalid UTF-8 is repaired first so the document stays valid. */
static void
append_string (GString    *s,
               const char *text)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  g_string_append_c (s, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (s, "\\\"");
          break;
        case '\\':
          g_string_append (s, "\\\\");
          break;
        case '\n':
          g_string_append (s, "\\n");
          break;
        case '\t':
          g_string_append (s, "\\t");
          break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (s, "\\u%04x", (guint) *p);
          else
            g_string_append_c (s, (char) *p);
        }
    }
  g_string_append_c (s, '"');
}

static void
json_indent (Json *j)
{
  g_string_append_c (j->s, '\n');
  for (guint i = 0; i < j->depth; i++)
    g_string_append (j->s, "  ");
}

/* Starts a member (in an object, @key) or an element (in an array, NULL). */
static void
json_sep (Json       *j,
          const char *key)
{
  if (j->depth > 0)
    {
      if (!j->first[j->depth])
        g_string_append (j->s, j->inline_[j->depth] ? ", " : ",");
      if (!j->inline_[j->depth])
        json_indent (j);
      j->first[j->depth] = FALSE;
    }
  if (key)
    {
      append_string (j->s, key);
      g_string_append (j->s, ": ");
    }
}

static void
json_begin (Json       *j,
            const char *key,
            char        open,
            gboolean    inline_)
{
  json_sep (j, key);
  g_string_append_c (j->s, open);
  g_return_if_fail (j->depth + 1 < JSON_MAX_DEPTH);
  j->depth++;
  j->first[j->depth] = TRUE;
  j->inline_[j->depth] = inline_ || (j->depth > 1 && j->inline_[j->depth - 1]);
}

static void
json_end (Json *j,
          char  close)
{
  gboolean multiline = !j->inline_[j->depth] && !j->first[j->depth];

  g_return_if_fail (j->depth > 0);
  j->depth--;
  if (multiline)
    json_indent (j);
  g_string_append_c (j->s, close);
}

#define json_object(j, key)        json_begin ((j), (key), '{', FALSE)
#define json_object_inline(j, key) json_begin ((j), (key), '{', TRUE)
#define json_array(j, key)         json_begin ((j), (key), '[', FALSE)
#define json_array_inline(j, key)  json_begin ((j), (key), '[', TRUE)
#define json_end_object(j)         json_end ((j), '}')
#define json_end_array(j)          json_end ((j), ']')

static void
json_uint (Json       *j,
           const char *key,
           guint64     value)
{
  json_sep (j, key);
  g_string_append_printf (j->s, "%" G_GUINT64_FORMAT, value);
}

static void
json_int (Json       *j,
          const char *key,
          gint64      value)
{
  json_sep (j, key);
  g_string_append_printf (j->s, "%" G_GINT64_FORMAT, value);
}

static void
json_bool (Json       *j,
           const char *key,
           gboolean    value)
{
  json_sep (j, key);
  g_string_append (j->s, value ? "true" : "false");
}

static void
json_str (Json       *j,
          const char *key,
          const char *value)
{
  json_sep (j, key);
  if (value)
    append_string (j->s, value);
  else
    g_string_append (j->s, "null");
}

static void
json_list_pfns (Json            *j,
                const char      *key,
                const VaMachine *m,
                const VaList    *list)
{
  guint32 steps = 0;

  json_array_inline (j, key);
  /* bounded walk: a damaged list must not hang the writer */
  for (guint32 pfn = list->head; pfn != VA_PFN_NONE && pfn < m->nr_pfns && steps <= m->nr_pfns;
       pfn = m->pages[pfn].next, steps++)
    json_uint (j, NULL, pfn);
  json_end_array (j);
}

static void
write_machine (Json      *j,
               VaMachine *m)
{
  const VaMachineConfig *c = &m->config;

  json_object (j, "machine");
  json_str (j, "profile", m->profile->name);
  json_uint (j, "ram", c->ram_bytes);
  json_bool (j, "pae", c->pae);
  json_uint (j, "page_offset", c->page_offset);
  json_uint (j, "vmalloc", c->vmalloc_bytes);
  json_uint (j, "mem", c->mem_bytes);
  json_uint (j, "cma", c->cma_bytes);
  json_uint (j, "seed", c->seed);
  json_uint (j, "cpus", c->cpus);
  json_bool (j, "pcp", c->pcp_enabled);
  json_end_object (j);
}

static void
write_layout (Json      *j,
              VaMachine *m)
{
  const VaLayout *l = &m->layout;

  json_object (j, "layout");
  json_uint (j, "page_offset", l->page_offset);
  json_uint (j, "high_memory", l->high_memory);
  json_uint (j, "vmalloc_offset", l->vmalloc_offset);
  json_uint (j, "vmalloc_start", l->vmalloc_start);
  json_uint (j, "vmalloc_end", l->vmalloc_end);
  json_uint (j, "pkmap_base", l->pkmap_base);
  json_uint (j, "last_pkmap", l->last_pkmap);
  json_uint (j, "fixaddr_start", l->fixaddr_start);
  json_uint (j, "fixaddr_top", l->fixaddr_top);
  if (m->profile->gen == VA_GEN_6_1)
    {
      json_uint (j, "cea_base", l->cea_base);
      json_uint (j, "ldt_base", l->ldt_base);
    }
  json_uint (j, "maxmem", l->maxmem);
  json_uint (j, "max_low_pfn", l->max_low_pfn);
  json_uint (j, "highstart_pfn", l->highstart_pfn);
  json_uint (j, "max_pfn", l->max_pfn);
  json_array (j, "warnings");
  for (guint i = 0; l->warnings != NULL && i < l->warnings->len; i++)
    json_str (j, NULL, g_ptr_array_index (l->warnings, i));
  json_end_array (j);
  json_end_object (j);
}

static void
write_zone (Json      *j,
            VaMachine *m,
            guint      z,
            gboolean   with_free_lists)
{
  const VaProfile *p = m->profile;
  const VaZone *zone = &m->zones[z];

  json_object (j, NULL);
  json_str (j, "name", va_zone_name (z));
  json_uint (j, "start_pfn", zone->start_pfn);
  json_uint (j, "end_pfn", zone->end_pfn);
  json_uint (j, "spanned", zone->spanned);
  json_uint (j, "present", zone->present);
  json_uint (j, "managed", zone->managed);
  json_uint (j, "free", zone->free);
  json_uint (j, "min", zone->wmark_min);
  json_uint (j, "low", zone->wmark_low);
  json_uint (j, "high", zone->wmark_high);
  json_uint (j, "boost", zone->wmark_boost);

  json_array_inline (j, "lowmem_reserve");
  for (guint k = 0; k < p->nr_zones; k++)
    json_uint (j, NULL, zone->lowmem_reserve[k]);
  json_end_array (j);

  json_array_inline (j, "nr_free");
  for (guint o = 0; o < p->max_order; o++)
    json_uint (j, NULL, zone->free_area[o].nr_free);
  json_end_array (j);

  if (p->has_migratetypes)
    {
      json_object (j, "nr_free_by_type");
      for (guint mt = 0; mt < VA_MT_TYPES; mt++)
        {
          json_array_inline (j, va_migratetype_name (mt));
          for (guint o = 0; o < p->max_order; o++)
            json_uint (j, NULL, zone->free_area[o].free_list[mt].count);
          json_end_array (j);
        }
      json_end_object (j);
    }

  json_uint (j, "pcp_count", va_machine_pcp_pages (m, zone));
  json_uint (j, "cma_pages", zone->cma_pages);
  json_uint (j, "free_cma", zone->free_cma);

  if (with_free_lists)
    {
      json_object (j, "free_lists");
      for (guint o = 0; o < p->max_order; o++)
        for (guint mt = 0; mt < VA_MT_TYPES; mt++)
          {
            const VaList *list = &zone->free_area[o].free_list[mt];
            g_autofree char *key = NULL;

            if (list->head == VA_PFN_NONE)
              continue;
            key = g_strdup_printf ("%u:%s", o,
                                   p->has_migratetypes ? va_migratetype_name (mt) : "-");
            json_list_pfns (j, key, m, list);
          }
      json_end_object (j);
    }
  json_end_object (j);
}

static void
write_allocation (Json               *j,
                  VaMachine          *m,
                  const VaAllocation *a)
{
  g_autofree char *gfp = va_gfp_format (m->profile, a->gfp);
  gboolean placed = a->state != VA_ALLOC_FAILED;
  gboolean scattered = a->kind == VA_ALLOC_VMALLOC;   /* vmalloc: one frame per virtual page */
  guint64 pages = scattered ? a->nr_pages
                  : a->kind == VA_ALLOC_CMA ? a->size >> VA_PAGE_SHIFT   /* COUNT pages, any number */
                  : (guint64) 1 << a->order;

  json_object (j, a->name);
  json_str (j, "kind", va_alloc_kind_name (a->kind));
  json_str (j, "state", va_alloc_state_name (a->state));
  if (placed)
    {
      json_uint (j, "virt", a->virt);
      json_uint (j, "phys", a->kind == VA_ALLOC_KMALLOC ? (guint64) a->virt - m->config.page_offset
                                                         : (guint64) a->pfn << VA_PAGE_SHIFT);
    }
  json_uint (j, "size", a->size);
  json_uint (j, "order", a->order);
  json_str (j, "zone", a->zone < VA_NR_ZONES ? va_zone_name (a->zone) : NULL);
  /* kmap and cma_alloc take no GFP flags from the caller: null, not "0x0" */
  json_str (j, "gfp", a->gfp == 0 && (a->kind == VA_ALLOC_KMAP || a->kind == VA_ALLOC_CMA) ? NULL : gfp);
  if (placed)
    {
      json_uint (j, "pfn", a->pfn);
      json_uint (j, "pages", pages);
      if (pages <= JSON_MAX_INLINE_PFNS || scattered)
        {
          json_array_inline (j, "pfns");
          for (guint64 i = 0; i < pages; i++)
            json_uint (j, NULL, scattered ? a->pfns[i] : a->pfn + i);
          json_end_array (j);
        }
    }
  if (m->profile->has_migratetypes)
    json_str (j, "migratetype",
              a->migratetype < VA_MT_TYPES ? va_migratetype_name (a->migratetype) : NULL);
  if (a->kind == VA_ALLOC_KMALLOC && placed)
    json_str (j, "slab_class", va_kmalloc_class_name (m, a));
  if (a->kind == VA_ALLOC_KMAP && placed)
    {
      json_int (j, "pkmap_slot", a->pkmap_slot);
      json_str (j, "target", ((VaAllocation *) m->allocs->pdata[a->target_id])->name);
    }
  json_bool (j, "pinned", a->pinned);
  json_uint (j, "op", a->op_index);
  if (a->state == VA_ALLOC_FAILED)
    json_str (j, "reason", a->reason);
  json_end_object (j);
}

/* vmap_areas: every area of the vmalloc window in address order. */
static void
write_vmap_areas (Json      *j,
                  VaMachine *m)
{
  g_autoptr(GPtrArray) areas = va_vmalloc_sorted_areas (m);

  json_array (j, "vmap_areas");
  for (guint i = 0; i < areas->len; i++)
    {
      const VaVmapArea *area = areas->pdata[i];
      const VaAllocation *a = m->allocs->pdata[area->alloc_id];

      json_object (j, NULL);
      json_uint (j, "start", area->start);
      json_uint (j, "end", (guint64) area->start + area->size);
      json_uint (j, "size", area->size);
      json_str (j, "owner", a->name);
      json_uint (j, "pages", area->nr_pages);
      json_str (j, "kind", "vmalloc");
      json_bool (j, "lazy", area->lazy);
      json_end_object (j);
    }
  json_end_array (j);
}

/* cma_areas: each struct cma with its debugfs numbers (mm/cma_debug.c). */
static void
write_cma_areas (Json      *j,
                 VaMachine *m)
{
  json_array (j, "cma_areas");
  for (guint i = 0; m->cma != NULL && m->cma->areas != NULL && i < m->cma->areas->len; i++)
    {
      const VaCmaArea *area = g_ptr_array_index (m->cma->areas, i);

      json_object (j, NULL);
      json_str (j, "name", area->name);
      json_uint (j, "base_pfn", area->base_pfn);
      json_uint (j, "count", area->count);
      json_uint (j, "order_per_bit", area->order_per_bit);
      json_uint (j, "used", va_cma_area_used (area));
      json_uint (j, "maxchunk", va_cma_area_maxchunk (area));
      json_end_object (j);
    }
  json_end_array (j);
}

static void
write_events (Json      *j,
              VaMachine *m)
{
  json_array (j, "event_list");
  for (guint i = 0; m->events != NULL && i < m->events->len; i++)
    {
      const VaEvent *ev = &g_array_index (m->events, VaEvent, i);

      json_object_inline (j, NULL);
      json_str (j, "type", va_event_type_name (ev->type));
      json_str (j, "fn", va_event_function (ev));
      json_str (j, "zone", ev->zone < VA_NR_ZONES ? va_zone_name (ev->zone) : NULL);
      json_uint (j, "order", ev->order);
      json_uint (j, "mt", ev->mt);
      json_uint (j, "mt2", ev->mt2);
      json_uint (j, "pfn", ev->pfn);
      json_uint (j, "pfn2", ev->pfn2);
      json_array_inline (j, "v");
      for (guint k = 0; k < G_N_ELEMENTS (ev->v); k++)
        json_uint (j, NULL, ev->v[k]);
      json_end_array (j);
      json_end_object (j);
    }
  json_end_array (j);
}

/* "history": the op log behind the state (ops recorded, position,
 * checkpoints, and what they cost in bytes). */
static void
write_history (Json      *j,
               VaHistory *h)
{
  guint64 log = va_history_log_bytes (h), cps = va_history_checkpoint_bytes (h);

  json_object (j, "history");
  json_uint (j, "ops", va_history_length (h));
  json_uint (j, "position", va_history_position (h));
  json_uint (j, "checkpoints", va_history_checkpoints (h));
  json_uint (j, "interval", va_history_interval (h));
  json_uint (j, "log_bytes", log);
  json_uint (j, "checkpoint_bytes", cps);
  json_uint (j, "bytes", log + cps);
  json_end_object (j);
}

static char *
machine_json (VaMachine *m,
              VaHistory *history,
              gboolean   with_free_lists,
              gboolean   with_events)
{
  g_autoptr (GString) s = g_string_new (NULL);
  Json j = { .s = s, .depth = 0 };

  g_return_val_if_fail (m != NULL, NULL);

  json_object (&j, NULL);
  write_machine (&j, m);
  write_layout (&j, m);
  json_uint (&j, "pageblock_order", m->pageblock_order);
  json_uint (&j, "min_free_kbytes", m->min_free_kbytes);

  json_array (&j, "zones");
  for (guint z = 0; z < m->profile->nr_zones; z++)
    write_zone (&j, m, z, with_free_lists);
  json_end_array (&j);

  /* Named allocations in the order their names were first used (a name
   * keeps one record, which a new allocation under it reuses), so every key
   * appears once. */
  json_object (&j, "allocations");
  for (guint i = 0; m->allocs != NULL && i < m->allocs->len; i++)
    {
      const VaAllocation *a = g_ptr_array_index (m->allocs, i);

      if (a == NULL || a->name == NULL)
        continue;
      write_allocation (&j, m, a);
    }
  json_end_object (&j);

  write_vmap_areas (&j, m);
  write_cma_areas (&j, m);
  json_uint (&j, "ops", m->op_count);
  json_uint (&j, "events", m->events ? m->events->len : 0);
  if (with_events)
    write_events (&j, m);
  if (history != NULL)
    write_history (&j, history);

  json_array (&j, "log");
  for (guint i = 0; m->log != NULL && i < m->log->len; i++)
    json_str (&j, NULL, g_ptr_array_index (m->log, i));
  json_end_array (&j);
  json_end_object (&j);
  g_string_append_c (s, '\n');

  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
va_json_machine (VaMachine *m,
                 gboolean   with_free_lists,
                 gboolean   with_events)
{
  return machine_json (m, NULL, with_free_lists, with_events);
}

char *
va_json_machine_with_history (VaMachine *m,
                              VaHistory *history,
                              gboolean   with_free_lists,
                              gboolean   with_events)
{
  return machine_json (m, history, with_free_lists, with_events);
}
