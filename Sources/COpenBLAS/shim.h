// OpenBLAS's CBLAS interface plus its thread-count controls.
#ifndef GANPREP_COPENBLAS_SHIM_H
#define GANPREP_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
