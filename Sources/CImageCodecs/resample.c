#include "CImageCodecs.h"

// The resize's inner loops in C, where the compiler can build AVX-512 and
// AVX2 versions beside the baseline one (Swift's build stays at the
// baseline), one of them picked when the library loads. No multiply-add is
// fused, in any of them: every build gives the same floats (AVX-512 brings
// FMA, which rounds once where the others round twice), on every machine.
#pragma STDC FP_CONTRACT OFF

GP_WIDE_VECTOR_CLONES
void gp_blend_row_first(const uint8_t *restrict src, float weight, float *restrict row, size_t count) {
    for (size_t i = 0; i < count; i++) row[i] = weight * (float)src[i];
}

GP_WIDE_VECTOR_CLONES
void gp_blend_row_add(const uint8_t *restrict src, float weight, float *restrict row, size_t count) {
    for (size_t i = 0; i < count; i++) row[i] += weight * (float)src[i];
}
