// HDF5 exposes its predefined types and property-list classes as macros that
// expand to global variables behind H5open(); Swift cannot import those, so
// each gets a one-line static inline function here.
#ifndef GANPREP_CHDF5_SHIM_H
#define GANPREP_CHDF5_SHIM_H
#include <hdf5.h>
#include <hdf5_hl.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline hid_t gp_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t gp_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t gp_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t gp_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t gp_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t gp_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t gp_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t gp_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t gp_H5T_STD_U8LE(void) { return H5T_STD_U8LE; }
static inline hid_t gp_H5T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t gp_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t gp_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t gp_H5T_VARIABLE(void) { return H5T_VARIABLE; }

static inline hid_t gp_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t gp_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t gp_H5P_FILE_CREATE(void) { return H5P_FILE_CREATE; }
static inline hid_t gp_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t gp_H5P_DATASET_ACCESS(void) { return H5P_DATASET_ACCESS; }
static inline hid_t gp_H5P_DATASET_XFER(void) { return H5P_DATASET_XFER; }
static inline hid_t gp_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }

static inline unsigned gp_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned gp_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline unsigned gp_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned gp_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }

static inline hsize_t gp_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline hid_t gp_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t gp_H5E_DEFAULT(void) { return H5E_DEFAULT; }

/// Identifiers (files, datasets, groups, types, attributes) open in this process.
static inline ssize_t gp_H5_open_object_count(void) { return H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL); }

/// Starts writing the file's dirty pages to disk without waiting for them
/// (Linux's sync_file_range with SYNC_FILE_RANGE_WRITE, through syscall():
/// the libc wrapper needs _GNU_SOURCE). Advisory: errors are ignored, and a
/// file on another driver than sec2 is left alone.
static inline void gp_H5F_start_writeback(hid_t file) {
#if defined(__linux__) && defined(SYS_sync_file_range)
    hid_t access = H5Fget_access_plist(file);
    if (access < 0) return;
    hid_t driver = H5Pget_driver(access);
    H5Pclose(access);
    void *handle = NULL;
    /* The sec2 driver's handle is its file descriptor. */
    if (driver == H5FD_SEC2 && H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) >= 0 && handle != NULL) {
        (void)syscall(SYS_sync_file_range, *(int *)handle, (off_t)0, (off_t)0, 2u /* SYNC_FILE_RANGE_WRITE */);
    }
#else
    (void)file;
#endif
}

/// Turns off HDF5's automatic error-stack printing: errors come back as
/// negative return values that the Swift wrapper turns into typed errors.
static inline void gp_H5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }


/// Every message on libhdf5's error stack, outermost first, joined by "; ".
static int gp__H5_chain(unsigned n, const H5E_error2_t *err, void *data) {
    char **cursor = (char **)data;  /* cursor[0]: write position, cursor[1]: end */
    if (!err->desc) return 0;
    if (n > 0 && cursor[0] + 2 < cursor[1]) { *cursor[0]++ = ';'; *cursor[0]++ = ' '; }
    for (const char *p = err->desc; *p && cursor[0] + 1 < cursor[1]; p++) *cursor[0]++ = *p;
    *cursor[0] = 0;
    return 0;
}
static inline void gp_H5_error_chain(char *buf, size_t size) {
    if (size == 0) return;
    buf[0] = 0;
    char *cursor[2] = { buf, buf + size };
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, gp__H5_chain, cursor);
}
#endif
