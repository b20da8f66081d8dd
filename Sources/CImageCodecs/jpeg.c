#include "CImageCodecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    gp_image_info *info;
} gp_jpeg_error;

static void gp_jpeg_error_exit(j_common_ptr cinfo) {
    gp_jpeg_error *err = (gp_jpeg_error *)cinfo->err;
    if (err->info) {
        (*cinfo->err->format_message)(cinfo, err->info->message);
    }
    longjmp(err->jump, 1);
}

/// Whether a libjpeg warning leaves every pixel intact. Benign:
/// JWRN_EXTRANEOUS_DATA while the headers are read, before the first scan
/// (bytes skipped between two header markers; the decoder then finds the
/// marker it expected), JWRN_JFIF_MAJOR (an unknown JFIF version number)
/// and JWRN_BOGUS_ICC (a damaged ICC profile, which ganprep does not use).
/// Every other warning may lose or invent pixel data: extraneous bytes
/// once a scan has begun (left over from damaged entropy-coded data),
/// JWRN_JPEG_EOF (premature end of file), JWRN_HIT_MARKER (premature end
/// of a data segment), JWRN_HUFF_BAD_CODE, JWRN_ARITH_BAD_CODE,
/// JWRN_MUST_RESYNC, JWRN_BOGUS_PROGRESSION, JWRN_NOT_SEQUENTIAL,
/// JWRN_ADOBE_XFORM (colours guessed), and any code not listed here.
static int gp_jpeg_warning_is_benign(j_common_ptr cinfo) {
    int code = cinfo->err->msg_code;
    if (code == JWRN_JFIF_MAJOR || code == JWRN_BOGUS_ICC) return 1;
    if (code == JWRN_EXTRANEOUS_DATA && !cinfo->is_decompressor) return 0;
    if (code == JWRN_EXTRANEOUS_DATA) {
        j_decompress_ptr d = (j_decompress_ptr)cinfo;
        return d->input_scan_number == 0;
    }
    return 0;
}

static void gp_jpeg_emit_message(j_common_ptr cinfo, int level) {
    gp_jpeg_error *err = (gp_jpeg_error *)cinfo->err;
    if (level < 0) {
        cinfo->err->num_warnings++;
        if (!err->info) return;
        if (gp_jpeg_warning_is_benign(cinfo)) {
            err->info->benign_warnings++;
            return;
        }
        // A warning that costs pixels: keep the first one's text, count them all.
        if (err->info->warnings == 0) {
            (*cinfo->err->format_message)(cinfo, err->info->message);
        }
        err->info->warnings++;
    }
}

/// Reads the EXIF orientation tag (0x0112) from an APP1 marker, 1 if absent.
static int gp_exif_orientation(const uint8_t *p, unsigned len) {
    if (len < 14 || memcmp(p, "Exif\0\0", 6) != 0) return 1;
    const uint8_t *t = p + 6;
    unsigned n = len - 6;
    int le;
    if (t[0] == 'I' && t[1] == 'I') le = 1;
    else if (t[0] == 'M' && t[1] == 'M') le = 0;
    else return 1;
#define RD16(q) (le ? (unsigned)((q)[0] | ((q)[1] << 8)) : (unsigned)(((q)[0] << 8) | (q)[1]))
#define RD32(q) (le ? ((unsigned)(q)[0] | ((unsigned)(q)[1] << 8) | ((unsigned)(q)[2] << 16) | ((unsigned)(q)[3] << 24)) \
                    : (((unsigned)(q)[0] << 24) | ((unsigned)(q)[1] << 16) | ((unsigned)(q)[2] << 8) | (unsigned)(q)[3]))
    unsigned ifd = RD32(t + 4);
    if (ifd > n - 2 || ifd + 2 > n) return 1;
    unsigned count = RD16(t + ifd);
    for (unsigned i = 0; i < count; i++) {
        unsigned e = ifd + 2 + i * 12;
        if (e + 12 > n) break;
        if (RD16(t + e) == 0x0112) {
            unsigned v = RD16(t + e + 8);
            return (v >= 1 && v <= 8) ? (int)v : 1;
        }
    }
#undef RD16
#undef RD32
    return 1;
}

static void gp_jpeg_fill_info(struct jpeg_decompress_struct *c, gp_image_info *info) {
    info->width = (int)c->output_width;
    info->height = (int)c->output_height;
    info->channels = (c->out_color_space == JCS_GRAYSCALE) ? 1 : 3;
    info->source_components = c->num_components;
    info->progressive = c->progressive_mode ? 1 : 0;
    info->arithmetic = c->arith_code ? 1 : 0;
    info->bit_depth = c->data_precision;
    info->orientation = 1;
    for (jpeg_saved_marker_ptr m = c->marker_list; m; m = m->next) {
        if (m->marker == JPEG_APP0 + 1) {
            int o = gp_exif_orientation(m->data, m->data_length);
            if (o != 1) { info->orientation = o; break; }
        }
    }
}

/// Sets up decompression to the output colour space and scale; returns 0 or
/// a GP_ERR code. Must run inside the setjmp scope of its caller.
static int gp_jpeg_setup(struct jpeg_decompress_struct *c, int scale_denom) {
    switch (c->jpeg_color_space) {
    case JCS_GRAYSCALE: c->out_color_space = JCS_GRAYSCALE; break;
    case JCS_CMYK: case JCS_YCCK: c->out_color_space = JCS_CMYK; break;
    default: c->out_color_space = JCS_RGB; break;
    }
    if (scale_denom != 1 && scale_denom != 2 && scale_denom != 4 && scale_denom != 8) return GP_ERR_FORMAT;
    c->scale_num = 1;
    c->scale_denom = (unsigned)scale_denom;
    c->dct_method = JDCT_ISLOW;
    jpeg_calc_output_dimensions(c);
    return GP_OK;
}

/// Hooks our error manager into `c`. The caller sets up its setjmp before
/// any libjpeg call, so every longjmp lands in the caller's frame.
static void gp_jpeg_init_errors(struct jpeg_decompress_struct *c, gp_jpeg_error *err, gp_image_info *info) {
    memset(info, 0, sizeof(*info));
    c->err = jpeg_std_error(&err->pub);
    err->pub.error_exit = gp_jpeg_error_exit;
    err->pub.emit_message = gp_jpeg_emit_message;
    err->info = info;
}

/// Creates the decompressor over `data` and reads the header (with EXIF
/// markers kept). Must run inside the caller's setjmp scope.
static int gp_jpeg_open(struct jpeg_decompress_struct *c, const uint8_t *data, size_t size, gp_image_info *info) {
    jpeg_create_decompress(c);
    jpeg_mem_src(c, data, (unsigned long)size);
    jpeg_save_markers(c, JPEG_APP0 + 1, 0xFFFF);
    if (jpeg_read_header(c, TRUE) != JPEG_HEADER_OK) {
        snprintf(info->message, GP_MESSAGE_SIZE, "no JPEG image in the data");
        return GP_ERR_FORMAT;
    }
    return GP_OK;
}

int gp_jpeg_read_header(const uint8_t *data, size_t size, int scale_denom, gp_image_info *info) {
    struct jpeg_decompress_struct c;
    gp_jpeg_error err;
    gp_jpeg_init_errors(&c, &err, info);
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&c);
        return GP_ERR_FORMAT;
    }
    if (gp_jpeg_open(&c, data, size, info) != GP_OK) {
        jpeg_destroy_decompress(&c);
        return GP_ERR_FORMAT;
    }
    int rc = gp_jpeg_setup(&c, scale_denom);
    if (rc == GP_OK) gp_jpeg_fill_info(&c, info);
    jpeg_destroy_decompress(&c);
    return rc;
}

/// Zigzag position -> natural (row-major) position of a DCT coefficient.
static const unsigned char gp_jpeg_natural_order[DCTSIZE2] = {
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
    15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

/// Whether libjpeg-turbo's reduced IDCT of size `scaled` reads the
/// coefficient at natural position `natural`: the 1x1 IDCT only the DC,
/// the 2x2 rows and columns 0, 1, 3, 5, 7, the 4x4 all but row and column 4
/// (jidctred.c; its SIMD versions give the same output), 8 every one.
static int gp_jpeg_coefficient_used(int scaled, int natural) {
    int row = natural / DCTSIZE, column = natural % DCTSIZE;
    switch (scaled) {
    case 1: return natural == 0;
    case 2: return (row == 0 || (row & 1)) && (column == 0 || (column & 1));
    case 4: return row != 4 && column != 4;
    default: return 1;
    }
}

#if JPEG_LIB_VERSION >= 70
#define GP_DCT_SCALED_SIZE(component) ((component)->DCT_h_scaled_size > (component)->DCT_v_scaled_size ? \
                                       (component)->DCT_h_scaled_size : (component)->DCT_v_scaled_size)
#else
#define GP_DCT_SCALED_SIZE(component) ((component)->DCT_scaled_size)
#endif

/// Whether every coefficient the output's IDCTs read has arrived at full
/// precision (coef_bits is -1 before a coefficient's first scan, then the
/// scan's Al, 0 once its last bit is in).
static int gp_jpeg_used_coefficients_complete(struct jpeg_decompress_struct *c) {
    for (int ci = 0; ci < c->num_components; ci++) {
        int scaled = GP_DCT_SCALED_SIZE(&c->comp_info[ci]);
        for (int k = 0; k < DCTSIZE2; k++) {
            if (c->coef_bits[ci][k] != 0 && gp_jpeg_coefficient_used(scaled, gp_jpeg_natural_order[k])) return 0;
        }
    }
    return 1;
}

/// A progressive JPEG decoded at a reduced scale needs only the
/// coefficients its reduced IDCTs read (at 1/8 the luma's DC alone), and a
/// progressive file sends the rest in later scans, commonly the largest
/// (libjpeg's own script ends with the luma's AC refinement): reads scans,
/// in buffered-image mode, until the last one any used coefficient is in
/// (or to the end of the file), then starts the output pass over what is
/// in. The pixels are the ones a whole decode gives, bit for bit
/// (FixtureDecodingTests); warnings in the scans read still count, the
/// unread rest of the file is not checked. Returns whether it stopped
/// before the end. Must run inside the caller's setjmp scope, after
/// jpeg_start_decompress with buffered_image set.
static int gp_jpeg_read_used_scans(struct jpeg_decompress_struct *c) {
    int stopped = 0;
    for (;;) {
        int status = jpeg_consume_input(c);
        if (status == JPEG_REACHED_EOI || status == JPEG_SUSPENDED) break;
        if (status == JPEG_SCAN_COMPLETED && gp_jpeg_used_coefficients_complete(c)) {
            stopped = 1;  // the EOI marker, if this was the last scan, is left unread too
            break;
        }
    }
    jpeg_start_output(c, c->input_scan_number);
    return stopped;
}

int gp_jpeg_decode(const uint8_t *data, size_t size, int scale_denom, int strict,
                   uint8_t *out, size_t out_capacity, gp_image_info *info) {
    struct jpeg_decompress_struct c;
    gp_jpeg_error err;
    JSAMPROW cmyk_row = NULL;
    gp_jpeg_init_errors(&c, &err, info);
    if (setjmp(err.jump)) {
        // Memory from libjpeg's pools (the CMYK row too) goes with the object.
        jpeg_destroy_decompress(&c);
        return GP_ERR_FORMAT;
    }
    if (gp_jpeg_open(&c, data, size, info) != GP_OK) {
        jpeg_destroy_decompress(&c);
        return GP_ERR_FORMAT;
    }
    int rc = gp_jpeg_setup(&c, scale_denom);
    if (rc != GP_OK) { jpeg_destroy_decompress(&c); return rc; }
    gp_jpeg_fill_info(&c, info);
    int out_channels = info->channels;
    size_t stride = (size_t)c.output_width * (size_t)out_channels;
    if (stride * (size_t)c.output_height > out_capacity) {
        snprintf(info->message, GP_MESSAGE_SIZE, "output buffer too small");
        jpeg_destroy_decompress(&c);
        return GP_ERR_BUFFER;
    }
    // Adobe's CMYK/YCCK JPEGs store inverted ink values (as Photoshop writes them).
    int adobe_inverted = c.saw_Adobe_marker;
    // Scans by scans only where a reduced scale leaves coefficients unused.
    int buffered = c.progressive_mode && c.min_DCT_scaled_size < DCTSIZE;
    if (buffered) {
        c.buffered_image = TRUE;
        // No smoothing of blocks whose AC coefficients are still coarse: a whole decode has them all.
        c.do_block_smoothing = FALSE;
    }
    jpeg_start_decompress(&c);
    int stopped = buffered ? gp_jpeg_read_used_scans(&c) : 0;
    int is_cmyk = (c.out_color_space == JCS_CMYK);
    if (is_cmyk) {
        cmyk_row = (*c.mem->alloc_sarray)((j_common_ptr)&c, JPOOL_IMAGE, c.output_width * 4, 1)[0];
    }
    while (c.output_scanline < c.output_height) {
        uint8_t *dst = out + (size_t)c.output_scanline * stride;
        if (!is_cmyk) {
            JSAMPROW row = dst;
            jpeg_read_scanlines(&c, &row, 1);
        } else {
            jpeg_read_scanlines(&c, &cmyk_row, 1);
            for (JDIMENSION x = 0; x < c.output_width; x++) {
                unsigned cc = cmyk_row[4 * x], m = cmyk_row[4 * x + 1], y = cmyk_row[4 * x + 2], k = cmyk_row[4 * x + 3];
                if (!adobe_inverted) { cc = 255 - cc; m = 255 - m; y = 255 - y; k = 255 - k; }
                // Now each value is 255 - ink; RGB = (1 - ink)(1 - black).
                dst[3 * x] = (uint8_t)((cc * k + 127) / 255);
                dst[3 * x + 1] = (uint8_t)((m * k + 127) / 255);
                dst[3 * x + 2] = (uint8_t)((y * k + 127) / 255);
            }
        }
    }
    if (buffered) jpeg_finish_output(&c);
    // Stopped early: the rest of the file is left unread (jpeg_finish_decompress would decode it).
    if (!stopped) jpeg_finish_decompress(&c);
    int warned = info->warnings > 0;
    jpeg_destroy_decompress(&c);
    if (strict && warned) return GP_ERR_WARNING;
    return GP_OK;
}

void gp_free(void *p) { free(p); }
