// JPEG and PNG decoding for ganprep. libjpeg and libpng report fatal errors
// by longjmp; every call into them for one decode happens inside one C
// function here, so no longjmp ever crosses a Swift frame.
#ifndef GANPREP_CIMAGECODECS_H
#define GANPREP_CIMAGECODECS_H
#include <stddef.h>
#include <stdint.h>

#define GP_MESSAGE_SIZE 200

/// What a header read or a decode found. Dimensions are those of the output
/// (after DCT scaling), before EXIF orientation is applied.
typedef struct {
    int width;
    int height;
    /// 1 (gray) or 3 (RGB): what the decoder writes.
    int channels;
    /// Source colour model: 1 gray, 3 RGB/YCbCr, 4 CMYK/YCCK.
    int source_components;
    int progressive;
    int arithmetic;
    int has_alpha;
    int bit_depth;
    int interlaced;
    /// EXIF orientation 1...8 (1 when absent).
    int orientation;
    /// libjpeg warnings that lose pixel data (e.g. premature end of file).
    int warnings;
    /// libjpeg warnings that lose none (e.g. extraneous bytes before a marker).
    int benign_warnings;
    /// gp_png_decode_rows read the image data itself (libdeflate and its own
    /// unfiltering) rather than through libpng.
    int fast_rows;
    char message[GP_MESSAGE_SIZE];
} gp_image_info;

/// Status codes shared by the functions below.
enum {
    GP_OK = 0,
    GP_ERR_FORMAT = 1,   ///< not this format, or corrupt
    GP_ERR_TRUNCATED = 2,
    GP_ERR_BUFFER = 3,   ///< output buffer too small
    GP_ERR_WARNING = 4,  ///< strict mode: the decoder warned
    GP_ERR_UNSUPPORTED = 5,  ///< this input needs another path (gp_png_decode_rows)
};

/// Reads a JPEG header and computes the output size at 1/`scale_denom`
/// (1, 2, 4 or 8). Allocates no pixel memory.
int gp_jpeg_read_header(const uint8_t *data, size_t size, int scale_denom, gp_image_info *info);

/// Decodes a JPEG at 1/`scale_denom` into `out` (gray or RGB, 8 bits, rows
/// packed). CMYK and YCCK (Adobe-inverted too) are converted to RGB. In
/// strict mode a libjpeg warning that loses pixel data (see
/// gp_jpeg_warning_is_benign in jpeg.c for which do) fails the decode with GP_ERR_WARNING.
int gp_jpeg_decode(const uint8_t *data, size_t size, int scale_denom, int strict,
                   uint8_t *out, size_t out_capacity, gp_image_info *info);

/// Reads a PNG header. Allocates no pixel memory.
int gp_png_read_header(const uint8_t *data, size_t size, gp_image_info *info);

/// Decodes a PNG to 8-bit gray or RGB; any alpha is composited over white.
int gp_png_decode(const uint8_t *data, size_t size,
                  uint8_t *out, size_t out_capacity, gp_image_info *info);

/// Decodes a PNG to 8-bit gray or RGB, followed by its alpha channel when it
/// has one (straight, not premultiplied): `info->has_alpha` says which, and
/// `out` then needs a byte more per pixel. For a caller that composites only
/// the pixels it uses (gp_over_white).
int gp_png_decode_straight(const uint8_t *data, size_t size,
                           uint8_t *out, size_t out_capacity, gp_image_info *info);

/// Receives one decoded row (`y` counts from 0, in order).
typedef void (*gp_png_row_sink)(void *context, const uint8_t *row, int y);

/// Decodes a PNG a row at a time into a buffer of one row, handing each to
/// `sink` as gp_png_decode_straight would have written it (gray or RGB, 8
/// bits, straight alpha last when `info->has_alpha`), with the same libpng
/// transformations, without holding the image. GP_ERR_UNSUPPORTED, before
/// any row, for an interlaced PNG (its rows come in seven passes) or a
/// libpng other than 1.6: the caller decodes those whole.
///
/// The rows of an 8-bit PNG (or a palette one of fewer bits) with at most
/// 64 MiB of them, whose data libpng would read without a word, are
/// inflated whole by libdeflate, unfiltered and expanded (palette, colour
/// key, the file's gamma) in png_rows.c (`info->fast_rows`); libpng's rows,
/// about twice as fast. Anything else goes through libpng, as does every error.
int gp_png_decode_rows(const uint8_t *data, size_t size, gp_png_row_sink sink, void *context, gp_image_info *info);

/// gp_png_decode_rows, through libpng alone when `libpng_only` (for tests
/// that hold the two paths to the same rows).
int gp_png_decode_rows_via(const uint8_t *data, size_t size, gp_png_row_sink sink, void *context, int libpng_only,
                           gp_image_info *info);

/// Composites `pixels` straight-alpha pixels (gray+alpha, or RGBA when
/// `color`) over white into gray or RGB: c' = (c a + 255 (255 - a)) / 255,
/// rounded to nearest, exactly as gp_png_decode does.
void gp_over_white(const uint8_t *src, uint8_t *dst, size_t pixels, int color);

/// Encodes 8-bit gray or RGB pixels as PNG into a malloc'd buffer that the
/// caller frees with gp_free. `fast`: libpng's speed-over-size setting (a
/// few times faster, somewhat larger files). Returns GP_OK or GP_ERR_FORMAT.
int gp_png_encode(const uint8_t *pixels, int width, int height, int channels, int fast,
                  uint8_t **out, size_t *out_size, char *message);

void gp_free(void *p);

/// Resampling kernels for the resize's vertical pass: row[i] = weight * src[i]
/// (first) and row[i] += weight * src[i] (add), over `count` bytes.
void gp_blend_row_first(const uint8_t *src, float weight, float *row, size_t count);
void gp_blend_row_add(const uint8_t *src, float weight, float *row, size_t count);
/// sums[i] += src[i] over `count` bytes (at most 257 rows between two gp_weigh_sums).
void gp_sum_row(const uint8_t *src, uint16_t *sums, size_t count);
/// row[i] = (first) or += weight * sums[i], and sums[i] = 0.
void gp_weigh_sums(uint16_t *sums, float weight, float *row, size_t count, int first);

/// Functions worth an AVX2 build beside the baseline one, picked at load
/// time (x86-64 with GNU ifunc; elsewhere one build).
#if defined(__x86_64__) && defined(__clang__) && defined(__linux__)
#define GP_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define GP_VECTOR_CLONES
#endif
#endif
