#define _GNU_SOURCE
#include "CHDF5.h"
#include "CLoader.h"
#include <dlfcn.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

// The globals behind hdf5.h's predefined types and property-list classes.
#define GP_HDF5_GLOBALS(X) \
    X(H5T_NATIVE_FLOAT_g) X(H5T_NATIVE_DOUBLE_g) X(H5T_NATIVE_UINT8_g) X(H5T_NATIVE_INT32_g) \
    X(H5T_NATIVE_INT64_g) X(H5T_NATIVE_UINT64_g) X(H5T_IEEE_F32LE_g) X(H5T_IEEE_F64LE_g) X(H5T_STD_U8LE_g) \
    X(H5T_STD_I32LE_g) X(H5T_STD_I64LE_g) X(H5T_C_S1_g) X(H5P_CLS_FILE_ACCESS_ID_g) X(H5P_CLS_FILE_CREATE_ID_g) \
    X(H5P_CLS_DATASET_CREATE_ID_g) X(H5P_CLS_DATASET_ACCESS_ID_g) X(H5P_CLS_DATASET_XFER_ID_g) X(H5P_CLS_LINK_CREATE_ID_g)

static struct {
#define FIELD(ret, name, params, args) __typeof__(&name) f_##name;
    GP_HDF5_FUNCTIONS(FIELD)
#undef FIELD
#define GLOBAL(name) hid_t *g_##name;
    GP_HDF5_GLOBALS(GLOBAL)
#undef GLOBAL
} hdf5;

static int find(gp_loader *loader, void *library) {
#define FIND_FUNCTION(ret, name, params, args) \
    if (!gp_loader_find(loader, library, #name, (void **)&hdf5.f_##name)) return 0;
    GP_HDF5_FUNCTIONS(FIND_FUNCTION)
#undef FIND_FUNCTION
#define FIND_GLOBAL(name) \
    if (!gp_loader_find(loader, library, #name, (void **)&hdf5.g_##name)) return 0;
    GP_HDF5_GLOBALS(FIND_GLOBAL)
#undef FIND_GLOBAL
    return 1;
}

// Debian's serial build first (its soname), then a plain one.
static const char *const names[] = {"libhdf5_serial.so.103", "libhdf5.so.103", "libhdf5_serial.so", "libhdf5.so", NULL};
static gp_loader loader = GP_LOADER("libhdf5 (libhdf5_serial.so.103)", names, RTLD_NOW | RTLD_LOCAL, find);

const char *gp_hdf5_load(void) { return gp_loader_load(&loader); }

static void *preload(void *unused) {
    (void)unused;
    (void)gp_hdf5_load();
    return NULL;
}

void gp_hdf5_preload(void) {
    pthread_t thread;
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    // Without a thread, the first call loads it as before.
    (void)pthread_create(&thread, &attributes, preload, NULL);
    pthread_attr_destroy(&attributes);
}

static void need(void) { gp_loader_need(&loader); }

#define WRAPPER(ret, name, params, args) ret gp_##name params { need(); return hdf5.f_##name args; }
GP_HDF5_FUNCTIONS(WRAPPER)
#undef WRAPPER

// The predefined identifiers: hdf5.h's macros read these globals after
// H5open(); here through gp_H5open and the pointers found above.
#define IDENTIFIER(function, global) \
    hid_t function(void) { return gp_H5open() < 0 ? -1 : *hdf5.g_##global; }
IDENTIFIER(gp_H5T_NATIVE_FLOAT, H5T_NATIVE_FLOAT_g)
IDENTIFIER(gp_H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE_g)
IDENTIFIER(gp_H5T_NATIVE_UINT8, H5T_NATIVE_UINT8_g)
IDENTIFIER(gp_H5T_NATIVE_INT32, H5T_NATIVE_INT32_g)
IDENTIFIER(gp_H5T_NATIVE_INT64, H5T_NATIVE_INT64_g)
IDENTIFIER(gp_H5T_NATIVE_UINT64, H5T_NATIVE_UINT64_g)
IDENTIFIER(gp_H5T_IEEE_F32LE, H5T_IEEE_F32LE_g)
IDENTIFIER(gp_H5T_IEEE_F64LE, H5T_IEEE_F64LE_g)
IDENTIFIER(gp_H5T_STD_U8LE, H5T_STD_U8LE_g)
IDENTIFIER(gp_H5T_STD_I32LE, H5T_STD_I32LE_g)
IDENTIFIER(gp_H5T_STD_I64LE, H5T_STD_I64LE_g)
IDENTIFIER(gp_H5T_C_S1, H5T_C_S1_g)
IDENTIFIER(gp_H5P_FILE_ACCESS, H5P_CLS_FILE_ACCESS_ID_g)
IDENTIFIER(gp_H5P_FILE_CREATE, H5P_CLS_FILE_CREATE_ID_g)
IDENTIFIER(gp_H5P_DATASET_CREATE, H5P_CLS_DATASET_CREATE_ID_g)
IDENTIFIER(gp_H5P_DATASET_ACCESS, H5P_CLS_DATASET_ACCESS_ID_g)
IDENTIFIER(gp_H5P_DATASET_XFER, H5P_CLS_DATASET_XFER_ID_g)
IDENTIFIER(gp_H5P_LINK_CREATE, H5P_CLS_LINK_CREATE_ID_g)
#undef IDENTIFIER

// The header's constants, without their calls to H5check_version and H5open.
#undef H5CHECK
#define H5CHECK
#undef H5OPEN
#define H5OPEN
_Static_assert(H5F_ACC_RDONLY == 0x0000u && H5F_ACC_RDWR == 0x0001u && H5F_ACC_TRUNC == 0x0002u && H5F_ACC_EXCL == 0x0004u,
               "H5F_ACC_* differ from CHDF5.h's");

ssize_t gp_H5_open_object_count(void) { return gp_H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL); }

void gp_H5F_start_writeback(hid_t file) {
#if defined(__linux__) && defined(SYS_sync_file_range)
    hid_t access = gp_H5Fget_access_plist(file);
    if (access < 0) return;
    hid_t driver = gp_H5Pget_driver(access);
    gp_H5Pclose(access);
    void *handle = NULL;
    /* The sec2 driver's handle is its file descriptor. */
    if (driver == gp_H5FD_sec2_init() && gp_H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) >= 0 && handle != NULL) {
        (void)syscall(SYS_sync_file_range, *(int *)handle, (off_t)0, (off_t)0, 2u /* SYNC_FILE_RANGE_WRITE */);
    }
#else
    (void)file;
#endif
}

void gp_H5_silence_errors(void) { gp_H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

static int chain_message(unsigned n, const H5E_error2_t *err, void *data) {
    char **cursor = (char **)data; /* cursor[0]: write position, cursor[1]: end */
    if (!err->desc) return 0;
    if (n > 0 && cursor[0] + 2 < cursor[1]) { *cursor[0]++ = ';'; *cursor[0]++ = ' '; }
    for (const char *p = err->desc; *p && cursor[0] + 1 < cursor[1]; p++) *cursor[0]++ = *p;
    *cursor[0] = 0;
    return 0;
}

void gp_H5_error_chain(char *buf, size_t size) {
    if (size == 0) return;
    buf[0] = 0;
    char *cursor[2] = {buf, buf + size};
    gp_H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, chain_message, cursor);
}
