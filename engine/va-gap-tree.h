/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Free space of an address window in page slots, as a segment tree that
 * keeps for every node the longest free run and the free runs touching its
 * ends.  It answers "lowest slot where N free slots start" in O(log n),
 * which is what 6.1's augmented free_vmap_area_root answers with
 * subtree_max_size (find_vmap_lowest_match()), and what 2.4/2.6.9 found by
 * walking the address-sorted vmlist. */
typedef struct _VaGapTree VaGapTree;

VaGapTree *va_gap_tree_new        (guint32          nr_slots);
VaGapTree *va_gap_tree_copy       (const VaGapTree *tree);
void       va_gap_tree_free       (VaGapTree       *tree);
void       va_gap_tree_set        (VaGapTree       *tree,
                                   guint32          first,
                                   guint32          count,
                                   gboolean         used);
gint64     va_gap_tree_find_first (VaGapTree       *tree,
                                   guint32          count);   /* -1: no room */
guint32    va_gap_tree_largest    (const VaGapTree *tree);
guint32    va_gap_tree_free_slots (const VaGapTree *tree);
gboolean   va_gap_tree_equal (const VaGapTree *a,
                              const VaGapTree *b);
guint32    va_gap_tree_size       (const VaGapTree *tree);

G_END_DECLS
