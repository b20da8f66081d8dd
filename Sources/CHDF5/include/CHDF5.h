// libhdf5, loaded when first used (dlopen of the serial library) instead of
// with the program: Debian's libhdf5 brings libcurl and some thirty libraries
// with it, which cost every command ~6 ms before main (fetch, --help and
// --version never need HDF5). Each call ganprep makes goes through gp_<name>,
// a pointer dlsym found; the predefined types and property-list classes
// (globals behind H5open() in hdf5.h) are read the same way. hdf5.h gives the
// types, constants and signatures (hdf5.c checks each pointer against them).
// The functions are listed once, in CHDF5_functions.h.
#ifndef GANPREP_CHDF5_H
#define GANPREP_CHDF5_H
#if __has_include(<hdf5/serial/hdf5.h>)
#include <hdf5/serial/hdf5.h>
#else
#include <hdf5.h>
#endif

/// Loads libhdf5 (once; callers racing each other wait for the first): NULL,
/// or why it could not (a text that stays valid).
const char *gp_hdf5_load(void);
/// Starts loading libhdf5 on a thread of its own and returns at once, so
/// that the loading overlaps the caller's own start (option parsing).
void gp_hdf5_preload(void);

// After gp_hdf5_load returned NULL (a call before it loads the library, and
// aborts with the reason when it cannot): gp_<name> for every function of
// CHDF5_functions.h's list.
#include "CHDF5_functions.h"
#define GP_HDF5_PROTOTYPE(ret, name, params, args) ret gp_##name params;
GP_HDF5_FUNCTIONS(GP_HDF5_PROTOTYPE)
#undef GP_HDF5_PROTOTYPE

hid_t gp_H5T_NATIVE_FLOAT(void);
hid_t gp_H5T_NATIVE_DOUBLE(void);
hid_t gp_H5T_NATIVE_UINT8(void);
hid_t gp_H5T_NATIVE_INT32(void);
hid_t gp_H5T_NATIVE_INT64(void);
hid_t gp_H5T_NATIVE_UINT64(void);
hid_t gp_H5T_IEEE_F32LE(void);
hid_t gp_H5T_IEEE_F64LE(void);
hid_t gp_H5T_STD_U8LE(void);
hid_t gp_H5T_STD_I32LE(void);
hid_t gp_H5T_STD_I64LE(void);
hid_t gp_H5T_C_S1(void);
hid_t gp_H5P_FILE_ACCESS(void);
hid_t gp_H5P_FILE_CREATE(void);
hid_t gp_H5P_DATASET_CREATE(void);
hid_t gp_H5P_DATASET_ACCESS(void);
hid_t gp_H5P_DATASET_XFER(void);
hid_t gp_H5P_LINK_CREATE(void);

// Plain constants (no library needed).
static inline size_t gp_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hid_t gp_H5P_DEFAULT(void) { return H5P_DEFAULT; }
// hdf5.h's H5F_ACC_* call H5check_version and H5open first: their values
// here (hdf5.c checks them against the header's).
static inline unsigned gp_H5F_ACC_RDONLY(void) { return 0x0000u; }
static inline unsigned gp_H5F_ACC_RDWR(void) { return 0x0001u; }
static inline unsigned gp_H5F_ACC_TRUNC(void) { return 0x0002u; }
static inline unsigned gp_H5F_ACC_EXCL(void) { return 0x0004u; }
static inline hsize_t gp_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline hid_t gp_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t gp_H5E_DEFAULT(void) { return H5E_DEFAULT; }

/// Identifiers (files, datasets, groups, types, attributes) open in this process.
ssize_t gp_H5_open_object_count(void);
/// Datasets, groups, named types and attributes still open through `file`'s identifier:
/// while any is, H5Fclose(file) leaves the file open until the last of them closes.
static inline ssize_t gp_H5F_objects_open(hid_t file) {
    return gp_H5Fget_obj_count(file, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL);
}
/// Starts writing the file's dirty pages to disk without waiting for them
/// (Linux's sync_file_range with SYNC_FILE_RANGE_WRITE). Advisory: errors
/// are ignored, and a file on another driver than sec2 is left alone.
void gp_H5F_start_writeback(hid_t file);
/// Turns off HDF5's automatic error-stack printing: errors come back as
/// negative return values that the Swift wrapper turns into typed errors.
void gp_H5_silence_errors(void);
/// Every message on libhdf5's error stack, outermost first, joined by "; ".
void gp_H5_error_chain(char *buf, size_t size);

#endif
