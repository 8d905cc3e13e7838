/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Immutable data shared by a machine and all its copies (history
 * checkpoints): allocation names, failure reasons, log lines and vmalloc
 * frame lists.  Nothing is freed before the arena, so an allocation record
 * that points here can be copied byte for byte, which is what lets
 * checkpoints share and restore records by the chunk. */
typedef struct _VaArena VaArena;

VaArena     *va_arena_new       (void);
VaArena     *va_arena_ref       (VaArena    *arena);
void         va_arena_unref     (VaArena    *arena);

/* The arena's copy of @s (one copy per distinct string). */
const char  *va_arena_intern    (VaArena    *arena,
                                 const char *s);
/* A small integer per distinct name, from 1 in the order first seen; with
 * @create FALSE, 0 for a name never seen. */
guint32      va_arena_name_id   (VaArena    *arena,
                                 const char *name,
                                 gboolean    create);
/* The arena's copy of the name with id @id. */
const char  *va_arena_name      (const VaArena *arena,
                                 guint32        id);
/* A copy of @n guint32 values. */
const guint32 *va_arena_dup_u32 (VaArena       *arena,
                                 const guint32 *values,
                                 guint          n);
guint64      va_arena_bytes     (const VaArena *arena);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaArena, va_arena_unref)

G_END_DECLS
