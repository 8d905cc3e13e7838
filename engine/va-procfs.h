/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-machine.h"

G_BEGIN_DECLS

/* Text in each profile's own /proc format, read from the machine's state.
 * Where the profile's kernel had no such file, the text says so on a first
 * line starting with '#' and then shows the same numbers.  Every function
 * returns a newly allocated string; a non-empty one ends in a newline. */

char *va_procfs_buddyinfo    (VaMachine *m);
char *va_procfs_pagetypeinfo (VaMachine *m);
char *va_procfs_zoneinfo     (VaMachine *m);
char *va_procfs_meminfo      (VaMachine *m);

/* Not kernel files: every non-empty free list (and per-cpu list) with its
 * pfns, head first, and the machine's log. */
char *va_procfs_freelists    (VaMachine *m);
char *va_procfs_log          (VaMachine *m);

char *va_procfs_vmallocinfo  (VaMachine *m);

/* 6.1's debugfs /sys/kernel/debug/cma/<name>/: base_pfn, count,
 * order_per_bit, used, maxchunk and bitmap of every CMA area. */
char *va_procfs_cma          (VaMachine *m);

G_END_DECLS
