// OpenBLAS's CBLAS interface plus its thread-count controls.
#ifndef GANPREP_COPENBLAS_SHIM_H
#define GANPREP_COPENBLAS_SHIM_H
#include <cblas.h>

/// LAPACK's symmetric eigen-decomposition (divide and conquer), which
/// Debian's OpenBLAS ships; the Fortran symbol, declared here because no
/// LAPACK header comes with libopenblas-dev.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info);

/// Stops OpenBLAS's worker threads (the next threaded call starts them
/// again). Exported by OpenBLAS, declared by none of its headers.
int blas_thread_shutdown_(void);

/// Whether the CPU has the AVX-512 subsets OpenBLAS's SkylakeX kernels use.
static inline int gp_cpu_has_avx512(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}

/// Whether the CPU has AVX2 and FMA (OpenBLAS's Haswell kernels).
static inline int gp_cpu_has_avx2(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}
#endif
