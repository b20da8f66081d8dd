#include "png_rows.h"
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <libdeflate.h>
#if defined(__x86_64__) || defined(__SSE2__)
#include <emmintrin.h>
#define GP_HAVE_SSE2 1
#endif

// The image data of a PNG that gp_png_decode_rows would otherwise read
// through libpng a row at a time: the IDAT chunks inflated at once by
// libdeflate (about 3x zlib 1.2's inflate on photos and screenshots), rows
// unfiltered here (Paeth in SSE2, where libpng's Debian build runs a byte
// at a time) and expanded as png_set_expand does. What libpng would
// transform in any other way, or reject, or warn about, is declined before
// the first row, and the caller reads it through libpng: this path either
// hands the sink exactly libpng's rows or none.

/// Raw rows (filter bytes included) above this go through libpng's streaming
/// reader instead, so that no file holds more than this much at once.
#define GP_PNG_FAST_MAX_RAW ((size_t)64 << 20)

static uint32_t gp_be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/// The IDAT payloads, CRCs checked, as one buffer: in place when there is one
/// chunk, else copied into `*owned`. Also notes whether a gAMA or sRGB chunk
/// comes before them. 0 when anything is not as libpng would read it without
/// a word (a bad CRC, a truncated chunk, no IDAT).
static int gp_png_idat(const uint8_t *data, size_t size, const uint8_t **stream, size_t *length, uint8_t **owned,
                       int *gamma_chunk) {
    size_t at = 8, first = 0, total = 0, chunks = 0;
    *owned = NULL;
    *gamma_chunk = 0;
    while (at + 12 <= size) {
        uint32_t n = gp_be32(data + at);
        if (n > 0x7fffffffu || (size_t)n > size - at - 12) return 0;
        const uint8_t *type = data + at + 4;
        if (memcmp(type, "IDAT", 4) == 0) {
            if (libdeflate_crc32(0, type, (size_t)n + 4) != gp_be32(type + 4 + n)) return 0;
            if (chunks++ == 0) first = at;
            total += n;
        } else if (chunks > 0) {
            break;
        } else if (memcmp(type, "gAMA", 4) == 0 || memcmp(type, "sRGB", 4) == 0) {
            *gamma_chunk = 1;
        }
        at += 12 + (size_t)n;
    }
    if (chunks == 0 || total < 2) return 0;
    if (chunks == 1) {
        *stream = data + first + 8;
        *length = total;
        return 1;
    }
    uint8_t *joined = (uint8_t *)malloc(total);
    if (joined == NULL) return 0;
    size_t filled = 0;
    for (at = first; filled < total; at += 12 + gp_be32(data + at)) {
        uint32_t n = gp_be32(data + at);
        memcpy(joined + filled, data + at + 8, n);
        filled += n;
    }
    *owned = joined;
    *stream = joined;
    *length = total;
    return 1;
}

static inline uint8_t gp_paeth(uint8_t a, uint8_t b, uint8_t c) {
    int pa = abs((int)b - (int)c), pb = abs((int)a - (int)c), pc = abs((int)a + (int)b - 2 * (int)c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

#ifdef GP_HAVE_SSE2
/// One 3- or 4-byte pixel as 16-bit lanes; a 3-byte one reads 4 bytes
/// where the row has them (`room`).
static inline __m128i gp_load_pixel(const uint8_t *p, size_t bpp, int room) {
    uint32_t v = 0;
    if (bpp == 4 || room) memcpy(&v, p, 4);
    else v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return _mm_unpacklo_epi8(_mm_cvtsi32_si128((int)v), _mm_setzero_si128());
}

/// Stores a pixel's bytes; a 3-byte one with `room` writes a fourth, which
/// the next pixel's store overwrites.
static inline void gp_store_pixel(uint8_t *p, __m128i value, size_t bpp, int room) {
    uint32_t out = (uint32_t)_mm_cvtsi128_si32(_mm_packus_epi16(value, value));
    if (bpp == 4 || room) {
        memcpy(p, &out, 4);
    } else {
        p[0] = (uint8_t)out;
        p[1] = (uint8_t)(out >> 8);
        p[2] = (uint8_t)(out >> 16);
    }
}

static inline __m128i gp_abs16(__m128i x) {
    return _mm_max_epi16(x, _mm_sub_epi16(_mm_setzero_si128(), x));
}

/// Sub, Average and Paeth for 3- and 4-byte pixels, one pixel a step in
/// 16-bit lanes (each pixel needs the one before it): the method of
/// libpng's filter_sse2_intrinsics.c. For 3-byte pixels the fourth lane
/// is junk that no store leaves behind.
static inline __attribute__((always_inline)) void gp_unfilter_sse2(int filter, uint8_t *row, const uint8_t *prior,
                                                                   size_t bytes, size_t bpp) {
    const __m128i low = _mm_set1_epi16(0xff);
    __m128i a = _mm_setzero_si128(), c = _mm_setzero_si128();
    __m128i next = bytes >= bpp ? gp_load_pixel(row, bpp, bytes >= 4) : a;
    for (size_t i = 0; i < bytes; i += bpp) {
        int room = i + 4 <= bytes;
        // The next pixel is loaded before this one is stored: a load that
        // overlaps the last store in part waits for it (3-byte pixels).
        __m128i x = next, b = filter == 1 ? a : gp_load_pixel(prior + i, bpp, room);
        if (i + 2 * bpp <= bytes) next = gp_load_pixel(row + i + bpp, bpp, i + bpp + 4 <= bytes);
        __m128i predicted;
        if (filter == 1) {
            predicted = a;
        } else if (filter == 3) {
            predicted = _mm_srli_epi16(_mm_add_epi16(a, b), 1);
        } else {
            __m128i pa = _mm_sub_epi16(b, c), pb = _mm_sub_epi16(a, c);
            __m128i pc = gp_abs16(_mm_add_epi16(pa, pb));
            pa = gp_abs16(pa);
            pb = gp_abs16(pb);
            __m128i smallest = _mm_min_epi16(pc, _mm_min_epi16(pa, pb));
            __m128i use_a = _mm_cmpeq_epi16(smallest, pa);
            __m128i use_b = _mm_andnot_si128(use_a, _mm_cmpeq_epi16(smallest, pb));
            __m128i use_c = _mm_andnot_si128(_mm_or_si128(use_a, use_b), _mm_set1_epi16(-1));
            predicted = _mm_or_si128(_mm_or_si128(_mm_and_si128(use_a, a), _mm_and_si128(use_b, b)), _mm_and_si128(use_c, c));
            c = b;
        }
        __m128i value = _mm_and_si128(_mm_add_epi16(x, predicted), low);
        gp_store_pixel(row + i, value, bpp, room);
        a = value;
    }
}
#endif

static void gp_unup(uint8_t *restrict row, const uint8_t *restrict prior, size_t bytes) {
    for (size_t i = 0; i < bytes; i++) row[i] = (uint8_t)(row[i] + prior[i]);
}

/// Undoes one row's filter in place. `prior` is the row above, unfiltered
/// (zeros for the first); `bpp` the filter's byte distance (1 below 8 bits).
static void gp_unfilter(uint8_t filter, uint8_t *row, const uint8_t *prior, size_t bytes, size_t bpp) {
    size_t i;
#ifdef GP_HAVE_SSE2
    if (filter == 1 || filter == 3 || filter == 4) {
        if (bpp == 3) {
            if (filter == 1) gp_unfilter_sse2(1, row, prior, bytes, 3);
            else if (filter == 3) gp_unfilter_sse2(3, row, prior, bytes, 3);
            else gp_unfilter_sse2(4, row, prior, bytes, 3);
            return;
        }
        if (bpp == 4) {
            if (filter == 1) gp_unfilter_sse2(1, row, prior, bytes, 4);
            else if (filter == 3) gp_unfilter_sse2(3, row, prior, bytes, 4);
            else gp_unfilter_sse2(4, row, prior, bytes, 4);
            return;
        }
    }
#endif
    switch (filter) {
    case 1:
        for (i = bpp; i < bytes; i++) row[i] = (uint8_t)(row[i] + row[i - bpp]);
        break;
    case 2:
        gp_unup(row, prior, bytes);
        break;
    case 3:
        for (i = 0; i < bpp && i < bytes; i++) row[i] = (uint8_t)(row[i] + (prior[i] >> 1));
        for (; i < bytes; i++) row[i] = (uint8_t)(row[i] + ((row[i - bpp] + prior[i]) >> 1));
        break;
    case 4:
        for (i = 0; i < bpp && i < bytes; i++) row[i] = (uint8_t)(row[i] + prior[i]);
        for (; i < bytes; i++) row[i] = (uint8_t)(row[i] + gp_paeth(row[i - bpp], prior[i], prior[i - bpp]));
        break;
    default:
        break;
    }
}

/// What png_set_expand turns a pixel into: a palette's colours (and alpha
/// when it has a tRNS), or an alpha byte after gray or RGB samples from the
/// tRNS colour. `table` holds 256 palette entries as libpng does, black and
/// opaque past the palette's and the tRNS's lengths.
typedef struct {
    int color_type, bits, out_channels, trns, corrected;
    uint8_t table[256][4];
    uint8_t key[3];
    /// libpng's gamma_table when it corrects the file's gamma (`corrected`).
    uint8_t gamma[256];
} gp_png_expand;

static void gp_expand_row(const gp_png_expand *e, const uint8_t *in, uint8_t *out, size_t width) {
    size_t x;
    if (e->corrected && !e->trns && e->color_type != PNG_COLOR_TYPE_PALETTE) {
        // Gamma alone: every colour sample through the table, alpha as it is.
        size_t channels = (size_t)e->out_channels, colors = channels & 1 ? channels : channels - 1;
        for (x = 0; x < width; x++)
            for (size_t k = 0; k < channels; k++)
                out[x * channels + k] = k < colors ? e->gamma[in[x * channels + k]] : in[x * channels + k];
        return;
    }
    if (e->color_type == PNG_COLOR_TYPE_PALETTE) {
        int bits = e->bits, mask = (1 << bits) - 1;
        for (x = 0; x < width; x++) {
            size_t bit = x * (size_t)bits;
            int index = bits == 8 ? in[x] : (in[bit >> 3] >> (8 - bits - (int)(bit & 7))) & mask;
            uint8_t *q = out + x * (size_t)e->out_channels;
            q[0] = e->table[index][0];
            q[1] = e->table[index][1];
            q[2] = e->table[index][2];
            if (e->out_channels == 4) q[3] = e->table[index][3];
        }
        return;
    }
    size_t samples = e->color_type == PNG_COLOR_TYPE_RGB ? 3 : 1;
    for (x = 0; x < width; x++) {
        const uint8_t *p = in + x * samples;
        uint8_t *q = out + x * (samples + 1);
        for (size_t k = 0; k < samples; k++) q[k] = e->gamma[p[k]];
        q[samples] = memcmp(p, e->key, samples) == 0 ? 0 : 255;
    }
}

/// libpng 1.6's png_reciprocal2 and png_gamma_8bit_correct (floating-point
/// builds), kept to their statements so that the doubles round as there.
static png_fixed_point gp_reciprocal2(png_fixed_point a, png_fixed_point b) {
    double r = 1E15 / a;
    r /= b;
    r = floor(r + .5);
    return r <= 2147483647. && r >= -2147483648. ? (png_fixed_point)r : 0;
}

static uint8_t gp_gamma_8bit_correct(unsigned value, png_fixed_point gamma) {
    if (value == 0 || value >= 255) return (uint8_t)value;
    double p = pow((int)value / 255., gamma * .00001);
    double scaled = 255 * p;
    double r = floor(scaled + .5);
    return (uint8_t)r;
}

/// The gamma table libpng builds for png_set_alpha_mode_fixed(..,
/// PNG_DEFAULT_sRGB) from the file's gamma: 1 and `table` filled when it
/// corrects, 0 when it leaves the samples, -1 when the gamma is so near
/// libpng's 5% threshold that this copy of its arithmetic might decide
/// otherwise (the caller then declines).
static int gp_gamma_table(png_fixed_point file_gamma, uint8_t table[256]) {
    const double screen = 220000;  // PNG_GAMMA_sRGB
    double product = screen * file_gamma / 100000;  // png_gamma_threshold's png_muldiv
    if (fabs(product - 95000) < 50 || fabs(product - 105000) < 50) return -1;
    if (product >= 95000 && product <= 105000) return 0;
    png_fixed_point exponent = gp_reciprocal2(file_gamma, 220000);
    if (exponent == 0 || (exponent > 94950 && exponent < 105050)) return -1;
    for (unsigned i = 0; i < 256; i++) table[i] = gp_gamma_8bit_correct(i, exponent);
    return 1;
}

/// Fills `e` from libpng's reading of the header chunks; 0 when the rows need
/// a transformation this path does not make (16 bits, gray below 8 bits), the
/// file's gamma is on libpng's threshold, or `channels` is not what libpng
/// would give.
static int gp_png_expansion(png_structp png, png_infop info, size_t channels, int gamma_chunk, gp_png_expand *e) {
    memset(e, 0, sizeof(*e));
    e->color_type = png_get_color_type(png, info);
    e->bits = png_get_bit_depth(png, info);
    if (e->bits != 8 && !(e->color_type == PNG_COLOR_TYPE_PALETTE && e->bits < 8)) return 0;
    // png_set_alpha_mode_fixed(.., PNG_DEFAULT_sRGB): libpng corrects a file
    // gamma more than 5% from sRGB's.
    png_fixed_point gamma = 0;
    for (int i = 0; i < 256; i++) e->gamma[i] = (uint8_t)i;
    if (png_get_gAMA_fixed(png, info, &gamma) != 0 && gamma > 0) {
        e->corrected = gp_gamma_table(gamma, e->gamma);
        if (e->corrected < 0) return 0;
    } else if (gamma_chunk) {
        return 0;  // a gAMA or sRGB chunk libpng did not take: its call
    }
    png_bytep alpha = NULL;
    int count = 0;
    png_color_16p key = NULL;
    e->trns = png_get_tRNS(png, info, &alpha, &count, &key) != 0;
    switch (e->color_type) {
    case PNG_COLOR_TYPE_GRAY: e->out_channels = 1 + e->trns; break;
    case PNG_COLOR_TYPE_RGB: e->out_channels = 3 + e->trns; break;
    case PNG_COLOR_TYPE_PALETTE: e->out_channels = 3 + e->trns; break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: e->out_channels = 2; e->trns = 0; break;
    case PNG_COLOR_TYPE_RGB_ALPHA: e->out_channels = 4; e->trns = 0; break;
    default: return 0;
    }
    if ((size_t)e->out_channels != channels) return 0;
    if (e->color_type == PNG_COLOR_TYPE_PALETTE) {
        png_colorp palette = NULL;
        int entries = 0;
        if (png_get_PLTE(png, info, &palette, &entries) == 0 || entries < 1 || entries > 256) return 0;
        for (int i = 0; i < 256; i++) {
            if (i < entries) {
                e->table[i][0] = e->gamma[palette[i].red];
                e->table[i][1] = e->gamma[palette[i].green];
                e->table[i][2] = e->gamma[palette[i].blue];
            }
            e->table[i][3] = e->trns && i < count && alpha != NULL ? alpha[i] : 255;
        }
    } else if (e->trns) {
        if (key == NULL) return 0;
        uint16_t sample[3] = {key->gray, 0, 0};
        if (e->color_type == PNG_COLOR_TYPE_RGB) {
            sample[0] = key->red;
            sample[1] = key->green;
            sample[2] = key->blue;
        }
        for (int i = 0; i < 3; i++) {
            if (sample[i] > 255) return 0;
            e->key[i] = (uint8_t)sample[i];
        }
    }
    return 1;
}

int gp_png_fast_rows(png_structp png, png_infop info, const uint8_t *data, size_t size, size_t channels,
                     gp_png_row_sink sink, void *context) {
    if (png_get_interlace_type(png, info) != PNG_INTERLACE_NONE) return GP_ERR_UNSUPPORTED;
    const uint8_t *stream = NULL;
    size_t length = 0;
    uint8_t *owned = NULL;
    int gamma_chunk = 0;
    if (!gp_png_idat(data, size, &stream, &length, &owned, &gamma_chunk)) return GP_ERR_UNSUPPORTED;
    gp_png_expand *e = (gp_png_expand *)malloc(sizeof(gp_png_expand));
    size_t width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    size_t pixel_bits = 0, bytes = 0, raw_size = 0;
    uint8_t *raw = NULL, *zeros = NULL, *expanded = NULL;
    struct libdeflate_decompressor *inflater = NULL;
    int rc = GP_ERR_UNSUPPORTED;
    // A zlib header as libpng takes it without a word: deflate, a 32 KiB
    // window (with a smaller one zlib refuses distances libdeflate allows), no
    // preset dictionary.
    if (e == NULL || !gp_png_expansion(png, info, channels, gamma_chunk, e) || (stream[0] & 0x0f) != 8 ||
        (stream[0] >> 4) != 7 || (stream[1] & 0x20) != 0 || ((unsigned)stream[0] << 8 | stream[1]) % 31 != 0)
        goto done;
    pixel_bits = (size_t)e->bits * (size_t)png_get_channels(png, info);
    bytes = (width * pixel_bits + 7) / 8;
    if (width == 0 || height == 0 || bytes + 1 > GP_PNG_FAST_MAX_RAW / height) goto done;
    raw_size = (bytes + 1) * height;
    raw = (uint8_t *)malloc(raw_size);
    zeros = (uint8_t *)calloc(bytes, 1);
    int direct = !e->corrected && (e->color_type == PNG_COLOR_TYPE_GRAY_ALPHA || e->color_type == PNG_COLOR_TYPE_RGB_ALPHA ||
                                   (!e->trns && (e->color_type == PNG_COLOR_TYPE_GRAY || e->color_type == PNG_COLOR_TYPE_RGB)));
    if (!direct) expanded = (uint8_t *)malloc(width * (size_t)e->out_channels);
    inflater = libdeflate_alloc_decompressor();
    if (raw == NULL || zeros == NULL || (!direct && expanded == NULL) || inflater == NULL) goto done;
    // Exactly the rows, no more: libpng would warn of extra data, and it
    // ignores the Adler-32 (gp_png_skip_adler32), which libdeflate checks.
    size_t used = 0, produced = 0;
    if (libdeflate_zlib_decompress_ex(inflater, stream, length, raw, raw_size, &used, &produced) != LIBDEFLATE_SUCCESS ||
        produced != raw_size)
        goto done;
    for (size_t y = 0; y < height; y++)
        if (raw[y * (bytes + 1)] > 4) goto done;  // libpng: "bad adaptive filter value"
    size_t bpp = pixel_bits < 8 ? 1 : pixel_bits / 8;
    const uint8_t *prior = zeros;
    for (size_t y = 0; y < height; y++) {
        uint8_t *row = raw + y * (bytes + 1);
        gp_unfilter(row[0], row + 1, prior, bytes, bpp);
        if (direct) {
            sink(context, row + 1, (int)y);
        } else {
            gp_expand_row(e, row + 1, expanded, width);
            sink(context, expanded, (int)y);
        }
        prior = row + 1;
    }
    rc = GP_OK;
done:
    if (inflater != NULL) libdeflate_free_decompressor(inflater);
    free(expanded);
    free(zeros);
    free(raw);
    free(e);
    free(owned);
    return rc;
}
