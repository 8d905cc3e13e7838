/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "va-png-writer"

#include "va-png-writer.h"
#include "va-frame-classes.h"

#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <glib/gstdio.h>

/* Level 1 is zlib's fastest real compression; the physical map is long runs
 * of one class, so it already shrinks ~100x and higher levels only cost time. */
#define VA_PNG_FAST_LEVEL 1

/* Where libpng's callbacks leave what went wrong before longjmp()ing back. */
typedef struct {
  int  fd;
  int  saved_errno;        /* a failed write(), 0 otherwise */
  char message[256];       /* libpng's own message */
} PngSink;

static void
png_error_cb (png_structp     png,
              png_const_charp message)
{
  PngSink *sink = png_get_error_ptr (png);

  g_strlcpy (sink->message, message, sizeof sink->message);
  png_longjmp (png, 1);
}

static void
png_warning_cb (png_structp     png,
                png_const_charp message)
{
  /* libpng warns only about things we do not do (e.g. unknown chunks). */
}

static void
png_write_cb (png_structp png,
              png_bytep   data,
              size_t      length)
{
  PngSink *sink = png_get_io_ptr (png);

  while (length > 0)
    {
      ssize_t n = write (sink->fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          sink->saved_errno = n < 0 ? errno : EIO;
          png_error (png, g_strerror (sink->saved_errno));
        }
      data += n;
      length -= (size_t) n;
    }
}

static void
png_flush_cb (png_structp png)
{
}

static void
fill_plte (png_color   *plte,
           const VaRgb *palette,
           guint        n_colors)
{
  for (guint i = 0; i < n_colors; i++)
    plte[i] = (png_color) {
      .red = (png_byte) (CLAMP (palette[i].r, 0.0, 1.0) * 255.0 + 0.5),
      .green = (png_byte) (CLAMP (palette[i].g, 0.0, 1.0) * 255.0 + 0.5),
      .blue = (png_byte) (CLAMP (palette[i].b, 0.0, 1.0) * 255.0 + 0.5),
    };
}

/* The libpng part: everything it needs is set up before setjmp(), so no
 * local changes between setjmp() and a longjmp() back into it. */
static gboolean
write_png_to_fd (int           fd,
                 guint32       width,
                 guint32       height,
                 const guint8 *indices,
                 const VaRgb  *palette,
                 guint         n_colors,
                 int           level,
                 int          *saved_errno,
                 char         *message,
                 gsize         message_size)
{
  PngSink sink = { .fd = fd };
  png_color plte[256];
  png_structp png;
  png_infop info;

  fill_plte (plte, palette, n_colors);
  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &sink, png_error_cb, png_warning_cb);
  if (png == NULL)
    {
      g_strlcpy (message, "libpng: out of memory", message_size);
      return FALSE;
    }
  info = png_create_info_struct (png);
  if (info == NULL || setjmp (png_jmpbuf (png)))
    {
      g_strlcpy (message, sink.message[0] ? sink.message : "libpng: out of memory", message_size);
      *saved_errno = sink.saved_errno;
      png_destroy_write_struct (&png, &info);
      return FALSE;
    }

  png_set_write_fn (png, &sink, png_write_cb, png_flush_cb);
  png_set_IHDR (png, info, width, height, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_PLTE (png, info, plte, (int) n_colors);
  /* Filters predict smooth photographs; on palette indices they only cost.
   * The map is runs of one class, which Z_RLE finds as fast as the default
   * strategy does at level 1, in a third of the bytes for 64 GiB. */
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_compression_level (png, level);
  png_set_compression_strategy (png, Z_RLE);
  png_write_info (png, info);
  for (guint32 y = 0; y < height; y++)
    png_write_row (png, indices + (gsize) y * width);
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  return TRUE;
}

static gboolean
set_errno_error (GError    **error,
                 int         saved_errno,
                 const char *path,
                 const char *what)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               "%s: %s: %s", path, what, g_strerror (saved_errno));
  return FALSE;
}

/* Writes, syncs and closes @fd; FALSE with @error on the first failure
 * (@fd is closed either way). */
static gboolean
write_png_file (int           fd,
                const char   *path,
                guint32       width,
                guint32       height,
                const guint8 *indices,
                const VaRgb  *palette,
                guint         n_colors,
                int           level,
                GError      **error)
{
  char message[256] = "";
  int saved_errno = 0;

  if (!write_png_to_fd (fd, width, height, indices, palette, n_colors, level,
                        &saved_errno, message, sizeof message))
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR,
                   saved_errno ? g_file_error_from_errno (saved_errno) : G_FILE_ERROR_FAILED,
                   "%s: cannot write the PNG: %s", path, message);
      return FALSE;
    }
  /* Rename is atomic, but only over data that is on disk: without fsync a
   * crash could leave a renamed empty file in place of the old image. */
  if (fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      return set_errno_error (error, saved_errno, path, "cannot sync the PNG");
    }
  if (close (fd) != 0)
    return set_errno_error (error, errno, path, "cannot close the PNG");
  return TRUE;
}

gboolean
va_png_write_indexed (const char   *path,
                      guint32       width,
                      guint32       height,
                      const guint8 *indices,
                      const VaRgb  *palette,
                      guint         n_colors,
                      int           compression_level,
                      GError      **error)
{
  g_autofree char *tmp = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && width <= PNG_UINT_31_MAX, FALSE);
  g_return_val_if_fail (height > 0 && height <= PNG_UINT_31_MAX, FALSE);
  g_return_val_if_fail (indices != NULL, FALSE);
  g_return_val_if_fail (palette != NULL, FALSE);
  g_return_val_if_fail (n_colors >= 1 && n_colors <= 256, FALSE);
  g_return_val_if_fail (compression_level >= 0 && compression_level <= 9, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tmp = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    return set_errno_error (error, errno, path, "cannot create a temporary file");

  if (!write_png_file (fd, path, width, height, indices, palette, n_colors,
                       compression_level, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      return set_errno_error (error, saved_errno, path, "cannot replace the file");
    }
  return TRUE;
}

/* Frames per pixel when the image is smaller than the machine: the
 * smallest k with every k-th frame fitting in @pixels. */
static guint32
frames_per_pixel (guint32 nr_pfns,
                  guint64 pixels)
{
  return (guint32) MAX ((nr_pfns + pixels - 1) / pixels, 1);
}

static guint8 *
phys_indices (VaMachine *m,
              guint32    width,
              guint32    height)
{
  guint64 pixels = (guint64) width * height;
  guint8 *indices = g_malloc (pixels);
  guint32 k = frames_per_pixel (m->nr_pfns, pixels);

  if (k == 1)
    {
      /* The fast path: pfn n is pixel n, so the classes are the image. */
      va_frame_classes_fill (m, indices);
      memset (indices + m->nr_pfns, VA_COLOR_BACKGROUND, pixels - m->nr_pfns);
    }
  else
    {
      g_autofree guint8 *classes = g_malloc (m->nr_pfns);

      va_frame_classes_fill (m, classes);
      for (guint64 i = 0; i < pixels; i++)
        indices[i] = i * k < m->nr_pfns ? classes[i * k] : VA_COLOR_BACKGROUND;
    }
  return indices;
}

gboolean
va_phys_export_png (VaMachine       *m,
                    const char      *path,
                    guint32          width,
                    guint32          height,
                    const VaPalette *palette,
                    GError         **error)
{
  g_autofree guint8 *indices = NULL;
  VaRgb colors[VA_N_FRAME_CLASSES];

  g_return_val_if_fail (m != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail ((guint64) width * height <= G_MAXINT32, FALSE);
  g_return_val_if_fail (palette != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint cls = 0; cls < VA_N_FRAME_CLASSES; cls++)
    colors[cls] = va_frame_class_rgb (palette, cls, m->profile->max_order);
  indices = phys_indices (m, width, height);
  return va_png_write_indexed (path, width, height, indices, colors, VA_N_FRAME_CLASSES,
                               VA_PNG_FAST_LEVEL, error);
}
