// Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, MPI_IN_PLACE) are
// macros over the addresses of global objects; Swift cannot import those,
// so each gets a one-line static inline function here.
#ifndef GANPREP_CMPI_SHIM_H
#define GANPREP_CMPI_SHIM_H
#include <mpi.h>

static inline MPI_Comm gp_MPI_COMM_WORLD(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype gp_MPI_FLOAT(void) { return MPI_FLOAT; }
static inline MPI_Datatype gp_MPI_DOUBLE(void) { return MPI_DOUBLE; }
static inline MPI_Datatype gp_MPI_BYTE(void) { return MPI_BYTE; }
static inline MPI_Op gp_MPI_SUM(void) { return MPI_SUM; }
static inline void *gp_MPI_IN_PLACE(void) { return MPI_IN_PLACE; }
static inline int gp_MPI_THREAD_FUNNELED(void) { return MPI_THREAD_FUNNELED; }
static inline int gp_MPI_SUCCESS(void) { return MPI_SUCCESS; }
static inline int gp_MPI_MAX_ERROR_STRING(void) { return MPI_MAX_ERROR_STRING; }

#endif
