/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "va-session.h"

G_BEGIN_DECLS

#define VA_TYPE_OP_PANEL (va_op_panel_get_type ())

G_DECLARE_FINAL_TYPE (VaOpPanel, va_op_panel, VA, OP_PANEL, GtkBox)

/* Forms for the ops a person can make: the op is built from the fields,
 * checked (by the scenario parser, then by the machine) and applied to the
 * session; a refused op leaves its reason under the form. */
GtkWidget *va_op_panel_new          (void);
void       va_op_panel_set_session  (VaOpPanel   *self,
                                     VaSession   *session);
/* Fills the form (kind = scenario keyword, "workload fragment" or
 * "workload movable" for the workloads) for tests and presets. */
void       va_op_panel_set_fields   (VaOpPanel   *self,
                                     const char  *kind,
                                     const char  *name,
                                     const char  *size);
/* Sets one text field: "name", "size", "target", "seed", "ops" or
 * "pages"; and the entry of a field, for tests that type into it. */
void       va_op_panel_set_field    (VaOpPanel   *self,
                                     const char  *field,
                                     const char  *value);
GtkWidget *va_op_panel_get_field    (VaOpPanel   *self,
                                     const char  *field);
/* Builds the op from the fields and applies it; FALSE with the message
 * shown (and in @error) when refused. */
gboolean   va_op_panel_apply        (VaOpPanel   *self,
                                     GError     **error);
const char *va_op_panel_get_error   (VaOpPanel   *self);
/* The op chooser (a GtkMenuButton whose popover lists the ops). */
GtkWidget *va_op_panel_get_chooser  (VaOpPanel   *self);

G_END_DECLS
