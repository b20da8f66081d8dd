#include "COpenBLAS.h"
#include <cblas.h>
#include "CLoader.h"
#include <dlfcn.h>

// LAPACK's, exported by OpenBLAS, declared by none of its headers.
typedef void dsyevd_function(const char *, const char *, const int *, double *, const int *, double *, double *,
                             const int *, int *, const int *, int *);

static struct {
    __typeof__(&cblas_sgemm) sgemm;
    __typeof__(&cblas_dgemm) dgemm;
    dsyevd_function *dsyevd;
    __typeof__(&openblas_get_num_threads) get_num_threads;
    __typeof__(&openblas_set_num_threads) set_num_threads;
    __typeof__(&openblas_get_corename) get_corename;
} blas;

static int find(gp_loader *loader, void *library) {
#define FIND(field, name) \
    if (!gp_loader_find(loader, library, name, (void **)&blas.field)) return 0;
    FIND(sgemm, "cblas_sgemm")
    FIND(dgemm, "cblas_dgemm")
    FIND(dsyevd, "dsyevd_")
    FIND(get_num_threads, "openblas_get_num_threads")
    FIND(set_num_threads, "openblas_set_num_threads")
    FIND(get_corename, "openblas_get_corename")
#undef FIND
    return 1;
}

static const char *const names[] = {"libopenblas.so.0", NULL};
static gp_loader loader = GP_LOADER("OpenBLAS (libopenblas.so.0)", names, RTLD_NOW | RTLD_LOCAL, find);

const char *gp_blas_load(void) { return gp_loader_load(&loader); }

static void need(void) { gp_loader_need(&loader); }

void gp_cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                    const float *b, int ldb, float beta, float *c, int ldc) {
    need();
    blas.sgemm((enum CBLAS_ORDER)order, (enum CBLAS_TRANSPOSE)trans_a, (enum CBLAS_TRANSPOSE)trans_b, m, n, k, alpha, a, lda,
               b, ldb, beta, c, ldc);
}

void gp_cblas_dgemm(int order, int trans_a, int trans_b, int m, int n, int k, double alpha, const double *a, int lda,
                    const double *b, int ldb, double beta, double *c, int ldc) {
    need();
    blas.dgemm((enum CBLAS_ORDER)order, (enum CBLAS_TRANSPOSE)trans_a, (enum CBLAS_TRANSPOSE)trans_b, m, n, k, alpha, a, lda,
               b, ldb, beta, c, ldc);
}

void gp_dsyevd(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
               double *work, const int *lwork, int *iwork, const int *liwork, int *info) {
    need();
    blas.dsyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info);
}

int gp_openblas_get_num_threads(void) { need(); return blas.get_num_threads(); }
void gp_openblas_set_num_threads(int threads) { need(); blas.set_num_threads(threads); }
const char *gp_openblas_get_corename(void) { need(); return blas.get_corename(); }
