// libdeflate: whole-buffer DEFLATE/zlib decompression and CRC-32, used by
// CImageCodecs for the image data of PNGs that fit in memory (png_rows.c).
#ifndef GANPREP_CDEFLATE_SHIM_H
#define GANPREP_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
