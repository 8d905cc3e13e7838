/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "va-machine.h"

G_BEGIN_DECLS

#define VA_TYPE_MACHINE_POPOVER (va_machine_popover_get_type ())

G_DECLARE_FINAL_TYPE (VaMachinePopover, va_machine_popover, VA, MACHINE_POPOVER, GtkPopover)

/* The header bar's machine form: RAM, profile, PAE, split, vmalloc=, cma=
 * and seed, with what the current machine is.  Its Apply button activates
 * win.apply-machine; the window reads the form with
 * va_machine_popover_get_config(). */
GtkWidget *va_machine_popover_new         (void);
/* Fills the form and the details with @m (NULL: the defaults), run from
 * @scenario (or NULL), hides any earlier error and focuses the RAM field. */
void       va_machine_popover_set_machine (VaMachinePopover  *self,
                                           VaMachine         *m,
                                           const char        *scenario);
/* @config, holding the current machine on entry, changed as the form
 * says.  A value the engine refuses: FALSE with its reason, also shown in
 * the form. */
gboolean   va_machine_popover_get_config  (VaMachinePopover  *self,
                                           VaMachineConfig   *config,
                                           GError           **error);

G_END_DECLS
