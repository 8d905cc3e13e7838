/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "va-profile.h"

G_BEGIN_DECLS

#define VA_ERROR (va_error_quark ())

typedef enum {
  VA_ERROR_INVALID,     /* bad option, value or statement */
  VA_ERROR_UNSUPPORTED, /* the profile's kernel had no such thing */
  VA_ERROR_STATE,       /* the op does not fit the machine's state (unknown name, double free) */
  VA_ERROR_IO,
} VaErrorCode;

GQuark va_error_quark (void);

/* Everything the `machine` statement and the --ram/--profile/... options set. */
typedef struct {
  const VaProfile *profile;
  guint64          ram_bytes;
  gboolean         pae;
  guint32          page_offset;     /* from split= */
  guint64          vmalloc_bytes;   /* 0 = kernel default */
  guint64          mem_bytes;       /* 0 = no mem= limit */
  guint64          cma_bytes;       /* 0 = no CMA area */
  guint64          cma_base;        /* 0 = placed by the kernel */
  guint64          seed;
  guint            cpus;
  gboolean         pcp_enabled;
} VaMachineConfig;

void      va_machine_config_init    (VaMachineConfig       *config);
gboolean  va_machine_config_set     (VaMachineConfig       *config,
                                     const char            *key,
                                     const char            *value,
                                     GError               **error);
gboolean  va_machine_config_validate(const VaMachineConfig *config,
                                     GError               **error);
char     *va_machine_config_to_string (const VaMachineConfig *config);
const char *va_machine_config_keys  (void);

gboolean  va_parse_uint             (const char            *text,
                                     guint64               *out);
gboolean  va_parse_size             (const char            *text,
                                     guint64               *out,
                                     GError               **error);
char     *va_format_size            (guint64                bytes);

G_END_DECLS
