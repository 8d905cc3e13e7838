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

/* The form's rows below the op chooser, in order.  A row is made the
 * first time a form shows it (or a test asks for it): at start-up only the
 * vmalloc form's two rows exist, which keeps the window's first frame
 * from paying for spin buttons, the GFP combo and placeholders nobody sees. */
enum {
  ROW_NAME, ROW_ORDER, ROW_GFP, ROW_SIZE, ROW_TARGET, ROW_COUNT, ROW_SEED, ROW_OPS, ROW_PAGES,
  N_ROWS
};

typedef enum { KIND_ENTRY, KIND_SPIN, KIND_GFP } RowKind;

static const struct {
  const char *key;          /* va_op_panel_get_field() name, NULL if none */
  const char *label;
  RowKind     kind;
  const char *placeholder;
  double      min, max;     /* of a spin button */
} row_info[N_ROWS] = {
  [ROW_NAME]   = { "name",   N_("_Name"),  KIND_ENTRY, N_("e.g. buf"), 0, 0 },
  [ROW_ORDER]  = { NULL,     N_("O_rder"), KIND_SPIN,  NULL, 0, 10 },
  [ROW_GFP]    = { NULL,     "_GFP",       KIND_GFP,   NULL, 0, 0 },
  [ROW_SIZE]   = { "size",   N_("_Size"),  KIND_ENTRY, N_("bytes, or K/M: 16K"), 0, 0 },
  [ROW_TARGET] = { "target", N_("_Page"),  KIND_ENTRY, N_("NAME[i], e.g. buf[2]"), 0, 0 },
  [ROW_COUNT]  = { NULL,     N_("_Count"), KIND_SPIN,  NULL, 1, 1 << 20 },
  [ROW_SEED]   = { "seed",   N_("S_eed"),  KIND_ENTRY, N_("any number: the same seed, the same mix"), 0, 0 },
  [ROW_OPS]    = { "ops",    N_("Op_s"),   KIND_ENTRY, N_("allocations and frees, e.g. 20000"), 0, 0 },
  [ROW_PAGES]  = { "pages",  N_("Pa_ges"), KIND_ENTRY, N_("pages to allocate, e.g. 50000"), 0, 0 },
};

struct _VaOpPanel
{
  GtkBox      parent_instance;

  VaSession  *session;
  GtkGrid    *grid;
  GtkWidget  *kind;            /* the op chooser: a menu button */
  GtkWidget  *kind_label;
  GtkWidget  *kind_popover;    /* its menu, filled after the first frame */
  guint       form;            /* index in op_forms[] */
  guint       menu_idle;
  GSimpleAction *kind_action;  /* "op.kind": the form's keyword, for the menu's radio items */
  GtkWidget  *hint;
  GtkWidget  *field[N_ROWS];   /* NULL until the row is made */
  GtkWidget  *label[N_ROWS];
  GtkWidget  *error;
  char       *error_text;
};

G_DEFINE_FINAL_TYPE (VaOpPanel, va_op_panel, GTK_TYPE_BOX)

/* The index of the form for scenario keyword @kind, or -1. */
static int
find_form (const char *kind)
{
  for (guint i = 0; kind && i < G_N_ELEMENTS (op_forms); i++)
    if (g_str_equal (op_forms[i].kind, kind))
      return i;
  return -1;
}

/* Whether form @f shows row @row. */
static gboolean
form_has_row (guint fields,
              guint row)
{
  static const guint row_field[N_ROWS] = {
    [ROW_ORDER] = F_ORDER, [ROW_GFP] = F_GFP, [ROW_SIZE] = F_SIZE, [ROW_TARGET] = F_TARGET,
    [ROW_COUNT] = F_COUNT, [ROW_SEED] = F_SEED, [ROW_OPS] = F_OPS, [ROW_PAGES] = F_PAGES,
  };

  return row == ROW_NAME ? !(fields & F_NONAME) : (fields & row_field[row]) != 0;
}

static void apply_clicked_cb (VaOpPanel *self);

static GtkWidget *
make_field (guint row)
{
  GtkWidget *field;

  switch (row_info[row].kind)
    {
    case KIND_SPIN:
      return gtk_spin_button_new_with_range (row_info[row].min, row_info[row].max, 1);
    case KIND_GFP:
      field = gtk_combo_box_text_new_with_entry ();
      for (guint i = 0; i < G_N_ELEMENTS (gfp_presets); i++)
        gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (field), gfp_presets[i]);
      gtk_combo_box_set_active (GTK_COMBO_BOX (field), 0);
      return field;
    case KIND_ENTRY:
    default:
      field = gtk_entry_new ();
      gtk_entry_set_placeholder_text (GTK_ENTRY (field), _(row_info[row].placeholder));
      return field;
    }
}

/* A labelled row of the form's grid; its label, to show and hide it. */
static GtkWidget *
attach_row (GtkGrid    *grid,
            int         top,
            const char *text,
            GtkWidget  *field)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), field);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  gtk_widget_set_hexpand (field, TRUE);
  gtk_grid_attach (grid, label, 0, top, 1, 1);
  gtk_grid_attach (grid, field, 1, top, 1, 1);
  return label;
}

/* Row @row's field, made (hidden) if it is not there yet. */
static GtkWidget *
ensure_row (VaOpPanel *self,
            guint      row)
{
  if (self->field[row])
    return self->field[row];
  self->field[row] = make_field (row);
  /* row 0 of the grid is the op chooser */
  self->label[row] = attach_row (self->grid, row + 1, _(row_info[row].label), self->field[row]);
  gtk_widget_set_no_show_all (self->label[row], TRUE);
  gtk_widget_set_no_show_all (self->field[row], TRUE);
  if (GTK_IS_ENTRY (self->field[row]))
    g_signal_connect_swapped (self->field[row], "activate", G_CALLBACK (apply_clicked_cb), self);
  return self->field[row];
}

static void
show_row (VaOpPanel *self,
          guint      row,
          gboolean   visible)
{
  if (visible)
    ensure_row (self, row);
  else if (self->field[row] == NULL)
    return;
  gtk_widget_set_visible (self->label[row], visible);
  gtk_widget_set_visible (self->field[row], visible);
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
show_form (VaOpPanel *self,
           guint      f)
{
  self->form = f;
  gtk_label_set_text (GTK_LABEL (self->kind_label), op_forms[f].label);
  g_simple_action_set_state (self->kind_action, g_variant_new_string (op_forms[f].kind));
  for (guint row = 0; row < N_ROWS; row++)
    show_row (self, row, form_has_row (op_forms[f].fields, row));
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
  g_autofree char *name = entry_text (ensure_row (self, ROW_NAME));
  GtkWidget *count = fields & F_OPS ? ensure_row (self, ROW_OPS)
                   : fields & F_PAGES ? ensure_row (self, ROW_PAGES) : NULL;
  guint64 n;

  if (!(fields & F_NONAME) && *name == '\0')
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID, _("Give the allocation a name"));
      return FALSE;
    }
  if (count)
    {
      g_autofree char *text = entry_text (count);
      const char *key = fields & F_OPS ? "ops" : "pages";

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
  int f = self->form;
  guint fields = op_forms[f].fields;
  GString *s = g_string_new (op_forms[f].kind);
  g_autofree char *name = entry_text (ensure_row (self, ROW_NAME));

  if (!(fields & F_NONAME))
    g_string_append_printf (s, " %s", name);
  if (fields & F_SIZE)
    {
      g_autofree char *size = entry_text (ensure_row (self, ROW_SIZE));

      g_string_append_printf (s, " %s", size);
    }
  if (fields & F_TARGET)
    {
      g_autofree char *target = entry_text (ensure_row (self, ROW_TARGET));

      g_string_append_printf (s, " %s", target);
    }
  if (fields & F_COUNT)
    g_string_append_printf (s, " %d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ensure_row (self, ROW_COUNT))));
  append_option (s, fields & F_SEED, "seed", ensure_row (self, ROW_SEED));
  append_option (s, fields & F_OPS, "ops", ensure_row (self, ROW_OPS));
  append_option (s, fields & F_PAGES, "pages", ensure_row (self, ROW_PAGES));
  if (fields & F_ORDER)
    g_string_append_printf (s, " order=%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ensure_row (self, ROW_ORDER))));
  if (fields & F_GFP)
    {
      g_autofree char *gfp = entry_text (gtk_bin_get_child (GTK_BIN (ensure_row (self, ROW_GFP))));

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
  if (!check_form (self, op_forms[self->form].fields, &local))
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
  int f;

  g_return_if_fail (VA_IS_OP_PANEL (self));
  f = find_form (kind);
  g_return_if_fail (f >= 0);
  show_form (self, f);
  if (name)
    gtk_entry_set_text (GTK_ENTRY (ensure_row (self, ROW_NAME)), name);
  if (size)
    gtk_entry_set_text (GTK_ENTRY (ensure_row (self, ROW_SIZE)), size);
}

/* The text entry of field @field, or NULL. */
static GtkWidget *
field_entry (VaOpPanel  *self,
             const char *field)
{
  for (guint row = 0; row < N_ROWS; row++)
    if (row_info[row].key && g_str_equal (row_info[row].key, field))
      return ensure_row (self, row);
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

GtkWidget *
va_op_panel_get_chooser (VaOpPanel *self)
{
  g_return_val_if_fail (VA_IS_OP_PANEL (self), NULL);
  return self->kind;
}

void
va_op_panel_set_session (VaOpPanel *self,
                         VaSession *session)
{
  g_return_if_fail (VA_IS_OP_PANEL (self));
  g_set_object (&self->session, session);
}

/* ------------------------------------------------------------------ */
/* The op chooser                                                       */

/* A menu button over the op's name, not a GtkComboBox: a combo measures
 * every row's cell at each size request and cost the window's first
 * frame ~15 M instructions; the menu is a popover of radio items bound to
 * the "op.kind" action, filled once the panel has been drawn. */
static void
kind_change_state (GSimpleAction *action,
                   GVariant      *value,
                   gpointer       user_data)
{
  VaOpPanel *self = user_data;
  int f = find_form (g_variant_get_string (value, NULL));

  if (f >= 0)
    show_form (self, f);
  /* GTK keeps a popover open after a radio item (it does close after a
   * plain one); a chooser should close once chosen. */
  gtk_popover_popdown (GTK_POPOVER (self->kind_popover));
}

static gboolean
fill_menu_idle (gpointer data)
{
  VaOpPanel *self = data;
  g_autoptr(GMenu) menu = g_menu_new ();

  self->menu_idle = 0;
  for (guint i = 0; i < G_N_ELEMENTS (op_forms); i++)
    {
      /* "__" shows one underscore ("_" would make a mnemonic) */
      g_auto(GStrv) parts = g_strsplit (op_forms[i].label, "_", -1);
      g_autofree char *label = g_strjoinv ("__", parts);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "op.kind", g_variant_new_string (op_forms[i].kind));
      g_menu_append_item (menu, item);
    }
  gtk_popover_bind_model (GTK_POPOVER (self->kind_popover), G_MENU_MODEL (menu), NULL);
  return G_SOURCE_REMOVE;
}

static void
map_cb (VaOpPanel *self)
{
  g_signal_handlers_disconnect_by_func (self, map_cb, NULL);
  self->menu_idle = g_idle_add_full (G_PRIORITY_LOW, fill_menu_idle, self, NULL);
}

static void
make_chooser (VaOpPanel *self)
{
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->kind_action = g_simple_action_new_stateful ("kind", G_VARIANT_TYPE_STRING,
                                                    g_variant_new_string ("vmalloc"));
  g_signal_connect (self->kind_action, "change-state", G_CALLBACK (kind_change_state), self);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (self->kind_action));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "op", G_ACTION_GROUP (actions));
  self->kind = gtk_menu_button_new ();
  self->kind_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->kind_label), 0);
  gtk_box_pack_start (GTK_BOX (box), self->kind_label, TRUE, TRUE, 0);
  gtk_box_pack_end (GTK_BOX (box), gtk_image_new_from_icon_name ("pan-down-symbolic", GTK_ICON_SIZE_BUTTON),
                    FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (self->kind), box);
  self->kind_popover = gtk_popover_new (self->kind);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->kind), self->kind_popover);
}

static void
va_op_panel_dispose (GObject *object)
{
  VaOpPanel *self = VA_OP_PANEL (object);

  g_clear_object (&self->session);
  g_clear_object (&self->kind_action);
  g_clear_handle_id (&self->menu_idle, g_source_remove);
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
  GtkWidget *apply;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->grid, 6);
  gtk_grid_set_column_spacing (self->grid, 8);

  make_chooser (self);
  attach_row (self->grid, 0, "_Op", self->kind);
  gtk_box_pack_start (GTK_BOX (self), GTK_WIDGET (self->grid), FALSE, FALSE, 0);

  self->hint = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->hint), 0);
  gtk_label_set_line_wrap (GTK_LABEL (self->hint), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->hint), "dim-label");
  gtk_box_pack_start (GTK_BOX (self), self->hint, FALSE, FALSE, 0);

  apply = gtk_button_new_with_mnemonic (_("_Apply"));
  gtk_style_context_add_class (gtk_widget_get_style_context (apply), "suggested-action");
  gtk_widget_set_halign (apply, GTK_ALIGN_END);
  g_signal_connect_swapped (apply, "clicked", G_CALLBACK (apply_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (self), apply, FALSE, FALSE, 0);

  self->error = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->error), 0);
  gtk_label_set_line_wrap (GTK_LABEL (self->error), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->error), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->error), "error");
  gtk_box_pack_start (GTK_BOX (self), self->error, FALSE, FALSE, 0);

  gtk_widget_show_all (GTK_WIDGET (self));
  show_form (self, find_form ("vmalloc"));
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
}

GtkWidget *
va_op_panel_new (void)
{
  return g_object_new (VA_TYPE_OP_PANEL, NULL);
}
