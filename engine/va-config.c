/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-config"

#include "va-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (va-error-quark, va_error)

#define MiB (G_GUINT64_CONSTANT (1) << 20)
#define GiB (G_GUINT64_CONSTANT (1) << 30)

typedef struct {
  const char *name;
  guint32     page_offset;
  gboolean    pae_allowed;
} VaSplit;

/* arch/x86/Kconfig "config PAGE_OFFSET" (S61) */
static const VaSplit splits[] = {
  { "3G/1G", 0xC0000000u, TRUE },
  { "3G/1G_OPT", 0xB0000000u, FALSE },
  { "2G/2G", 0x80000000u, TRUE },
  { "2G/2G_OPT", 0x78000000u, TRUE },
  { "1G/3G", 0x40000000u, TRUE },
};

void
va_machine_config_init (VaMachineConfig *config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof *config);
  config->profile = va_profile_default ();
  config->ram_bytes = 1 * GiB;
  config->page_offset = 0xC0000000u;
  config->seed = 42;
  config->cpus = 1;
  config->pcp_enabled = TRUE;
}

const char *
va_machine_config_keys (void)
{
  return "ram, profile, pae, split, vmalloc, mem, cma, seed, cpus, pcp";
}

/* Decimal or 0x hex, all digits, no overflow; not strtoull's base 0, which
 * reads "010" as octal. */
gboolean
va_parse_uint (const char *text,
               guint64    *out)
{
  guint64 value = 0;
  guint base = 10;
  const char *p = text;

  g_return_val_if_fail (text != NULL && out != NULL, FALSE);

  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    {
      base = 16;
      p += 2;
    }
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      int digit = g_ascii_xdigit_value (*p);

      if (digit < 0 || (guint) digit >= base)
        return FALSE;
      if (value > (G_MAXUINT64 - (guint64) digit) / base)
        return FALSE;
      value = value * base + (guint64) digit;
    }
  *out = value;
  return TRUE;
}

/* Sizes: plain bytes, 0x hex, or a K/M/G suffix (KiB, MiB, GiB). */
gboolean
va_parse_size (const char  *text,
               guint64     *out,
               GError     **error)
{
  char *end = NULL;
  guint64 value;
  guint shift = 0;

  g_return_val_if_fail (text != NULL && out != NULL, FALSE);

  if (!g_ascii_isdigit (text[0]))
    goto bad;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 0);
  /* ERANGE only: g_ascii_strtoull() makes its C locale on first use, which
   * can leave another errno behind on success (seen on a loading thread). */
  if (errno == ERANGE || end == text)
    goto bad;
  switch (g_ascii_toupper (*end))
    {
    case 'K': shift = 10; end++; break;
    case 'M': shift = 20; end++; break;
    case 'G': shift = 30; end++; break;
    default: break;
    }
  if (shift && (*end == 'i' || *end == 'I') && (end[1] == 'B' || end[1] == 'b'))
    end += 2;
  else if (shift && (*end == 'B' || *end == 'b'))
    end++;
  if (*end != '\0' || (shift && value > (G_MAXUINT64 >> shift)))
    goto bad;
  *out = value << shift;
  return TRUE;

bad:
  g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
               "“%s” is not a size: use bytes (4096), hex (0x1000) or a K/M/G suffix (64M)",
               text);
  return FALSE;
}

char *
va_format_size (guint64 bytes)
{
  if (bytes != 0 && bytes % GiB == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT "G", bytes / GiB);
  if (bytes != 0 && bytes % MiB == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT "M", bytes / MiB);
  if (bytes != 0 && bytes % 1024 == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT "K", bytes / 1024);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
}

static gboolean
parse_bool (const char *key,
            const char *value,
            gboolean   *out,
            GError    **error)
{
  if (g_str_equal (value, "on") || g_str_equal (value, "yes") || g_str_equal (value, "1"))
    *out = TRUE;
  else if (g_str_equal (value, "off") || g_str_equal (value, "no") || g_str_equal (value, "0"))
    *out = FALSE;
  else
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "%s=%s: expected on or off", key, value);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_uint (const char *key,
            const char *value,
            guint64     max,
            guint64    *out,
            GError    **error)
{
  char *end = NULL;

  errno = 0;
  *out = g_ascii_strtoull (value, &end, 0);
  if (!g_ascii_isdigit (value[0]) || errno == ERANGE || *end != '\0' || *out > max)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "%s=%s: expected a whole number from 0 to %" G_GUINT64_FORMAT,
                   key, value, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_split (VaMachineConfig *config,
           const char      *value,
           GError         **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    if (g_ascii_strcasecmp (splits[i].name, value) == 0)
      {
        config->page_offset = splits[i].page_offset;
        return TRUE;
      }
  g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
               "split=%s: allowed values are 3G/1G, 3G/1G_OPT, 2G/2G, 2G/2G_OPT, 1G/3G", value);
  return FALSE;
}

static gboolean
set_cma (VaMachineConfig *config,
         const char      *value,
         GError         **error)
{
  g_auto(GStrv) parts = g_strsplit (value, "@", 2);

  if (!va_parse_size (parts[0], &config->cma_bytes, error))
    return FALSE;
  config->cma_base = 0;
  if (parts[1] != NULL && !va_parse_size (parts[1], &config->cma_base, error))
    return FALSE;
  return TRUE;
}

/* Sets one machine option.  On error the config is unchanged. */
gboolean
va_machine_config_set (VaMachineConfig  *config,
                       const char       *key,
                       const char       *value,
                       GError          **error)
{
  VaMachineConfig copy;
  guint64 n;
  gboolean ok = TRUE;

  g_return_val_if_fail (config != NULL && key != NULL && value != NULL, FALSE);

  copy = *config;
  if (g_str_equal (key, "ram"))
    ok = va_parse_size (value, &copy.ram_bytes, error);
  else if (g_str_equal (key, "profile"))
    {
      copy.profile = va_profile_lookup (value);
      if (copy.profile == NULL)
        {
          g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                       "profile=%s: allowed values are %s", value, va_profile_names ());
          ok = FALSE;
        }
    }
  else if (g_str_equal (key, "pae"))
    ok = parse_bool (key, value, &copy.pae, error);
  else if (g_str_equal (key, "split"))
    ok = set_split (&copy, value, error);
  else if (g_str_equal (key, "vmalloc"))
    ok = va_parse_size (value, &copy.vmalloc_bytes, error);
  else if (g_str_equal (key, "mem"))
    ok = va_parse_size (value, &copy.mem_bytes, error);
  else if (g_str_equal (key, "cma"))
    ok = set_cma (&copy, value, error);
  else if (g_str_equal (key, "seed"))
    ok = parse_uint (key, value, G_MAXUINT64, &copy.seed, error);
  else if (g_str_equal (key, "cpus"))
    {
      ok = parse_uint (key, value, VA_MAX_CPUS, &n, error) && n >= 1;
      if (ok)
        copy.cpus = n;
      else if (error && !*error)
        g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                     "cpus=%s: expected 1 to %d", value, VA_MAX_CPUS);
    }
  else if (g_str_equal (key, "pcp"))
    ok = parse_bool (key, value, &copy.pcp_enabled, error);
  else
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "unknown machine option “%s”: allowed are %s", key, va_machine_config_keys ());
      ok = FALSE;
    }
  if (ok)
    *config = copy;
  return ok;
}

static gboolean
check_split (const VaMachineConfig *config,
             GError               **error)
{
  if (config->page_offset == 0xC0000000u)
    return TRUE;
  if (!config->profile->has_split_option)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED,
                   "split: %s has a fixed 3G/1G split (PAGE_OFFSET 0xC0000000); "
                   "CONFIG_VMSPLIT_* arrived in 2.6.16", config->profile->name);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    if (splits[i].page_offset == config->page_offset && config->pae && !splits[i].pae_allowed)
      {
        g_set_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED,
                     "split=%s is only available without PAE (VMSPLIT_3G_OPT depends on !X86_PAE)",
                     splits[i].name);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_ram (const VaMachineConfig *config,
           GError               **error)
{
  guint64 max = config->pae ? 64 * GiB : 4 * GiB;

  if (config->ram_bytes % VA_PAGE_SIZE != 0)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "ram=%" G_GUINT64_FORMAT ": the size must be a multiple of the 4096-byte page",
                   config->ram_bytes);
      return FALSE;
    }
  if (config->ram_bytes < config->profile->min_ram)
    {
      g_autofree char *min = va_format_size (config->profile->min_ram);
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "ram: %s needs at least %s (the kernel image is loaded at 0x%x)",
                   config->profile->name, min, config->profile->kernel_load);
      return FALSE;
    }
  /* Above 4 GiB without PAE the kernel boots and warns (va-layout); the
   * simulator still refuses absurd sizes it has no frames for. */
  if (config->ram_bytes > max && config->pae)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "ram: at most 64G with PAE (HIGHMEM64G uses 36-bit physical addresses)");
      return FALSE;
    }
  if (config->ram_bytes > 64 * GiB)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "ram: at most 4G without PAE and 64G with pae=on");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_features (const VaMachineConfig *config,
                GError               **error)
{
  const VaProfile *p = config->profile;

  if (config->vmalloc_bytes && !p->has_vmalloc_option)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED,
                   "vmalloc: %s has no vmalloc= option (__VMALLOC_RESERVE is fixed at 128M); "
                   "it appeared in 2.6", p->name);
      return FALSE;
    }
  if (config->cma_bytes && !p->has_cma)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED,
                   "cma: the contiguous memory allocator appeared in Linux 3.5; "
                   "%s has none (use profile=linux-6.1)", p->name);
      return FALSE;
    }
  if (config->mem_bytes && config->mem_bytes % VA_PAGE_SIZE != 0)
    {
      g_set_error (error, VA_ERROR, VA_ERROR_INVALID,
                   "mem: the limit must be a multiple of the 4096-byte page");
      return FALSE;
    }
  return TRUE;
}

gboolean
va_machine_config_validate (const VaMachineConfig  *config,
                            GError                **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  return check_ram (config, error) && check_split (config, error) &&
         check_features (config, error);
}

char *
va_machine_config_to_string (const VaMachineConfig *config)
{
  GString *s = g_string_new ("machine");
  g_autofree char *ram = va_format_size (config->ram_bytes);

  g_string_append_printf (s, " ram=%s profile=%s", ram, config->profile->name);
  if (config->pae)
    g_string_append (s, " pae=on");
  for (guint i = 1; i < G_N_ELEMENTS (splits); i++)
    if (splits[i].page_offset == config->page_offset)
      g_string_append_printf (s, " split=%s", splits[i].name);
  if (config->vmalloc_bytes)
    {
      g_autofree char *v = va_format_size (config->vmalloc_bytes);
      g_string_append_printf (s, " vmalloc=%s", v);
    }
  if (config->mem_bytes)
    {
      g_autofree char *v = va_format_size (config->mem_bytes);
      g_string_append_printf (s, " mem=%s", v);
    }
  if (config->cma_bytes)
    {
      g_autofree char *v = va_format_size (config->cma_bytes);
      g_string_append_printf (s, " cma=%s", v);
      if (config->cma_base)
        {
          g_autofree char *b = va_format_size (config->cma_base);
          g_string_append_printf (s, "@%s", b);
        }
    }
  g_string_append_printf (s, " seed=%" G_GUINT64_FORMAT, config->seed);
  if (config->cpus != 1)
    g_string_append_printf (s, " cpus=%u", config->cpus);
  if (!config->pcp_enabled)
    g_string_append (s, " pcp=off");
  return g_string_free (s, FALSE);
}
