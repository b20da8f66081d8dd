#include "CImageCodecs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

void gp_over_white(const uint8_t *src, uint8_t *dst, size_t pixels, int color) {
    if (color) gp_png_over_white_rgb(src, dst, pixels);
    else gp_png_over_white_gray(src, dst, pixels);
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
    png_alloc_size_t size = 0;
    *out = NULL;
    *out_size = 0;
    if (!png_image_write_get_memory_size(image, size, 0, pixels, 0, NULL)) {
        if (message) snprintf(message, GP_MESSAGE_SIZE, "%s", image.message);
        return GP_ERR_FORMAT;
    }
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
