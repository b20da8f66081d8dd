/* The pack benchmark's floor: decoding and nothing else.
 *
 * Reads each file into memory and decodes it the way ganprep pack does, with
 * the same library calls: JPEG with libjpeg-turbo at the DCT scale pack
 * chooses for the target size (the smallest of 1/8, 1/4, 1/2 whose output
 * still covers the size the resize needs, as ImageDecoder.scaleDenominator),
 * PNG with libpng as pack does it: the simplified API reads the header, then
 * its transformations into RGB / gray (RGBA / gray+alpha when the file has
 * alpha) and the rows one at a time into one row buffer (an interlaced PNG
 * whole), with zlib's Adler-32 of the image data unchecked (the chunks'
 * CRC-32s still are); a progressive JPEG, as pack, only up to the last
 * scan that brings a coefficient the reduced IDCTs read (at 1/8 the luma's
 * DC; jpeg.c's gp_jpeg_read_used_scans).
 * No resize, no normalization, no hashing, no output.
 * THREADS threads take the files from one shared counter, so the cores stay
 * busy to the end; it prints the images per second of the whole set.
 *
 * Usage: decode_floor SIZE MODE THREADS FILE...   (MODE: crop, pad or stretch)
 * Build: cc -O2 decode_floor.c -o decode_floor -ljpeg -lpng -lpthread
 * With -DFLOOR_HASH each file's bytes are also hashed with SHA-256 (OpenSSL's
 * one-shot SHA256, right after the read, while they are in the cache), as pack
 * records the digest of every source: decoding plus the one other thing pack
 * must do with every byte, the best a hashing pack could reach
 * (build with -lcrypto too).
 * With -DFLOOR_GANPREP_PNG a PNG's rows come from ganprep's own
 * gp_png_decode_rows (Sources/CImageCodecs: libdeflate and its own
 * unfiltering for most files, libpng for the rest), the decoder pack now
 * uses, instead of libpng's: the floor for pack's work beyond decoding
 * (build with Sources/CImageCodecs/png.c and png_rows.c, -ldeflate -lm).
 * With -DFLOOR_PLAIN every PNG is decoded whole into one buffer by the
 * simplified API and every progressive JPEG to its end, as the libraries do
 * by default (and pack did before it streamed rows and stopped early).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <time.h>
#include <jpeglib.h>
#include <png.h>
#ifdef FLOOR_HASH
#include <openssl/sha.h>
#endif
#ifdef FLOOR_GANPREP_PNG
#include "CImageCodecs.h"
static void floor_row_sink(void *context, const uint8_t *row, int y) { (void)context; (void)row; (void)y; }
#endif

static int target, threads_count, file_count;
static char mode;
static char **files;
static atomic_int next_file;
static atomic_int decoded;

typedef struct { struct jpeg_error_mgr pub; jmp_buf jump; } floor_error;

static void floor_error_exit(j_common_ptr cinfo) { longjmp(((floor_error *)cinfo->err)->jump, 1); }
static void floor_emit_message(j_common_ptr cinfo, int level) { (void)cinfo; (void)level; }

static unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc(n > 0 ? (size_t)n : 1);
    *size = data ? fread(data, 1, (size_t)n, f) : 0;
    fclose(f);
    return data;
}

/* EXIF orientation 5-8 swaps width and height: the tag read from APP1's
 * first IFD, as pack's header reader does (gp_exif_orientation). */
static int swaps_axes(struct jpeg_decompress_struct *c) {
    for (jpeg_saved_marker_ptr m = c->marker_list; m; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 14 || memcmp(m->data, "Exif\0\0", 6) != 0) continue;
        const unsigned char *t = m->data + 6;
        unsigned n = m->data_length - 6;
        int le = t[0] == 'I' && t[1] == 'I';
        if (!le && !(t[0] == 'M' && t[1] == 'M')) continue;
#define RD16(q) (le ? (unsigned)((q)[0] | ((q)[1] << 8)) : (unsigned)(((q)[0] << 8) | (q)[1]))
#define RD32(q) (le ? ((unsigned)(q)[0] | ((unsigned)(q)[1] << 8) | ((unsigned)(q)[2] << 16) | ((unsigned)(q)[3] << 24)) \
                    : (((unsigned)(q)[0] << 24) | ((unsigned)(q)[1] << 16) | ((unsigned)(q)[2] << 8) | (unsigned)(q)[3]))
        unsigned ifd = RD32(t + 4);
        if (ifd > n - 2 || ifd + 2 > n) continue;
        unsigned count = RD16(t + ifd);
        for (unsigned i = 0; i < count; i++) {
            unsigned e = ifd + 2 + i * 12;
            if (e + 12 > n) break;
            if (RD16(t + e) == 0x0112) {
                unsigned v = RD16(t + e + 8);
                return v >= 5 && v <= 8;
            }
        }
#undef RD16
#undef RD32
    }
    return 0;
}

/* The size the resize needs, for an image displayed at w x h (ImagePreprocessor.minimumDecodeSize). */
static void minimum_size(int w, int h, int *mw, int *mh) {
    double sx = (double)target / w, sy = (double)target / h;
    double s = mode == 'c' ? (sx > sy ? sx : sy) : (sx < sy ? sx : sy);
    if (mode == 's') { *mw = target; *mh = target; return; }
    *mw = (int)(w * s + 0.999999);
    *mh = (int)(h * s + 0.999999);
}

static const unsigned char natural_order[DCTSIZE2] = {
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
    15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

/* As pack: whether every coefficient the reduced IDCTs read (1x1: DC; 2x2:
 * rows and columns 0, 1, 3, 5, 7; 4x4: all but 4) is in at full precision. */
static int used_complete(struct jpeg_decompress_struct *c) {
    for (int ci = 0; ci < c->num_components; ci++) {
        int scaled = c->comp_info[ci].DCT_scaled_size;
        for (int k = 0; k < DCTSIZE2; k++) {
            int row = natural_order[k] / 8, col = natural_order[k] % 8;
            int used = scaled == 1 ? natural_order[k] == 0
                     : scaled == 2 ? (row == 0 || (row & 1)) && (col == 0 || (col & 1))
                     : scaled == 4 ? row != 4 && col != 4 : 1;
            if (used && c->coef_bits[ci][k] != 0) return 0;
        }
    }
    return 1;
}

static int decode_jpeg(const unsigned char *data, size_t size) {
    struct jpeg_decompress_struct c;
    floor_error err;
    unsigned char *pixels = NULL;
    c.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = floor_error_exit;
    err.pub.emit_message = floor_emit_message;
    if (setjmp(err.jump)) { jpeg_destroy_decompress(&c); free(pixels); return 0; }
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, data, (unsigned long)size);
    jpeg_save_markers(&c, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&c, TRUE);
    int swap = swaps_axes(&c);
    int dw = swap ? (int)c.image_height : (int)c.image_width, dh = swap ? (int)c.image_width : (int)c.image_height;
    int mw, mh;
    minimum_size(dw, dh, &mw, &mh);
    if (swap) { int t = mw; mw = mh; mh = t; }
    unsigned denominator = 1;
    for (unsigned d = 8; d >= 2; d /= 2) {
        if ((c.image_width + d - 1) / d >= (unsigned)mw && (c.image_height + d - 1) / d >= (unsigned)mh) { denominator = d; break; }
    }
    c.out_color_space = c.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE
                      : (c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK) ? JCS_CMYK : JCS_RGB;
    c.scale_num = 1;
    c.scale_denom = denominator;
    c.dct_method = JDCT_ISLOW;
    jpeg_calc_output_dimensions(&c);
#ifdef FLOOR_PLAIN
    int buffered = 0;
#else
    int buffered = c.progressive_mode && c.min_DCT_scaled_size < DCTSIZE;
#endif
    int stopped = 0;
    if (buffered) {
        c.buffered_image = TRUE;
        c.do_block_smoothing = FALSE;
    }
    jpeg_start_decompress(&c);
    if (buffered) {
        for (;;) {
            int status = jpeg_consume_input(&c);
            if (status == JPEG_REACHED_EOI || status == JPEG_SUSPENDED) break;
            if (status == JPEG_SCAN_COMPLETED && used_complete(&c)) { stopped = 1; break; }
        }
        jpeg_start_output(&c, c.input_scan_number);
    }
    size_t stride = (size_t)c.output_width * (size_t)c.output_components;
    pixels = malloc(stride * c.output_height);
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = pixels + stride * c.output_scanline;
        jpeg_read_scanlines(&c, &row, 1);
    }
    if (buffered) jpeg_finish_output(&c);
    if (!stopped) jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    free(pixels);
    return 1;
}

/* The simplified API's png_control: png_struct, png_info, then the jmp_buf its errors return to. */
typedef struct { png_structp png; png_infop info; void *error_buf; } floor_png_control;

static int decode_png(const unsigned char *data, size_t size) {
#ifdef FLOOR_GANPREP_PNG
    gp_image_info info;
    int rc = gp_png_decode_rows(data, size, floor_row_sink, NULL, &info);
    if (rc != GP_ERR_UNSUPPORTED) return rc == GP_OK;
#endif
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data, size)) return 0;
    image.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
    int color = (image.format & PNG_FORMAT_FLAG_COLOR) != 0, alpha = (image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    floor_png_control *control = (floor_png_control *)image.opaque;
    if (control == NULL || png_access_version_number() / 100 != 106 || control->png == NULL || control->info == NULL ||
        png_get_image_width(control->png, control->info) != image.width) {
        png_image_free(&image);
        return 0;
    }
    png_structp png = control->png;
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#ifdef FLOOR_PLAIN
    int whole = 1;  /* the floor of the first figures: every PNG decoded whole */
#else
    int whole = png_get_interlace_type(png, control->info) != PNG_INTERLACE_NONE;
#endif
    if (whole) {
        /* As pack: an interlaced PNG is decoded whole. */
        image.format = alpha ? (color ? PNG_FORMAT_RGBA : PNG_FORMAT_GA) : (color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY);
        unsigned char *pixels = malloc(PNG_IMAGE_SIZE(image));
        int ok = pixels && png_image_finish_read(&image, NULL, pixels, 0, NULL);
        png_image_free(&image);
        free(pixels);
        return ok;
    }
    /* As pack (gp_png_decode_rows): the simplified API's transformations, then
     * the rows one at a time into one row buffer. */
    size_t row_bytes = (size_t)image.width * (size_t)((color ? 3 : 1) + alpha);
    unsigned char *row = malloc(row_bytes);
    jmp_buf jump;
    volatile int ok = 0;
    if (row && setjmp(jump) == 0) {
        control->error_buf = jump;
        png_set_expand(png);
        png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
        if (png_get_bit_depth(png, control->info) == 16) png_set_scale_16(png);
        png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
        png_read_update_info(png, control->info);
        if (png_get_rowbytes(png, control->info) == row_bytes) {
            for (png_uint_32 y = 0; y < image.height; y++) png_read_row(png, row, NULL);
            ok = 1;
        }
    }
    control->error_buf = NULL;
    png_image_free(&image);
    free(row);
    return ok;
}

static void *worker(void *unused) {
    (void)unused;
    for (int i; (i = atomic_fetch_add(&next_file, 1)) < file_count;) {
        size_t size = 0;
        unsigned char *data = read_file(files[i], &size);
        if (!data) continue;
#ifdef FLOOR_HASH
        unsigned char digest[SHA256_DIGEST_LENGTH];
        SHA256(data, size, digest);
#endif
        int ok = size >= 3 && data[0] == 0xFF && data[1] == 0xD8 ? decode_jpeg(data, size)
               : size >= 8 && !png_sig_cmp(data, 0, 8) ? decode_png(data, size) : 0;
        if (ok) atomic_fetch_add(&decoded, 1);
        free(data);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: decode_floor SIZE MODE THREADS FILE...\n");
        return 2;
    }
    target = atoi(argv[1]);
    mode = argv[2][0];
    threads_count = atoi(argv[3]);
    files = argv + 4;
    file_count = argc - 4;
    if (target < 1 || threads_count < 1 || (mode != 'c' && mode != 'p' && mode != 's')) {
        fprintf(stderr, "decode_floor: SIZE and THREADS must be positive, MODE crop, pad or stretch\n");
        return 2;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t *threads = malloc(sizeof(pthread_t) * (size_t)threads_count);
    for (int t = 0; t < threads_count; t++) pthread_create(&threads[t], NULL, worker, NULL);
    for (int t = 0; t < threads_count; t++) pthread_join(threads[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - start.tv_sec) + 1e-9 * (double)(end.tv_nsec - start.tv_nsec);
    printf("%d %.4f %.1f\n", atomic_load(&decoded), seconds, atomic_load(&decoded) / seconds);
    free(threads);
    return 0;
}
