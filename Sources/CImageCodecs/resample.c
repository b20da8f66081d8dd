#include "CImageCodecs.h"

// The resize's inner loops in C, where the compiler can build an AVX2
// version beside the baseline one (Swift's build stays at the baseline),
// picked when the library loads. No multiply-add is fused in either, so
// every machine gives the same floats. No AVX-512 build: it ran these loops
// twice as fast, but the decoders around them slowed by ~5% (the core's
// clock under AVX-512), more than it saved (pack, 429 photos, perf).
#pragma STDC FP_CONTRACT OFF

GP_VECTOR_CLONES
void gp_blend_row_first(const uint8_t *restrict src, float weight, float *restrict row, size_t count) {
    for (size_t i = 0; i < count; i++) row[i] = weight * (float)src[i];
}

GP_VECTOR_CLONES
void gp_blend_row_add(const uint8_t *restrict src, float weight, float *restrict row, size_t count) {
    for (size_t i = 0; i < count; i++) row[i] += weight * (float)src[i];
}
