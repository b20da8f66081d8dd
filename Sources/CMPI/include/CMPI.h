// Open MPI, loaded when a data-parallel run starts (dlopen of libmpi.so.40,
// global, as Open MPI's own plugins need) instead of with the program: a
// run outside mpirun never loads it. The calls ganprep makes, on
// MPI_COMM_WORLD, each through a pointer dlsym found; Open MPI's handles
// (MPI_COMM_WORLD, MPI_FLOAT, ... are addresses of its global objects) are
// looked up the same way. mpi.h gives the signatures and constants (mpi.c).
#ifndef GANPREP_CMPI_H
#define GANPREP_CMPI_H
#include <stddef.h>

enum { GP_MPI_SUCCESS = 0 };

/// Loads Open MPI (once): NULL, or why it could not (a text that stays valid).
const char *gp_mpi_load(void);

// After gp_mpi_load returned NULL (each returns an MPI error code):
/// MPI_Init_thread without arguments, asking for MPI_THREAD_FUNNELED.
int gp_mpi_init_funneled(void);
int gp_mpi_rank(int *rank);
int gp_mpi_size(int *size);
/// In-place MPI_Allreduce with MPI_SUM.
int gp_mpi_sum_floats(float *values, int count);
int gp_mpi_sum_doubles(double *values, int count);
int gp_mpi_broadcast_floats(float *values, int count, int root);
/// MPI_Allgather of `count` bytes from each member into `all`.
int gp_mpi_gather_bytes(const void *mine, int count, void *all);
int gp_mpi_barrier(void);
int gp_mpi_finalize(void);
int gp_mpi_abort(int code);
double gp_mpi_wtime(void);
/// MPI_Error_string into `buffer` (NUL-terminated, cut to `size`).
void gp_mpi_error_string(int code, char *buffer, size_t size);

#endif
