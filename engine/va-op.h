/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One operation on the machine, as a scenario line, the GUI or a workload
 * states it.  Ops are plain data so the history can store and replay them. */
typedef enum {
  VA_OP_ALLOC,            /* alloc NAME order=N [gfp=…]        alloc_pages() */
  VA_OP_FREE,             /* free NAME                          __free_pages() */
  VA_OP_KMALLOC,          /* kmalloc NAME SIZE [gfp=…] */
  VA_OP_VMALLOC,          /* vmalloc NAME SIZE */
  VA_OP_VMALLOC_32,       /* vmalloc_32 NAME SIZE */
  VA_OP_VFREE,            /* vfree NAME */
  VA_OP_KMAP,             /* kmap NAME TARGET[i] */
  VA_OP_KUNMAP,           /* kunmap NAME */
  VA_OP_PIN,              /* pin NAME */
  VA_OP_UNPIN,            /* unpin NAME */
  VA_OP_CMA_ALLOC,        /* cma_alloc NAME COUNT [align=N] */
  VA_OP_CMA_RELEASE,      /* cma_release NAME */
  VA_OP_WORKLOAD_FRAGMENT,/* workload fragment seed=S ops=N */
  VA_OP_WORKLOAD_MOVABLE, /* workload movable seed=S pages=N */
  VA_OP_N_KINDS,
} VaOpKind;

typedef struct {
  VaOpKind kind;
  char    *name;          /* allocation name (not for workloads) */
  char    *target;        /* kmap: the allocation whose page is mapped */
  gint     target_index;  /* kmap TARGET[i]; -1 when not given */
  guint    order;         /* alloc order=, cma_alloc align= */
  gboolean has_align;
  guint64  size;          /* kmalloc/vmalloc bytes, cma_alloc page count */
  char    *gfp;           /* GFP text as written ("GFP_KERNEL|__GFP_ZERO"), NULL = op default */
  guint64  seed;          /* workloads */
  guint64  count;         /* workload ops= / pages= */
} VaOp;

VaOp       *va_op_new        (VaOpKind     kind);
VaOp       *va_op_copy       (const VaOp  *op);
void        va_op_free       (VaOp        *op);
gboolean    va_op_equal      (const VaOp  *a,
                              const VaOp  *b);
const char *va_op_kind_name  (VaOpKind     kind);   /* the scenario keyword */
char       *va_op_to_vms     (const VaOp  *op);     /* one .vms statement, no newline */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaOp, va_op_free)

G_END_DECLS
