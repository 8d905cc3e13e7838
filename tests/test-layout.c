/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Layout at many RAM sizes, against the kernels' formulas restated here from
 * kernel-mm-facts.md §1, and against values measured on real 6.1 kernels. */
#include "va-layout.h"

#include <string.h>

#define MiB (G_GUINT64_CONSTANT (1) << 20)
#define GiB (G_GUINT64_CONSTANT (1) << 30)

static void
config_for (VaMachineConfig *c,
            const char      *profile,
            guint64          ram,
            gboolean         pae)
{
  va_machine_config_init (c);
  c->profile = va_profile_lookup (profile);
  c->ram_bytes = ram;
  c->pae = pae;
}

typedef struct {
  guint32 vmalloc_end, max_low_pfn, high_memory, vmalloc_start;
} Expected;

/* 2.4.21: MAXMEM 896 MiB, PKMAP_BASE 0xFE000000, VMALLOC_START 8 MiB-rounded. */
static Expected
expect_2_4 (guint64 ram)
{
  Expected e;
  guint32 max_pfn = MIN (ram, 4 * GiB) >> 12;

  e.vmalloc_end = 0xFE000000u - 0x2000;
  e.max_low_pfn = MIN (max_pfn, (896 * MiB) >> 12);
  e.high_memory = 0xC0000000u + (e.max_low_pfn << 12);
  e.vmalloc_start = (e.high_memory + 16 * MiB - 1) & ~(8 * MiB - 1);
  return e;
}

/* 2.6.9: the same with PKMAP_BASE 0xFF800000; vmalloc= sets the reserve. */
static Expected
expect_2_6 (guint64 ram,
            guint64 reserve)
{
  Expected e;
  guint32 max_pfn = MIN (ram, 4 * GiB) >> 12;
  guint32 maxmem_pfn = ((4 * GiB) - 0xC0000000u - reserve) >> 12;

  e.vmalloc_end = 0xFF800000u - 0x2000;
  e.max_low_pfn = MIN (max_pfn, maxmem_pfn);
  e.high_memory = 0xC0000000u + (e.max_low_pfn << 12);
  e.vmalloc_start = (e.high_memory + 16 * MiB - 1) & ~(8 * MiB - 1);
  return e;
}

/* 6.1: MAXMEM = VMALLOC_END - PAGE_OFFSET - reserve; VMALLOC_START unrounded.
 * PKMAP_BASE as measured on Debian's 686 / 686-pae kernels. */
static Expected
expect_6_1 (guint64  ram,
            gboolean pae,
            guint64  vmalloc_option)
{
  Expected e;
  guint64 reserve = vmalloc_option ? vmalloc_option + 8 * MiB : 128 * MiB;
  guint32 max_pfn = (pae ? ram : MIN (ram, 4 * GiB)) >> 12;

  e.vmalloc_end = (pae ? 0xFF000000u : 0xFEC00000u) - 0x2000;
  e.max_low_pfn = MIN (max_pfn, (guint32) ((e.vmalloc_end - 0xC0000000u - reserve) >> 12));
  e.high_memory = 0xC0000000u + (e.max_low_pfn << 12);
  e.vmalloc_start = e.high_memory + 8 * MiB;
  return e;
}

static void
check (const char *profile,
       guint64     ram,
       gboolean    pae,
       guint64     vmalloc_option,
       Expected    e)
{
  VaMachineConfig c;
  VaLayout l;
  g_autoptr(GError) error = NULL;

  config_for (&c, profile, ram, pae);
  c.vmalloc_bytes = vmalloc_option;
  g_assert_true (va_layout_compute (&l, &c, &error));
  g_assert_no_error (error);
  if (l.vmalloc_end != e.vmalloc_end || l.max_low_pfn != e.max_low_pfn ||
      l.high_memory != e.high_memory || l.vmalloc_start != e.vmalloc_start)
    g_error ("%s ram=0x%" G_GINT64_MODIFIER "x pae=%d vmalloc=%" G_GUINT64_FORMAT
             ": got end %08x low %x hm %08x vs %08x; want %08x %x %08x %08x",
             profile, ram, pae, vmalloc_option, l.vmalloc_end, l.max_low_pfn, l.high_memory,
             l.vmalloc_start, e.vmalloc_end, e.max_low_pfn, e.high_memory, e.vmalloc_start);
  g_assert_cmpuint (l.pkmap_base, ==, l.vmalloc_end + 0x2000);
  g_assert_cmpuint (l.last_pkmap, ==, pae ? 512 : 1024);
  g_assert_cmpuint (l.pkmap_base + l.last_pkmap * 4096, <=, l.fixaddr_start);
  g_assert_cmpuint (l.highstart_pfn, ==, MIN (l.max_low_pfn, l.max_pfn));
  va_layout_clear (&l);
}

/* Every 4 MiB from 48 MiB to 4 GiB plus odd page multiples, each profile. */
static void
test_many_sizes (void)
{
  GRand *rand = g_rand_new_with_seed (1234);
  guint n = 0;

  for (guint64 ram = 52 * MiB; ram <= 4 * GiB; ram += 4 * MiB)
    {
      guint64 odd = ram - 4096 * g_rand_int_range (rand, 0, 1024);

      for (guint k = 0; k < 2; k++)
        {
          guint64 r = k ? odd : ram;

          check ("linux-2.4.21", r, FALSE, 0, expect_2_4 (r));
          check ("linux-2.6.9", r, FALSE, 0, expect_2_6 (r, 128 * MiB));
          check ("linux-6.1", r, FALSE, 0, expect_6_1 (r, FALSE, 0));
          check ("linux-6.1", r, TRUE, 0, expect_6_1 (r, TRUE, 0));
          n += 4;
        }
    }
  g_test_message ("%u layouts checked", n);
  g_rand_free (rand);
}

static void
test_vmalloc_option (void)
{
  static const guint64 sizes[] = { 32 * MiB, 64 * MiB, 200 * MiB, 256 * MiB, 400 * MiB };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint64 ram = 256 * MiB; ram <= 2 * GiB; ram += 256 * MiB)
      {
        check ("linux-2.6.9", ram, FALSE, sizes[i], expect_2_6 (ram, sizes[i]));
        check ("linux-6.1", ram, FALSE, sizes[i], expect_6_1 (ram, FALSE, sizes[i]));
      }
}

/* facts §0a: Debian 6.1 686 and 686-pae under QEMU -m 1024 (RAM to 0x3ffe0000). */
static void
test_measured_6_1 (void)
{
  VaMachineConfig c;
  VaLayout l;

  config_for (&c, "linux-6.1", 0x3ffe0000, FALSE);
  g_assert_true (va_layout_compute (&l, &c, NULL));
  g_assert_cmphex (l.max_low_pfn, ==, 0x36bfe);
  g_assert_cmphex (l.vmalloc_end, ==, 0xFEBFE000);
  g_assert_cmphex (l.pkmap_base, ==, 0xFEC00000);
  g_assert_cmphex (l.vmalloc_start, ==, 0xF73FE000);
  g_assert_cmpuint ((l.vmalloc_end - l.vmalloc_start) >> 10, ==, 122880);
  g_assert_cmpstr (l.messages->pdata[0], ==, "147MB HIGHMEM available.");
  g_assert_cmpstr (l.messages->pdata[1], ==, "875MB LOWMEM available.");
  g_assert_cmpstr (l.messages->pdata[2], ==, "  mapped low ram: 0 - 36bfe000");
  va_layout_clear (&l);

  config_for (&c, "linux-6.1", 0x3ffe0000, TRUE);
  g_assert_true (va_layout_compute (&l, &c, NULL));
  g_assert_cmphex (l.max_low_pfn, ==, 0x36ffe);
  g_assert_cmphex (l.vmalloc_end, ==, 0xFEFFE000);
  g_assert_cmphex (l.vmalloc_start, ==, 0xF77FE000);
  g_assert_cmpstr (l.messages->pdata[1], ==, "879MB LOWMEM available.");
  va_layout_clear (&l);

  /* 512 MiB: all lowmem, VmallocTotal 495736 kB */
  config_for (&c, "linux-6.1", 0x1ffe0000, FALSE);
  g_assert_true (va_layout_compute (&l, &c, NULL));
  g_assert_cmphex (l.vmalloc_start, ==, 0xE07E0000);
  g_assert_cmpuint ((l.vmalloc_end - l.vmalloc_start) >> 10, ==, 495736);
  va_layout_clear (&l);
}

/* facts §1.3 worked values: the vmalloc window at 1 GiB is 88, 112, 120 MiB. */
static void
test_windows_1g (void)
{
  static const struct { const char *p; gboolean pae; guint32 mib; } rows[] = {
    { "linux-2.4.21", FALSE, 87 }, { "linux-2.6.9", FALSE, 111 }, { "linux-6.1", FALSE, 120 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      VaMachineConfig c;
      VaLayout l;

      config_for (&c, rows[i].p, GiB, rows[i].pae);
      g_assert_true (va_layout_compute (&l, &c, NULL));
      g_assert_cmpuint ((l.vmalloc_end - l.vmalloc_start) >> 20, ==, rows[i].mib);
      va_layout_clear (&l);
    }
}

static gboolean
has_message (const VaLayout *l,
             const char     *text)
{
  for (guint i = 0; i < l->warnings->len; i++)
    if (g_str_equal (l->warnings->pdata[i], text))
      return TRUE;
  return FALSE;
}

static void
test_warnings (void)
{
  VaMachineConfig c;
  VaLayout l;

  config_for (&c, "linux-2.6.9", 6 * GiB, FALSE);
  g_assert_true (va_layout_compute (&l, &c, NULL));
  g_assert_true (has_message (&l, "Warning only 4GB will be used."));
  g_assert_true (has_message (&l, "Use a PAE enabled kernel."));
  g_assert_cmpuint (l.max_pfn, ==, 1u << 20);
  va_layout_clear (&l);

  config_for (&c, "linux-6.1", 6 * GiB, FALSE);
  g_assert_true (va_layout_compute (&l, &c, NULL));
  g_assert_true (has_message (&l, "Warning: only 4GB will be used. Use a HIGHMEM64G enabled kernel!"));
  va_layout_clear (&l);

  config_for (&c, "linux-6.1", 6 * GiB, TRUE);
  g_assert_true (va_layout_compute (&l, &c, NULL));
  g_assert_cmpuint (l.warnings->len, ==, 0);
  g_assert_cmpuint (l.max_pfn, ==, (6 * GiB) >> 12);
  va_layout_clear (&l);

  /* vmalloc=102M on 2.6.9 leaves MAXMEM at 922 MiB: HighMem starts unaligned */
  config_for (&c, "linux-2.6.9", 2 * GiB, FALSE);
  c.vmalloc_bytes = 102 * MiB;
  g_assert_true (va_layout_compute (&l, &c, NULL));
  g_assert_true (has_message (&l, "BUG: wrong zone alignment, it will crash"));
  va_layout_clear (&l);
}

static void
test_mem_option (void)
{
  VaMachineConfig c;
  VaLayout l;

  config_for (&c, "linux-2.6.9", 2 * GiB, FALSE);
  g_assert_true (va_machine_config_set (&c, "mem", "512M", NULL));
  g_assert_true (va_layout_compute (&l, &c, NULL));
  g_assert_cmpuint (l.max_pfn, ==, 131072);
  g_assert_cmphex (l.high_memory, ==, 0xE0000000);
  va_layout_clear (&l);
}

static void
test_split (void)
{
  VaMachineConfig c;
  VaLayout l;
  g_autoptr(GError) error = NULL;

  config_for (&c, "linux-6.1", 2 * GiB, FALSE);
  g_assert_true (va_machine_config_set (&c, "split", "2G/2G", NULL));
  g_assert_true (va_layout_compute (&l, &c, NULL));
  g_assert_cmphex (l.page_offset, ==, 0x80000000);
  /* MAXMEM = VMALLOC_END - PAGE_OFFSET - 128M: 1.85 GiB of lowmem */
  g_assert_cmphex (l.max_low_pfn, ==, (0xFEBFE000u - 0x80000000u - 0x8000000u) >> 12);
  va_layout_clear (&l);

  config_for (&c, "linux-2.6.9", GiB, FALSE);
  g_assert_true (va_machine_config_set (&c, "split", "2G/2G", NULL));
  g_assert_false (va_layout_compute (&l, &c, &error));
  g_assert_error (error, VA_ERROR, VA_ERROR_UNSUPPORTED);
}

static void
test_bad_config (void)
{
  VaMachineConfig c;
  g_autoptr(GError) error = NULL;

  va_machine_config_init (&c);
  g_assert_false (va_machine_config_set (&c, "ram", "12Q", &error));
  g_assert_nonnull (strstr (error->message, "K/M/G"));
  g_clear_error (&error);
  g_assert_false (va_machine_config_set (&c, "profile", "linux-3.0", &error));
  g_assert_nonnull (strstr (error->message, "linux-2.4.21, linux-2.6.9, linux-6.1"));
  g_clear_error (&error);
  g_assert_cmpuint (c.ram_bytes, ==, GiB);   /* unchanged */
  g_assert_true (va_machine_config_set (&c, "ram", "1000", NULL));
  g_assert_false (va_machine_config_validate (&c, &error));
  g_assert_nonnull (strstr (error->message, "multiple of the 4096-byte page"));
  g_clear_error (&error);
  va_machine_config_init (&c);
  g_assert_true (va_machine_config_set (&c, "cma", "16M", NULL));
  g_assert_false (va_machine_config_validate (&c, &error));
  g_assert_nonnull (strstr (error->message, "3.5"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/layout/many-sizes", test_many_sizes);
  g_test_add_func ("/layout/vmalloc-option", test_vmalloc_option);
  g_test_add_func ("/layout/measured-6.1", test_measured_6_1);
  g_test_add_func ("/layout/windows-1g", test_windows_1g);
  g_test_add_func ("/layout/warnings", test_warnings);
  g_test_add_func ("/layout/mem-option", test_mem_option);
  g_test_add_func ("/layout/split", test_split);
  g_test_add_func ("/layout/bad-config", test_bad_config);
  return g_test_run ();
}
