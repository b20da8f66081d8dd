// libjpeg's headers need <stdio.h> and <stddef.h> first. Swift code does not
// call libjpeg directly (its errors longjmp); CImageCodecs does, in C.
#ifndef GANPREP_CJPEG_SHIM_H
#define GANPREP_CJPEG_SHIM_H
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
#endif
