// OpenBLAS, loaded the first time it is needed (dlopen of libopenblas.so.0)
// instead of with the program: the commands without linear algebra (fetch,
// pack, inspect, ...) never load it, its ~12,000 symbol bindings or the
// threads it starts when it loads. Row-major CBLAS products, LAPACK's
// dsyevd, and OpenBLAS's thread count, each through a pointer dlsym
// found. The headers of libopenblas-dev give the signatures (openblas.c).
#ifndef GANPREP_COPENBLAS_H
#define GANPREP_COPENBLAS_H

enum { GP_BLAS_ROW_MAJOR = 101, GP_BLAS_NO_TRANS = 111, GP_BLAS_TRANS = 112 };

/// Loads OpenBLAS (once; later calls return the first call's result): NULL,
/// or why it could not (a text that stays valid).
const char *gp_blas_load(void);

// The calls below load OpenBLAS if it is not loaded yet; a program calls
// gp_blas_load first to turn a missing library into an error of its own
// (here it would print the loader's message and abort).
void gp_cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                    const float *b, int ldb, float beta, float *c, int ldc);
void gp_cblas_dgemm(int order, int trans_a, int trans_b, int m, int n, int k, double alpha, const double *a, int lda,
                    const double *b, int ldb, double beta, double *c, int ldc);
/// LAPACK's symmetric eigen-decomposition (divide and conquer), column-major.
void gp_dsyevd(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
               double *work, const int *lwork, int *iwork, const int *liwork, int *info);
int gp_openblas_get_num_threads(void);
void gp_openblas_set_num_threads(int threads);
/// The kernel family OpenBLAS chose when it loaded ("SkylakeX", "Prescott").
const char *gp_openblas_get_corename(void);

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
