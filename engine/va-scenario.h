/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-config.h"
#include "va-expect.h"
#include "va-op.h"

G_BEGIN_DECLS

typedef enum {
  VA_STMT_MACHINE,      /* machine KEY=VALUE...  */
  VA_STMT_TITLE,        /* title "text" */
  VA_STMT_SAY,          /* say "text" */
  VA_STMT_PAUSE,        /* pause */
  VA_STMT_OP,           /* alloc, free, kmalloc, ... workload */
  VA_STMT_EXPECT,       /* expect LHS OP RHS */
  VA_STMT_EXPECT_FAIL,  /* expect fail: the previous op failed */
} VaStatementKind;

/* One line of a .vms file.  Line and column are 1-based; columns count
 * characters, and point at the statement's first token. */
typedef struct {
  VaStatementKind kind;
  guint           line;
  guint           column;
  char           *text;             /* TITLE/SAY: the string, unescaped;
                                     * EXPECT: the expression as written */
  VaOp           *op;               /* OP */
  VaExpect       *expect;           /* EXPECT */
  GPtrArray      *machine_keys;     /* MACHINE: char*, in file order */
  GPtrArray      *machine_values;   /* MACHINE: char* */
  GArray         *machine_columns;  /* MACHINE: guint, column of each key=value */
} VaStatement;

typedef struct _VaScenario VaScenario;

/* Parses a whole scenario.  All or nothing: on the first error returns
 * NULL with a VA_ERROR_INVALID error reading "FILE:LINE:COL: what is wrong;
 * what was expected".  @filename is used only in messages. */
VaScenario        *va_scenario_parse            (const char         *filename,
                                                 const char         *text,
                                                 GError            **error);
/* Reads @path (VA_ERROR_IO on failure) and parses it. */
VaScenario        *va_scenario_load             (const char         *path,
                                                 GError            **error);
void               va_scenario_free             (VaScenario         *scenario);

const char        *va_scenario_get_filename     (const VaScenario   *scenario);
guint              va_scenario_get_n_statements (const VaScenario   *scenario);
const VaStatement *va_scenario_get_statement    (const VaScenario   *scenario,
                                                 guint               index);
/* The first title, or NULL. */
const char        *va_scenario_get_title        (const VaScenario   *scenario);
guint              va_scenario_count_ops        (const VaScenario   *scenario);

/* Applies the machine statement's options, in order, on top of @config
 * (which may already hold command-line options).  On error @config is
 * unchanged and the message carries the option's file:line:col. */
gboolean           va_scenario_apply_machine    (const VaScenario   *scenario,
                                                 VaMachineConfig    *config,
                                                 GError            **error);

/* Rewrites an existing error's message (e.g. from va_machine_apply() or
 * va_expect_eval()) to "FILE:LINE:COL: message" for @statement. */
void               va_scenario_prefix_error     (const VaScenario   *scenario,
                                                 const VaStatement  *statement,
                                                 GError            **error);

/* Sets a VA_ERROR_INVALID error "FILE:LINE:COL: message". */
void               va_scenario_set_error        (GError            **error,
                                                 const char         *filename,
                                                 guint               line,
                                                 guint               column,
                                                 const char         *format,
                                                 ...) G_GNUC_PRINTF (5, 6);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VaScenario, va_scenario_free)

G_END_DECLS
