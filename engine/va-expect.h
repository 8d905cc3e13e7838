/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VaMachine VaMachine;

/* One `expect LHS OP RHS` comparison.  Each side is a sum of terms:
 * integers (42, 0x1000), sizes (8K, 1M) and paths that the machine
 * resolves when the expect is evaluated (a.virt, zone.Normal.free,
 * buddyinfo.Normal[3], layout.vmalloc_start, HighMem). */
typedef struct _VaExpect VaExpect;

/* Parses the text after the `expect` keyword.  On error returns NULL,
 * sets @error (VA_ERROR_INVALID, "what is wrong; what was expected", no
 * location) and, if @error_col is not NULL, stores the byte offset in
 * @text of the offending token there. */
VaExpect *va_expect_parse     (const char      *text,
                               guint           *error_col,
                               GError         **error);

/* Evaluates @expect on @machine.  Returns FALSE with @error set when a
 * path cannot be resolved or the arithmetic overflows.  Otherwise returns
 * TRUE, sets @holds, and (if @explanation is not NULL) a text such as
 * "b.virt == a.virt + 8K: left 0xf8803000 (4169150464), right 0xf8802000 (4169146368)". */
gboolean  va_expect_eval      (const VaExpect  *expect,
                               VaMachine       *machine,
                               gboolean        *holds,
                               char           **explanation,
                               GError         **error);

/* The normalized text: single spaces around operators, terms as written. */
char     *va_expect_to_string (const VaExpect  *expect);

void      va_expect_free      (VaExpect        *expect);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaExpect, va_expect_free)

G_END_DECLS
