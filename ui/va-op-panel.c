/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-op-panel"

#include "va-op-panel.h"

#include <glib/gi18n.h>

#include <string.h>

/* Which fields each op uses. */
enum {
  F_ORDER  = 1 << 0,
  F_GFP    = 1 << 1,
  F_SIZE   = 1 << 2,
  F_TARGET = 1 << 3,
  F_COUNT  = 1 << 4,
  F_SEED   = 1 << 5,
  F_OPS    = 1 << 6,
  F_PAGES  = 1 << 7,
  F_NONAME = 1 << 8,    /* a workload: its blocks have no names */
};

/* Workloads run on the main thread when applied (a seek across one
 * restores the checkpoint taken after it): the form takes up to this many
 * ops or pages, about half a second; larger ones run with `vmatlas run`. */
#define FORM_MAX_WORKLOAD 1000000u

static const struct {
  const char *kind;
  const char *label;
  guint       fields;
  const char *hint;
} op_forms[] = {
  { "alloc",       "alloc_pages",  F_ORDER | F_GFP, N_("2^order contiguous frames from the buddy allocator") },
  { "free",        "__free_pages", 0,               N_("give an alloc's block back") },
  { "kmalloc",     "kmalloc",      F_SIZE | F_GFP,  N_("a slab object (or whole pages when large)") },
  { "vmalloc",     "vmalloc",      F_SIZE,          N_("virtually contiguous, page by page") },
  { "vmalloc_32",  "vmalloc_32",   F_SIZE,          N_("vmalloc from lowmem (32-bit addressable) pages") },
  { "vfree",       "vfree",        0,               N_("free a vmalloc area") },
  { "kmap",        "kmap",         F_TARGET,        N_("map a page (NAME[i]) into the pkmap window") },
  { "kunmap",      "kunmap",       0,               N_("drop a kmap") },
  { "cma_alloc",   "cma_alloc",    F_COUNT,         N_("contiguous pages from the CMA area") },
  { "cma_release", "cma_release",  0,               N_("give CMA pages back") },
  { "pin",         "pin",          0,               N_("pin an allocation (CMA cannot migrate it)") },
  { "unpin",       "unpin",        0,               N_("unpin it") },
  { "workload fragment", "workload: fragment", F_NONAME | F_SEED | F_OPS,
    N_("a random mix of allocations and frees that fragments memory") },
  { "workload movable",  "workload: movable",  F_NONAME | F_SEED | F_PAGES,
    N_("movable user pages (profiles with mobility grouping), e.g. to fill a CMA area") },
};

static const char *gfp_presets[] = {
  "GFP_KERNEL", "GFP_ATOMIC", "GFP_USER", "GFP_HIGHUSER", "GFP_HIGHUSER_MOVABLE",
  "GFP_KERNEL|__GFP_DMA", "GFP_NOWAIT", "GFP_DMA",
};

struct _VaOpPanel
{
  GtkBox      parent_instance;

  VaSession  *session;
  GtkWidget  *kind;
  GtkWidget  *hint;
  GtkWidget  *name;
  GtkWidget  *order, *order_label;
  GtkWidget  *gfp, *gfp_label;
  GtkWidget  *size, *size_label;
  GtkWidget  *target, *target_label;
  GtkWidget  *count, *count_label;
  GtkWidget  *seed, *seed_label;
  GtkWidget  *ops, *ops_label;
  GtkWidget  *pages, *pages_label;
  GtkWidget  *name_label;
  GtkWidget  *error;
  char       *error_text;
};

G_DEFINE_FINAL_TYPE (VaOpPanel, va_op_panel, GTK_TYPE_BOX)

static int
current_form (VaOpPanel *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->kind));

  for (guint i = 0; id && i < G_N_ELEMENTS (op_forms); i++)
    if (g_str_equal (op_forms[i].kind, id))
      return i;
  return 0;
}

static void
show_row (GtkWidget *label,
          GtkWidget *field,
          gboolean   visible)
{
  gtk_widget_set_visible (label, visible);
  gtk_widget_set_visible (field, visible);
}

static void
set_error (VaOpPanel  *self,
           const char *text)
{
  g_free (self->error_text);
  self->error_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->error), text ? text : "");
  gtk_widget_set_visible (self->error, text != NULL);
}

static void
kind_changed_cb (VaOpPanel *self)
{
  int f = current_form (self);
  guint fields = op_forms[f].fields;

  show_row (self->order_label, self->order, fields & F_ORDER);
  show_row (self->gfp_label, self->gfp, fields & F_GFP);
  show_row (self->size_label, self->size, fields & F_SIZE);
  show_row (self->target_label, self->target, fields & F_TARGET);
  show_row (self->count_label, self->count, fields & F_COUNT);
  show_row (self->seed_label, self->seed, fields & F_SEED);
  show_row (self->ops_label, self->ops, fields & F_OPS);
  show_row (self->pages_label, self->pages, fields & F_PAGES);
  show_row (self->name_label, self->name, !(fields & F_NONAME));
  gtk_label_set_text (GTK_LABEL (self->hint), _(op_forms[f].hint));
  set_error (self, NULL);
}

static char *
entry_text (GtkWidget *entry)
{
  return g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (entry))));
}

/* " key=VALUE" from @entry, when the form has the field.  An empty value
 * is left in ("seed=") so the parser names the missing value. */
static void
append_option (GString    *s,
               gboolean    has,
               const char *key,
               GtkWidget  *entry)
{
  g_autofree char *value = NULL;

  if (!has)
    return;
  value = entry_text (entry);
  g_string_append_printf (s, " %s=%s", key, value);
}

/* The form's own limits, checked before the parser and the machine see
 * the op: none yet for the ops that run in a blink; a workload's size is
 * kept to what the main thread runs in about half a second. */
static gboolean
check_form (VaOpPanel  *self,
            guint       fields,
            GError    **error)
{
  g_autofree char *name = entry_text (self->name);
  GtkWidget *count = fields & F_OPS ? self->ops : fields & F_PAGES ? self->pages : NULL;
  guint64 n;

  if (!(fields & F_NONAME) && *name == '\0')
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID, _("Give the allocation a name"));
      return FALSE;
    }
  if (count)
    {
      g_autofree char *text = entry_text (count);
      const char *key = count == self->ops ? "ops" : "pages";

      /* Anything but a plain number is the parser's to explain. */
      if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &n, NULL) &&
          (n == 0 || n > FORM_MAX_WORKLOAD))
        {
          g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                       _("%s: from 1 to %u in the explorer (it runs on the main thread); "
                         "run larger workloads with vmatlas run"), key, FORM_MAX_WORKLOAD);
          return FALSE;
        }
    }
  return TRUE;
}

/* The form as one .vms statement. */
static char *
form_to_vms (VaOpPanel *self)
{
  int f = current_form (self);
  guint fields = op_forms[f].fields;
  GString *s = g_string_new (op_forms[f].kind);
  g_autofree char *name = entry_text (self->name);

  if (!(fields & F_NONAME))
    g_string_append_printf (s, " %s", name);
  if (fields & F_SIZE)
    {
      g_autofree char *size = entry_text (self->size);

      g_string_append_printf (s, " %s", size);
    }
  if (fields & F_TARGET)
    {
      g_autofree char *target = entry_text (self->target);

      g_string_append_printf (s, " %s", target);
    }
  if (fields & F_COUNT)
    g_string_append_printf (s, " %d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->count)));
  append_option (s, fields & F_SEED, "seed", self->seed);
  append_option (s, fields & F_OPS, "ops", self->ops);
  append_option (s, fields & F_PAGES, "pages", self->pages);
  if (fields & F_ORDER)
    g_string_append_printf (s, " order=%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->order)));
  if (fields & F_GFP)
    {
      g_autofree char *gfp = entry_text (gtk_bin_get_child (GTK_BIN (self->gfp)));

      if (*gfp)
        g_string_append_printf (s, " gfp=%s", gfp);
    }
  return g_string_free (s, FALSE);
}

/* "form:1:9: order: …" → "order: …" */
static const char *
strip_location (const char *message)
{
  const char *p = message;

  for (int colons = 0; colons < 3; colons++)
    {
      p = strstr (p, ":");
      if (p == NULL)
        return message;
      p++;
    }
  while (*p == ' ')
    p++;
  return p;
}

gboolean
va_op_panel_apply (VaOpPanel *self,
                   GError   **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(VaScenario) parsed = NULL;
  g_autofree char *line = NULL;
  const VaStatement *st;

  g_return_val_if_fail (VA_IS_OP_PANEL (self), FALSE);
  if (!check_form (self, op_forms[current_form (self)].fields, &local))
    goto refused;
  line = form_to_vms (self);
  parsed = va_scenario_parse ("form", line, &local);
  if (parsed == NULL)
    {
      const char *msg = strip_location (local->message);
      g_autofree char *copy = g_strdup (msg);

      g_free (local->message);
      local->message = g_steal_pointer (&copy);
      goto refused;
    }
  st = va_scenario_get_statement (parsed, 0);
  if (st->kind != VA_STMT_OP)
    {
      g_set_error (&local, VA_ERROR, VA_ERROR_INVALID, _("“%s” is not an op"), line);
      goto refused;
    }
  if (self->session == NULL || !va_session_apply_op (self->session, st->op, &local))
    {
      if (local == NULL)
        g_set_error (&local, VA_ERROR, VA_ERROR_STATE, _("No scenario is loaded"));
      goto refused;
    }
  set_error (self, NULL);
  return TRUE;

refused:
  set_error (self, local->message);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

const char *
va_op_panel_get_error (VaOpPanel *self)
{
  g_return_val_if_fail (VA_IS_OP_PANEL (self), NULL);
  return self->error_text;
}

static void
apply_clicked_cb (VaOpPanel *self)
{
  va_op_panel_apply (self, NULL);
}

void
va_op_panel_set_fields (VaOpPanel  *self,
                        const char *kind,
                        const char *name,
                        const char *size)
{
  g_return_if_fail (VA_IS_OP_PANEL (self));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind), kind);
  if (name)
    gtk_entry_set_text (GTK_ENTRY (self->name), name);
  if (size)
    gtk_entry_set_text (GTK_ENTRY (self->size), size);
}

/* The text entry of field @field, or NULL. */
static GtkWidget *
field_entry (VaOpPanel  *self,
             const char *field)
{
  struct { const char *key; GtkWidget *entry; } entries[] = {
    { "name", self->name }, { "size", self->size }, { "target", self->target },
    { "seed", self->seed }, { "ops", self->ops }, { "pages", self->pages },
  };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (g_str_equal (entries[i].key, field))
      return entries[i].entry;
  return NULL;
}

void
va_op_panel_set_field (VaOpPanel  *self,
                       const char *field,
                       const char *value)
{
  GtkWidget *entry;

  g_return_if_fail (VA_IS_OP_PANEL (self));
  g_return_if_fail (field != NULL && value != NULL);
  entry = field_entry (self, field);
  g_return_if_fail (entry != NULL);
  gtk_entry_set_text (GTK_ENTRY (entry), value);
}

GtkWidget *
va_op_panel_get_field (VaOpPanel  *self,
                       const char *field)
{
  g_return_val_if_fail (VA_IS_OP_PANEL (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);
  return field_entry (self, field);
}

void
va_op_panel_set_session (VaOpPanel *self,
                         VaSession *session)
{
  g_return_if_fail (VA_IS_OP_PANEL (self));
  g_set_object (&self->session, session);
}

static GtkWidget *
add_row (GtkGrid    *grid,
         int         row,
         const char *text,
         GtkWidget  *field,
         GtkWidget **label_out)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), field);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  gtk_widget_set_hexpand (field, TRUE);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, field, 1, row, 1, 1);
  if (label_out)
    *label_out = label;
  return field;
}

static void
va_op_panel_dispose (GObject *object)
{
  VaOpPanel *self = VA_OP_PANEL (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->error_text, g_free);
  G_OBJECT_CLASS (va_op_panel_parent_class)->dispose (object);
}

static void
va_op_panel_class_init (VaOpPanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = va_op_panel_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "vaoppanel");
}

static void
va_op_panel_init (VaOpPanel *self)
{
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  GtkWidget *apply;
  int row = 0;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_grid_set_row_spacing (grid, 6);
  gtk_grid_set_column_spacing (grid, 8);

  self->kind = gtk_combo_box_text_new ();
  for (guint i = 0; i < G_N_ELEMENTS (op_forms); i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->kind), op_forms[i].kind, op_forms[i].label);
  add_row (grid, row++, "_Op", self->kind, NULL);
  self->name = add_row (grid, row++, _("_Name"), gtk_entry_new (), &self->name_label);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->name), _("e.g. buf"));
  self->order = add_row (grid, row++, _("O_rder"), gtk_spin_button_new_with_range (0, 10, 1),
                         &self->order_label);
  self->gfp = add_row (grid, row++, "_GFP", gtk_combo_box_text_new_with_entry (), &self->gfp_label);
  for (guint i = 0; i < G_N_ELEMENTS (gfp_presets); i++)
    gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (self->gfp), gfp_presets[i]);
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->gfp), 0);
  self->size = add_row (grid, row++, _("_Size"), gtk_entry_new (), &self->size_label);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->size), _("bytes, or K/M: 16K"));
  self->target = add_row (grid, row++, _("_Page"), gtk_entry_new (), &self->target_label);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->target), _("NAME[i], e.g. buf[2]"));
  self->count = add_row (grid, row++, _("_Count"), gtk_spin_button_new_with_range (1, 1 << 20, 1),
                         &self->count_label);
  self->seed = add_row (grid, row++, _("S_eed"), gtk_entry_new (), &self->seed_label);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->seed), _("any number: the same seed, the same mix"));
  self->ops = add_row (grid, row++, _("Op_s"), gtk_entry_new (), &self->ops_label);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->ops), _("allocations and frees, e.g. 20000"));
  self->pages = add_row (grid, row++, _("Pa_ges"), gtk_entry_new (), &self->pages_label);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->pages), _("pages to allocate, e.g. 50000"));
  gtk_box_pack_start (GTK_BOX (self), GTK_WIDGET (grid), FALSE, FALSE, 0);

  self->hint = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->hint), 0);
  gtk_label_set_line_wrap (GTK_LABEL (self->hint), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->hint), "dim-label");
  gtk_box_pack_start (GTK_BOX (self), self->hint, FALSE, FALSE, 0);

  apply = gtk_button_new_with_mnemonic (_("_Apply"));
  gtk_style_context_add_class (gtk_widget_get_style_context (apply), "suggested-action");
  gtk_widget_set_halign (apply, GTK_ALIGN_END);
  g_signal_connect_swapped (apply, "clicked", G_CALLBACK (apply_clicked_cb), self);
  g_signal_connect_swapped (self->name, "activate", G_CALLBACK (apply_clicked_cb), self);
  g_signal_connect_swapped (self->size, "activate", G_CALLBACK (apply_clicked_cb), self);
  g_signal_connect_swapped (self->seed, "activate", G_CALLBACK (apply_clicked_cb), self);
  g_signal_connect_swapped (self->ops, "activate", G_CALLBACK (apply_clicked_cb), self);
  g_signal_connect_swapped (self->pages, "activate", G_CALLBACK (apply_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (self), apply, FALSE, FALSE, 0);

  self->error = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->error), 0);
  gtk_label_set_line_wrap (GTK_LABEL (self->error), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->error), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->error), "error");
  gtk_box_pack_start (GTK_BOX (self), self->error, FALSE, FALSE, 0);

  gtk_widget_show_all (GTK_WIDGET (self));
  g_signal_connect_swapped (self->kind, "changed", G_CALLBACK (kind_changed_cb), self);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind), "vmalloc");
}

GtkWidget *
va_op_panel_new (void)
{
  return g_object_new (VA_TYPE_OP_PANEL, NULL);
}
