#include "CMPI.h"
#include <dlfcn.h>
#include <mpi/mpi.h>
#include "CLoader.h"
#include <stdio.h>

static struct {
    __typeof__(&MPI_Init_thread) init_thread;
    __typeof__(&MPI_Comm_rank) comm_rank;
    __typeof__(&MPI_Comm_size) comm_size;
    __typeof__(&MPI_Allreduce) allreduce;
    __typeof__(&MPI_Bcast) bcast;
    __typeof__(&MPI_Allgather) allgather;
    __typeof__(&MPI_Barrier) barrier;
    __typeof__(&MPI_Finalize) finalize;
    __typeof__(&MPI_Abort) abort;
    __typeof__(&MPI_Wtime) wtime;
    __typeof__(&MPI_Error_string) error_string;
    MPI_Comm world;
    MPI_Datatype float_type, double_type, byte_type;
    MPI_Op sum;
} mpi;

static int find(gp_loader *loader, void *library) {
#define FIND(field, name) \
    if (!gp_loader_find(loader, library, name, (void **)&mpi.field)) return 0;
    FIND(init_thread, "MPI_Init_thread")
    FIND(comm_rank, "MPI_Comm_rank")
    FIND(comm_size, "MPI_Comm_size")
    FIND(allreduce, "MPI_Allreduce")
    FIND(bcast, "MPI_Bcast")
    FIND(allgather, "MPI_Allgather")
    FIND(barrier, "MPI_Barrier")
    FIND(finalize, "MPI_Finalize")
    FIND(abort, "MPI_Abort")
    FIND(wtime, "MPI_Wtime")
    FIND(error_string, "MPI_Error_string")
    // The handles mpi.h makes of these globals' addresses (OMPI_PREDEFINED_GLOBAL).
    FIND(world, "ompi_mpi_comm_world")
    FIND(float_type, "ompi_mpi_float")
    FIND(double_type, "ompi_mpi_double")
    FIND(byte_type, "ompi_mpi_byte")
    FIND(sum, "ompi_mpi_op_sum")
#undef FIND
    return 1;
}

// Global: Open MPI's components, which it loads itself, look for its symbols there.
static const char *const names[] = {"libmpi.so.40", NULL};
static gp_loader loader = GP_LOADER("Open MPI (libmpi.so.40)", names, RTLD_NOW | RTLD_GLOBAL, find);

const char *gp_mpi_load(void) { return gp_loader_load(&loader); }

int gp_mpi_init_funneled(void) {
    int provided = 0;
    return mpi.init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
}

int gp_mpi_rank(int *rank) { return mpi.comm_rank(mpi.world, rank); }
int gp_mpi_size(int *size) { return mpi.comm_size(mpi.world, size); }
int gp_mpi_sum_floats(float *values, int count) { return mpi.allreduce(MPI_IN_PLACE, values, count, mpi.float_type, mpi.sum, mpi.world); }
int gp_mpi_sum_doubles(double *values, int count) { return mpi.allreduce(MPI_IN_PLACE, values, count, mpi.double_type, mpi.sum, mpi.world); }
int gp_mpi_broadcast_floats(float *values, int count, int root) { return mpi.bcast(values, count, mpi.float_type, root, mpi.world); }
int gp_mpi_gather_bytes(const void *mine, int count, void *all) {
    return mpi.allgather(mine, count, mpi.byte_type, all, count, mpi.byte_type, mpi.world);
}
int gp_mpi_barrier(void) { return mpi.barrier(mpi.world); }
int gp_mpi_finalize(void) { return mpi.finalize(); }
int gp_mpi_abort(int code) { return mpi.abort(mpi.world, code); }
double gp_mpi_wtime(void) { return mpi.wtime(); }

void gp_mpi_error_string(int code, char *buffer, size_t size) {
    char text[MPI_MAX_ERROR_STRING + 1];
    int length = 0;
    if (!size) return;
    if (mpi.error_string(code, text, &length) != MPI_SUCCESS || length < 0) length = 0;
    text[length < MPI_MAX_ERROR_STRING ? length : MPI_MAX_ERROR_STRING] = 0;
    snprintf(buffer, size, "%s", text);
}
