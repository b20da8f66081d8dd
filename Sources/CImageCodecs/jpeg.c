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
    jpeg_start_decompress(&c);
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
    jpeg_finish_decompress(&c);
    int warned = info->warnings > 0;
    jpeg_destroy_decompress(&c);
    if (strict && warned) return GP_ERR_WARNING;
    return GP_OK;
}

void gp_free(void *p) { free(p); }
