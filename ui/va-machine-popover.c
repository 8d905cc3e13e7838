/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-machine-popover"

#include "va-machine-popover.h"

#include "va-legend.h"
#include "va-profile.h"

#include <string.h>

struct _VaMachinePopover
{
  GtkPopover  parent_instance;

  GtkWidget  *machine_details;
  GtkWidget  *ram_entry;
  GtkWidget  *profile_combo;
  GtkWidget  *pae_switch;
  GtkWidget  *split_entry;
  GtkWidget  *vmalloc_entry;
  GtkWidget  *cma_entry;
  GtkWidget  *seed_entry;
  GtkWidget  *machine_error;
  GtkWidget  *machine_apply;
};

G_DEFINE_FINAL_TYPE (VaMachinePopover, va_machine_popover, GTK_TYPE_POPOVER)

static void
set_details (VaMachinePopover *self,
             VaMachine        *m,
             const char       *scenario)
{
  g_autofree char *machine = NULL;
  g_autofree char *details = NULL;

  if (m == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->machine_details), "");
      return;
    }
  machine = va_title_block_machine (m);
  details = g_strdup_printf ("%s\n\nscenario: %s\nlowmem: %u frames, HighMem from pfn %u\n"
                             "vmalloc: 0x%08x – 0x%08x",
                             machine, scenario ? scenario : "none",
                             m->layout.max_low_pfn, m->layout.highstart_pfn,
                             m->layout.vmalloc_start, m->layout.vmalloc_end);
  gtk_label_set_text (GTK_LABEL (self->machine_details), details);
}

void
va_machine_popover_set_machine (VaMachinePopover *self,
                                VaMachine        *m,
                                const char       *scenario)
{
  VaMachineConfig config;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) profiles = g_strsplit (va_profile_names (), ", ", -1);
  struct { const char *key; GtkWidget *entry; } fields[] = {
    { "ram", self->ram_entry }, { "split", self->split_entry }, { "vmalloc", self->vmalloc_entry },
    { "cma", self->cma_entry }, { "seed", self->seed_entry },
  };

  g_return_if_fail (VA_IS_MACHINE_POPOVER (self));

  if (m)
    config = m->config;
  else
    va_machine_config_init (&config);
  set_details (self, m, scenario);
  line = va_machine_config_to_string (&config);
  words = g_strsplit (line, " ", -1);
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->profile_combo));
  for (guint i = 0; profiles[i]; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->profile_combo), profiles[i], profiles[i]);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->profile_combo), config.profile->name);
  gtk_switch_set_active (GTK_SWITCH (self->pae_switch), config.pae);
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      g_autofree char *prefix = g_strconcat (fields[f].key, "=", NULL);
      const char *value = "";

      for (guint i = 0; words[i]; i++)
        if (g_str_has_prefix (words[i], prefix))
          value = words[i] + strlen (prefix);
      gtk_entry_set_text (GTK_ENTRY (fields[f].entry), value);
    }
  gtk_widget_hide (self->machine_error);
  /* RAM first, not the caret of the selectable details above it */
  gtk_widget_grab_focus (self->ram_entry);
}

static gboolean
form_to_config (VaMachinePopover *self,
                VaMachineConfig  *config,
                GError          **error)
{
  VaMachineConfig defaults;
  const char *profile = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->profile_combo));
  struct { const char *key; const char *value; } fields[] = {
    { "ram", gtk_entry_get_text (GTK_ENTRY (self->ram_entry)) },
    { "profile", profile ? profile : "" },
    { "pae", gtk_switch_get_active (GTK_SWITCH (self->pae_switch)) ? "on" : "off" },
    { "split", gtk_entry_get_text (GTK_ENTRY (self->split_entry)) },
    { "vmalloc", gtk_entry_get_text (GTK_ENTRY (self->vmalloc_entry)) },
    { "cma", gtk_entry_get_text (GTK_ENTRY (self->cma_entry)) },
    { "seed", gtk_entry_get_text (GTK_ENTRY (self->seed_entry)) },
  };

  /* An empty optional field is the kernel's default. */
  va_machine_config_init (&defaults);
  config->page_offset = defaults.page_offset;
  config->vmalloc_bytes = 0;
  config->cma_bytes = 0;
  config->cma_base = 0;
  config->seed = defaults.seed;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = g_strstrip (g_strdup (fields[i].value));

      if (*value == '\0' && !g_str_equal (fields[i].key, "ram") &&
          !g_str_equal (fields[i].key, "profile"))
        continue;
      if (!va_machine_config_set (config, fields[i].key, value, error))
        return FALSE;
    }
  return va_machine_config_validate (config, error);
}

gboolean
va_machine_popover_get_config (VaMachinePopover *self,
                               VaMachineConfig  *config,
                               GError          **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (VA_IS_MACHINE_POPOVER (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (!form_to_config (self, config, &local))
    {
      /* Refused in the form, with the engine's reason. */
      gtk_label_set_text (GTK_LABEL (self->machine_error), local->message);
      gtk_widget_show (self->machine_error);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  gtk_widget_hide (self->machine_error);
  return TRUE;
}

static void
va_machine_popover_class_init (VaMachinePopoverClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vmatlas/VmAtlas/ui/va-machine-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, machine_details);
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, ram_entry);
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, profile_combo);
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, pae_switch);
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, split_entry);
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, vmalloc_entry);
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, cma_entry);
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, seed_entry);
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, machine_error);
  gtk_widget_class_bind_template_child (widget_class, VaMachinePopover, machine_apply);
}

static void
va_machine_popover_init (VaMachinePopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_popover_set_default_widget (GTK_POPOVER (self), self->machine_apply);
}

GtkWidget *
va_machine_popover_new (void)
{
  return g_object_new (VA_TYPE_MACHINE_POPOVER, NULL);
}
