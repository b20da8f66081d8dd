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

// The vertical pass's rows of equal weight (a box filter's whole source rows):
// their bytes summed exactly in 16 bits, then weighed once. 257 rows of 255 fit.
GP_VECTOR_CLONES
void gp_sum_row(const uint8_t *restrict src, uint16_t *restrict sums, size_t count) {
    for (size_t i = 0; i < count; i++) sums[i] += src[i];
}

GP_VECTOR_CLONES
void gp_weigh_sums(uint16_t *restrict sums, float weight, float *restrict row, size_t count, int first) {
    if (first) {
        for (size_t i = 0; i < count; i++) { row[i] = weight * (float)sums[i]; sums[i] = 0; }
    } else {
        for (size_t i = 0; i < count; i++) { row[i] += weight * (float)sums[i]; sums[i] = 0; }
    }
}
