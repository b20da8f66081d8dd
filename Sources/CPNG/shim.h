// libpng reports errors by longjmp as well; CImageCodecs keeps every call in C.
#ifndef GANPREP_CPNG_SHIM_H
#define GANPREP_CPNG_SHIM_H
#include <png.h>
#endif
