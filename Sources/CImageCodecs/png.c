#include "CImageCodecs.h"
#include "png_rows.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <png.h>

// libpng's simplified API does its own setjmp internally and reports errors
// through return values and image.message, so nothing longjmps into Swift.

static void gp_png_fill_info(const png_image *image, const uint8_t *data, size_t size, gp_image_info *info) {
    info->width = (int)image->width;
    info->height = (int)image->height;
    info->channels = (image->format & PNG_FORMAT_FLAG_COLOR) ? 3 : 1;
    info->source_components = (image->format & PNG_FORMAT_FLAG_COLOR) ? 3 : 1;
    info->has_alpha = (image->format & PNG_FORMAT_FLAG_ALPHA) ? 1 : 0;
    info->orientation = 1;
    // IHDR: bit depth at byte 24, interlace at byte 28.
    if (size >= 29) {
        info->bit_depth = data[24];
        info->interlaced = data[28] ? 1 : 0;
    }
}

/// The simplified API's `png_control` (libpng 1.6's pngpriv.h, unchanged
/// since 1.6.0): `image->opaque` starts with the png_struct and png_info it
/// reads with, then the jmp_buf its errors return to. Returned only for a
/// 1.6 library whose png_info agrees with the header the simplified API read;
/// NULL otherwise, and the callers then keep to the simplified API.
typedef struct {
    png_structp png_ptr;
    png_infop info_ptr;
    void *error_buf;
} gp_png_control;

static gp_png_control *gp_png_control_of(png_image *image) {
#if PNG_LIBPNG_VER >= 10600 && PNG_LIBPNG_VER < 10700
    png_uint_32 version = png_access_version_number();
    if (version < 10600 || version >= 10700 || image->opaque == NULL) return NULL;
    gp_png_control *control = (gp_png_control *)image->opaque;
    if (control->png_ptr == NULL || control->info_ptr == NULL) return NULL;
    if (png_get_image_width(control->png_ptr, control->info_ptr) != image->width ||
        png_get_image_height(control->png_ptr, control->info_ptr) != image->height) return NULL;
    return control;
#else
    (void)image;
    return NULL;
#endif
}

/// Turns off zlib's Adler-32 check of the image data, as Chromium's PNG
/// decoder does: every IDAT chunk already carries a CRC-32 that libpng
/// checks, so the Adler-32 over the same bytes is a second checksum, and
/// zlib 1.2's scalar one costs about 15% of inflating (3-4% of packing a
/// folder of photos).
static void gp_png_skip_adler32(gp_png_control *control) {
#if defined(PNG_SET_OPTION_SUPPORTED) && defined(PNG_IGNORE_ADLER32)
    if (control != NULL) png_set_option(control->png_ptr, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#else
    (void)control;
#endif
}

/// Checks the signature and reads the header into `image` and `info`.
/// On failure `image` is already freed.
static int gp_png_begin(png_image *image, const uint8_t *data, size_t size, gp_image_info *info) {
    memset(info, 0, sizeof(*info));
    memset(image, 0, sizeof(*image));
    image->version = PNG_IMAGE_VERSION;
    if (size < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        snprintf(info->message, GP_MESSAGE_SIZE, "not a PNG signature");
        return GP_ERR_FORMAT;
    }
    if (!png_image_begin_read_from_memory(image, data, size)) {
        snprintf(info->message, GP_MESSAGE_SIZE, "%s", image->message);
        png_image_free(image);
        return GP_ERR_FORMAT;
    }
    gp_png_fill_info(image, data, size, info);
    return GP_OK;
}

int gp_png_read_header(const uint8_t *data, size_t size, gp_image_info *info) {
    png_image image;
    int rc = gp_png_begin(&image, data, size, info);
    if (rc == GP_OK) png_image_free(&image);
    return rc;
}

/// x / 255 rounded to nearest, for x in 0...65025: exact, without a division.
static inline unsigned gp_div255(unsigned x) {
    x += 128u;
    return (x + (x >> 8)) >> 8;
}

/// Composites straight-alpha pixels over white, in 8-bit sRGB:
/// c' = (c a + 255 (255 - a)) / 255, rounded. Straight loops without
/// branches, which the compiler vectorizes; built twice where the CPU may
/// have AVX2 (chosen when the library loads).
GP_VECTOR_CLONES
static void gp_png_over_white_rgb(const uint8_t *restrict rgba, uint8_t *restrict rgb, size_t pixels) {
    for (size_t i = 0; i < pixels; i++) {
        unsigned a = rgba[4 * i + 3], white = 255u * (255u - a);
        rgb[3 * i] = (uint8_t)gp_div255(rgba[4 * i] * a + white);
        rgb[3 * i + 1] = (uint8_t)gp_div255(rgba[4 * i + 1] * a + white);
        rgb[3 * i + 2] = (uint8_t)gp_div255(rgba[4 * i + 2] * a + white);
    }
}

GP_VECTOR_CLONES
static void gp_png_over_white_gray(const uint8_t *restrict ga, uint8_t *restrict gray, size_t pixels) {
    for (size_t i = 0; i < pixels; i++) {
        unsigned a = ga[2 * i + 1];
        gray[i] = (uint8_t)gp_div255(ga[2 * i] * a + 255u * (255u - a));
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define GP_HAVE_AVX2_KERNEL 1

/// The RGBA case with AVX2 intrinsics, 8 pixels a step, in 16-bit lanes
/// (every intermediate of c a + 255 (255 - a) + 128 fits in 16 bits): the
/// compiler's own vectorization of the loop above, with its 4-to-3 byte
/// shuffles, ran at about 3 cycles a pixel. Eight pixels all opaque (their
/// colour, exactly what the arithmetic gives) or all transparent (white)
/// skip the arithmetic: 27% and 18% of the benchmark's RGBA blocks. Returns
/// how many pixels it did; the rest (fewer than 10) goes through the loop above.
__attribute__((target("avx2")))
static size_t gp_over_white_rgb_avx2(const uint8_t *restrict rgba, uint8_t *restrict rgb, size_t pixels) {
    const __m256i zero = _mm256_setzero_si256(), full = _mm256_set1_epi16(255), half = _mm256_set1_epi16(128);
    // Per 128-bit lane: the R, G, B bytes of its 4 pixels first, the 4 alpha bytes dropped.
    const __m256i pick = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1,
                                          0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    size_t i = 0;
    // Each step stores 28 bytes of which 24 are its own: stop while 4 bytes of room remain.
    const __m256i alpha = _mm256_set1_epi32((int)0xFF000000u);
    for (; i + 10 <= pixels; i += 8) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(rgba + 4 * i));
        int opaque = _mm256_testc_si256(v, alpha), clear = _mm256_testz_si256(v, alpha);
        if (opaque || clear) {
            // All alpha bytes 255: the colours as they are; all 0: white.
            __m256i packed = clear ? _mm256_set1_epi8(-1) : _mm256_shuffle_epi8(v, pick);
            _mm_storeu_si128((__m128i *)(rgb + 3 * i), _mm256_castsi256_si128(packed));
            _mm_storeu_si128((__m128i *)(rgb + 3 * i + 12), _mm256_extracti128_si256(packed, 1));
            continue;
        }
        __m256i lo = _mm256_unpacklo_epi8(v, zero), hi = _mm256_unpackhi_epi8(v, zero);
        __m256i alo = _mm256_shufflehi_epi16(_mm256_shufflelo_epi16(lo, 0xFF), 0xFF);
        __m256i ahi = _mm256_shufflehi_epi16(_mm256_shufflelo_epi16(hi, 0xFF), 0xFF);
        __m256i tlo = _mm256_add_epi16(_mm256_add_epi16(_mm256_mullo_epi16(lo, alo), _mm256_mullo_epi16(_mm256_sub_epi16(full, alo), full)), half);
        __m256i thi = _mm256_add_epi16(_mm256_add_epi16(_mm256_mullo_epi16(hi, ahi), _mm256_mullo_epi16(_mm256_sub_epi16(full, ahi), full)), half);
        tlo = _mm256_srli_epi16(_mm256_add_epi16(tlo, _mm256_srli_epi16(tlo, 8)), 8);
        thi = _mm256_srli_epi16(_mm256_add_epi16(thi, _mm256_srli_epi16(thi, 8)), 8);
        __m256i packed = _mm256_shuffle_epi8(_mm256_packus_epi16(tlo, thi), pick);
        _mm_storeu_si128((__m128i *)(rgb + 3 * i), _mm256_castsi256_si128(packed));
        _mm_storeu_si128((__m128i *)(rgb + 3 * i + 12), _mm256_extracti128_si256(packed, 1));
    }
    return i;
}
#endif

void gp_over_white(const uint8_t *src, uint8_t *dst, size_t pixels, int color) {
    if (!color) { gp_png_over_white_gray(src, dst, pixels); return; }
    size_t done = 0;
#ifdef GP_HAVE_AVX2_KERNEL
    static int avx2 = -1;
    if (avx2 < 0) avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    if (avx2) done = gp_over_white_rgb_avx2(src, dst, pixels);
#endif
    gp_png_over_white_rgb(src + 4 * done, dst + 3 * done, pixels - done);
}

/// Decodes into `out`: gray or RGB, with the alpha channel after them when
/// the source has one and `keep_alpha` is set; otherwise alpha is
/// composited over white (through a buffer of the straight pixels).
static int gp_png_read(const uint8_t *data, size_t size, uint8_t *out, size_t out_capacity, int keep_alpha,
                       gp_image_info *info) {
    png_image image;
    int begun = gp_png_begin(&image, data, size, info);
    if (begun != GP_OK) return begun;
    // Without gAMA/sRGB chunks libpng would take 16-bit samples as linear and
    // gamma-encode them on the way to 8 bits; PNGs in the wild are sRGB.
    image.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
    gp_png_skip_adler32(gp_png_control_of(&image));
    int color = info->channels == 3;
    int straight = info->has_alpha && keep_alpha;
    size_t pixels = (size_t)image.width * (size_t)image.height;
    if (pixels * (size_t)(info->channels + straight) > out_capacity) {
        snprintf(info->message, GP_MESSAGE_SIZE, "output buffer too small");
        png_image_free(&image);
        return GP_ERR_BUFFER;
    }
    // Output sRGB 8-bit with alpha when the source has it, else straight into `out`.
    if (!info->has_alpha || straight) {
        image.format = info->has_alpha ? (color ? PNG_FORMAT_RGBA : PNG_FORMAT_GA) : (color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY);
        if (!png_image_finish_read(&image, NULL, out, 0, NULL)) {
            snprintf(info->message, GP_MESSAGE_SIZE, "%s", image.message);
            png_image_free(&image);
            return GP_ERR_FORMAT;
        }
        return GP_OK;
    }
    int in_ch = color ? 4 : 2;
    image.format = color ? PNG_FORMAT_RGBA : PNG_FORMAT_GA;
    uint8_t *tmp = (uint8_t *)malloc(pixels * (size_t)in_ch);
    if (!tmp) {
        snprintf(info->message, GP_MESSAGE_SIZE, "out of memory");
        png_image_free(&image);
        return GP_ERR_BUFFER;
    }
    if (!png_image_finish_read(&image, NULL, tmp, 0, NULL)) {
        snprintf(info->message, GP_MESSAGE_SIZE, "%s", image.message);
        png_image_free(&image);
        free(tmp);
        return GP_ERR_FORMAT;
    }
    // Composite straight (non-premultiplied) alpha over white.
    gp_over_white(tmp, out, pixels, color);
    free(tmp);
    return GP_OK;
}

int gp_png_decode(const uint8_t *data, size_t size,
                  uint8_t *out, size_t out_capacity, gp_image_info *info) {
    return gp_png_read(data, size, out, out_capacity, 0, info);
}

int gp_png_decode_straight(const uint8_t *data, size_t size,
                           uint8_t *out, size_t out_capacity, gp_image_info *info) {
    return gp_png_read(data, size, out, out_capacity, 1, info);
}


int gp_png_encode(const uint8_t *pixels, int width, int height, int channels, int fast,
                  uint8_t **out, size_t *out_size, char *message) {
    png_image image;
    memset(&image, 0, sizeof(image));
    image.version = PNG_IMAGE_VERSION;
    image.width = (png_uint_32)width;
    image.height = (png_uint_32)height;
    image.format = channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    if (fast) image.flags |= PNG_IMAGE_FLAG_FAST;
    *out = NULL;
    *out_size = 0;
    // One pass into a buffer of the largest size the PNG can have (the raw
    // rows, zlib's stored-block overhead and the chunks): asking libpng for
    // the exact size first (png_image_write_get_memory_size) encodes the
    // image twice, which had doubled the cost of a training run's grids.
    png_alloc_size_t size = PNG_IMAGE_PNG_SIZE_MAX(image);
    uint8_t *buf = (uint8_t *)malloc(size);
    if (!buf) return GP_ERR_BUFFER;
    if (!png_image_write_to_memory(&image, buf, &size, 0, pixels, 0, NULL)) {
        if (message) snprintf(message, GP_MESSAGE_SIZE, "%s", image.message);
        free(buf);
        return GP_ERR_FORMAT;
    }
    *out = buf;
    *out_size = size;
    return GP_OK;
}

int gp_png_decode_rows(const uint8_t *data, size_t size, gp_png_row_sink sink, void *context, gp_image_info *info) {
    return gp_png_decode_rows_via(data, size, sink, context, 0, info);
}

int gp_png_decode_rows_via(const uint8_t *data, size_t size, gp_png_row_sink sink, void *context, int libpng_only,
                           gp_image_info *info) {
    png_image image;
    int begun = gp_png_begin(&image, data, size, info);
    if (begun != GP_OK) return begun;
    gp_png_control *control = gp_png_control_of(&image);
    if (control == NULL || info->interlaced) {
        png_image_free(&image);
        return GP_ERR_UNSUPPORTED;
    }
    gp_png_skip_adler32(control);
    png_structp png = control->png_ptr;
    png_infop png_info = control->info_ptr;
    size_t channels = (size_t)(info->channels + info->has_alpha);
    if (!libpng_only && gp_png_fast_rows(png, png_info, data, size, channels, sink, context) == GP_OK) {
        info->fast_rows = 1;
        png_image_free(&image);
        return GP_OK;
    }
    size_t row_bytes = (size_t)image.width * channels;
    uint8_t *row = (uint8_t *)malloc(row_bytes ? row_bytes : 1);
    if (row == NULL) {
        snprintf(info->message, GP_MESSAGE_SIZE, "out of memory");
        png_image_free(&image);
        return GP_ERR_BUFFER;
    }
    // As png_safe_execute: libpng's errors return here through the control's jmp_buf.
    jmp_buf jump;
    void *saved = control->error_buf;
    volatile int rc = GP_OK;
    if (setjmp(jump) == 0) {
        control->error_buf = jump;
        // png_image_read_direct's transformations when the output format is
        // the file's own (gray or colour, alpha when it has any, 8 bits) with
        // PNG_IMAGE_FLAG_16BIT_sRGB, as gp_png_read asks for it.
        png_set_expand(png);
        png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
        if (info->bit_depth == 16) png_set_scale_16(png);
        png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
        png_read_update_info(png, png_info);
        if (png_get_rowbytes(png, png_info) != row_bytes || png_get_channels(png, png_info) != channels ||
            png_get_bit_depth(png, png_info) != 8) {
            snprintf(info->message, GP_MESSAGE_SIZE, "libpng's rows are not 8-bit with %zu channels", channels);
            rc = GP_ERR_FORMAT;
        } else {
            for (png_uint_32 y = 0; y < image.height; y++) {
                png_read_row(png, row, NULL);
                sink(context, row, (int)y);
            }
        }
    } else {
        snprintf(info->message, GP_MESSAGE_SIZE, "%s", image.message);
        rc = GP_ERR_FORMAT;
    }
    control->error_buf = saved;
    free(row);
    png_image_free(&image);
    return rc;
}
