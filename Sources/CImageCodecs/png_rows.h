// The fast path of gp_png_decode_rows (png_rows.c); private to CImageCodecs.
#ifndef GANPREP_PNG_ROWS_H
#define GANPREP_PNG_ROWS_H
#include "CImageCodecs.h"
#include <png.h>

/// Hands `sink` every row of the non-interlaced PNG that `png`/`info` have
/// read the header of (libpng's simplified API, before any row), exactly as
/// gp_png_decode_rows's libpng transformations would give them with
/// `channels` samples a pixel, and returns GP_OK; or returns
/// GP_ERR_UNSUPPORTED before any row, and the caller reads the rows through
/// libpng. Never longjmps, never fails otherwise.
int gp_png_fast_rows(png_structp png, png_infop info, const uint8_t *data, size_t size, size_t channels,
                     gp_png_row_sink sink, void *context);
#endif
