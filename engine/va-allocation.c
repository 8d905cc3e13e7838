/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-allocation"

#include "va-allocation.h"

const char *
va_alloc_kind_name (VaAllocKind kind)
{
  static const char *const names[] = {
    "pages", "kmalloc", "vmalloc", "kmap", "cma", "workload",
  };

  g_return_val_if_fail (kind < G_N_ELEMENTS (names), "?");
  return names[kind];
}

const char *
va_alloc_state_name (VaAllocState state)
{
  static const char *const names[] = { "live", "freed", "failed" };

  g_return_val_if_fail (state < G_N_ELEMENTS (names), "?");
  return names[state];
}
