// libhdf5, loaded when first used (dlopen of the serial library) instead of
// with the program: Debian's libhdf5 brings libcurl and some thirty libraries
// with it, which cost every command ~6 ms before main (fetch, --help and
// --version never need HDF5). Each call ganprep makes goes through gp_<name>,
// a pointer dlsym found; the predefined types and property-list classes
// (globals behind H5open() in hdf5.h) are read the same way. hdf5.h gives the
// types, constants and signatures (hdf5.c checks each pointer against them).
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
// aborts with the reason when it cannot):
herr_t gp_H5Aclose(hid_t attr_id);
hid_t gp_H5Acreate2(hid_t loc_id, const char *attr_name, hid_t type_id, hid_t space_id, hid_t acpl_id, hid_t aapl_id);
herr_t gp_H5Adelete(hid_t loc_id, const char *attr_name);
htri_t gp_H5Aexists(hid_t obj_id, const char *attr_name);
ssize_t gp_H5Aget_name_by_idx(hid_t loc_id, const char *obj_name, H5_index_t idx_type, H5_iter_order_t order, hsize_t n, char *name , size_t size, hid_t lapl_id);
hid_t gp_H5Aget_space(hid_t attr_id);
hid_t gp_H5Aget_type(hid_t attr_id);
hid_t gp_H5Aopen(hid_t obj_id, const char *attr_name, hid_t aapl_id);
herr_t gp_H5Aread(hid_t attr_id, hid_t type_id, void *buf);
herr_t gp_H5Awrite(hid_t attr_id, hid_t type_id, const void *buf);
herr_t gp_H5Dclose(hid_t dset_id);
hid_t gp_H5Dcreate2(hid_t loc_id, const char *name, hid_t type_id, hid_t space_id, hid_t lcpl_id, hid_t dcpl_id, hid_t dapl_id);
hid_t gp_H5Dget_create_plist(hid_t dset_id);
hid_t gp_H5Dget_space(hid_t dset_id);
herr_t gp_H5Dget_space_status(hid_t dset_id, H5D_space_status_t *allocation);
hsize_t gp_H5Dget_storage_size(hid_t dset_id);
hid_t gp_H5Dget_type(hid_t dset_id);
hid_t gp_H5Dopen2(hid_t loc_id, const char *name, hid_t dapl_id);
herr_t gp_H5Dread(hid_t dset_id, hid_t mem_type_id, hid_t mem_space_id, hid_t file_space_id, hid_t dxpl_id, void *buf);
herr_t gp_H5Dset_extent(hid_t dset_id, const hsize_t size[]);
herr_t gp_H5Dvlen_reclaim(hid_t type_id, hid_t space_id, hid_t dxpl_id, void *buf);
herr_t gp_H5Dwrite(hid_t dset_id, hid_t mem_type_id, hid_t mem_space_id, hid_t file_space_id, hid_t dxpl_id, const void *buf);
herr_t gp_H5Eset_auto2(hid_t estack_id, H5E_auto2_t func, void *client_data);
herr_t gp_H5Ewalk2(hid_t err_stack, H5E_direction_t direction, H5E_walk2_t func, void *client_data);
herr_t gp_H5Fclose(hid_t file_id);
hid_t gp_H5Fcreate(const char *filename, unsigned flags, hid_t fcpl_id, hid_t fapl_id);
herr_t gp_H5Fflush(hid_t object_id, H5F_scope_t scope);
hid_t gp_H5Fget_access_plist(hid_t file_id);
ssize_t gp_H5Fget_obj_count(hid_t file_id, unsigned types);
herr_t gp_H5Fget_vfd_handle(hid_t file_id, hid_t fapl, void **file_handle);
htri_t gp_H5Fis_hdf5(const char *filename);
hid_t gp_H5Fopen(const char *filename, unsigned flags, hid_t fapl_id);
herr_t gp_H5Gclose(hid_t group_id);
hid_t gp_H5Gcreate2(hid_t loc_id, const char *name, hid_t lcpl_id, hid_t gcpl_id, hid_t gapl_id);
herr_t gp_H5Gget_info(hid_t loc_id, H5G_info_t *ginfo);
hid_t gp_H5Gopen2(hid_t loc_id, const char *name, hid_t gapl_id);
H5I_type_t gp_H5Iget_type(hid_t id);
htri_t gp_H5Lexists(hid_t loc_id, const char *name, hid_t lapl_id);
ssize_t gp_H5Lget_name_by_idx(hid_t loc_id, const char *group_name, H5_index_t idx_type, H5_iter_order_t order, hsize_t n, char *name , size_t size, hid_t lapl_id);
herr_t gp_H5Oclose(hid_t object_id);
herr_t gp_H5Oget_info2(hid_t loc_id, H5O_info_t *oinfo, unsigned fields);
hid_t gp_H5Oopen(hid_t loc_id, const char *name, hid_t lapl_id);
herr_t gp_H5Pclose(hid_t plist_id);
hid_t gp_H5Pcreate(hid_t cls_id);
int gp_H5Pget_chunk(hid_t plist_id, int max_ndims, hsize_t dim[]);
hid_t gp_H5Pget_driver(hid_t plist_id);
H5Z_filter_t gp_H5Pget_filter2(hid_t plist_id, unsigned idx, unsigned int *flags , size_t *cd_nelmts , unsigned cd_values[] , size_t namelen, char name[], unsigned *filter_config);
H5D_layout_t gp_H5Pget_layout(hid_t plist_id);
int gp_H5Pget_nfilters(hid_t plist_id);
herr_t gp_H5Pget_virtual_count(hid_t dcpl_id, size_t *count);
ssize_t gp_H5Pget_virtual_dsetname(hid_t dcpl_id, size_t index, char *name , size_t size);
ssize_t gp_H5Pget_virtual_filename(hid_t dcpl_id, size_t index, char *name , size_t size);
herr_t gp_H5Pset_buffer(hid_t plist_id, size_t size, void *tconv, void *bkg);
herr_t gp_H5Pset_chunk(hid_t plist_id, int ndims, const hsize_t dim[]);
herr_t gp_H5Pset_chunk_cache(hid_t dapl_id, size_t rdcc_nslots, size_t rdcc_nbytes, double rdcc_w0);
herr_t gp_H5Pset_deflate(hid_t plist_id, unsigned level);
herr_t gp_H5Pset_shuffle(hid_t plist_id);
herr_t gp_H5Pset_virtual(hid_t dcpl_id, hid_t vspace_id, const char *src_file_name, const char *src_dset_name, hid_t src_space_id);
herr_t gp_H5Sclose(hid_t space_id);
hid_t gp_H5Scopy(hid_t space_id);
hid_t gp_H5Screate(H5S_class_t type);
hid_t gp_H5Screate_simple(int rank, const hsize_t dims[], const hsize_t maxdims[]);
int gp_H5Sget_simple_extent_dims(hid_t space_id, hsize_t dims[], hsize_t maxdims[]);
int gp_H5Sget_simple_extent_ndims(hid_t space_id);
hssize_t gp_H5Sget_simple_extent_npoints(hid_t space_id);
H5S_class_t gp_H5Sget_simple_extent_type(hid_t space_id);
herr_t gp_H5Sselect_hyperslab(hid_t space_id, H5S_seloper_t op, const hsize_t start[], const hsize_t stride[], const hsize_t count[], const hsize_t block[]);
herr_t gp_H5Tclose(hid_t type_id);
hid_t gp_H5Tcopy(hid_t type_id);
H5T_class_t gp_H5Tget_class(hid_t type_id);
H5T_sign_t gp_H5Tget_sign(hid_t type_id);
size_t gp_H5Tget_size(hid_t type_id);
htri_t gp_H5Tis_variable_str(hid_t type_id);
herr_t gp_H5Tset_cset(hid_t type_id, H5T_cset_t cset);
herr_t gp_H5Tset_size(hid_t type_id, size_t size);
herr_t gp_H5open(void);
hid_t gp_H5FD_sec2_init(void);

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
