// The one list of the libhdf5 functions ganprep calls: return type, name,
// parameters, arguments. CHDF5.h declares gp_<name> for each from it, and
// hdf5.c finds each with dlsym and defines gp_<name> to call it (checking
// the pointer's type against hdf5.h's declaration). A new call is one line here.
#ifndef GANPREP_CHDF5_FUNCTIONS_H
#define GANPREP_CHDF5_FUNCTIONS_H

#define GP_HDF5_FUNCTIONS(X) \
    X(herr_t, H5Aclose, (hid_t attr_id), (attr_id)) \
    X(hid_t, H5Acreate2, (hid_t loc_id, const char *attr_name, hid_t type_id, hid_t space_id, hid_t acpl_id, hid_t aapl_id), (loc_id, attr_name, type_id, space_id, acpl_id, aapl_id)) \
    X(herr_t, H5Adelete, (hid_t loc_id, const char *attr_name), (loc_id, attr_name)) \
    X(htri_t, H5Aexists, (hid_t obj_id, const char *attr_name), (obj_id, attr_name)) \
    X(ssize_t, H5Aget_name_by_idx, (hid_t loc_id, const char *obj_name, H5_index_t idx_type, H5_iter_order_t order, hsize_t n, char *name , size_t size, hid_t lapl_id), (loc_id, obj_name, idx_type, order, n, name, size, lapl_id)) \
    X(hid_t, H5Aget_space, (hid_t attr_id), (attr_id)) \
    X(hid_t, H5Aget_type, (hid_t attr_id), (attr_id)) \
    X(hid_t, H5Aopen, (hid_t obj_id, const char *attr_name, hid_t aapl_id), (obj_id, attr_name, aapl_id)) \
    X(herr_t, H5Aread, (hid_t attr_id, hid_t type_id, void *buf), (attr_id, type_id, buf)) \
    X(herr_t, H5Awrite, (hid_t attr_id, hid_t type_id, const void *buf), (attr_id, type_id, buf)) \
    X(herr_t, H5Dclose, (hid_t dset_id), (dset_id)) \
    X(hid_t, H5Dcreate2, (hid_t loc_id, const char *name, hid_t type_id, hid_t space_id, hid_t lcpl_id, hid_t dcpl_id, hid_t dapl_id), (loc_id, name, type_id, space_id, lcpl_id, dcpl_id, dapl_id)) \
    X(hid_t, H5Dget_create_plist, (hid_t dset_id), (dset_id)) \
    X(hid_t, H5Dget_space, (hid_t dset_id), (dset_id)) \
    X(herr_t, H5Dget_space_status, (hid_t dset_id, H5D_space_status_t *allocation), (dset_id, allocation)) \
    X(hsize_t, H5Dget_storage_size, (hid_t dset_id), (dset_id)) \
    X(hid_t, H5Dget_type, (hid_t dset_id), (dset_id)) \
    X(hid_t, H5Dopen2, (hid_t loc_id, const char *name, hid_t dapl_id), (loc_id, name, dapl_id)) \
    X(herr_t, H5Dread, (hid_t dset_id, hid_t mem_type_id, hid_t mem_space_id, hid_t file_space_id, hid_t dxpl_id, void *buf), (dset_id, mem_type_id, mem_space_id, file_space_id, dxpl_id, buf)) \
    X(herr_t, H5Dset_extent, (hid_t dset_id, const hsize_t size[]), (dset_id, size)) \
    X(herr_t, H5Dvlen_reclaim, (hid_t type_id, hid_t space_id, hid_t dxpl_id, void *buf), (type_id, space_id, dxpl_id, buf)) \
    X(herr_t, H5Dwrite, (hid_t dset_id, hid_t mem_type_id, hid_t mem_space_id, hid_t file_space_id, hid_t dxpl_id, const void *buf), (dset_id, mem_type_id, mem_space_id, file_space_id, dxpl_id, buf)) \
    X(herr_t, H5Eset_auto2, (hid_t estack_id, H5E_auto2_t func, void *client_data), (estack_id, func, client_data)) \
    X(herr_t, H5Ewalk2, (hid_t err_stack, H5E_direction_t direction, H5E_walk2_t func, void *client_data), (err_stack, direction, func, client_data)) \
    X(herr_t, H5Fclose, (hid_t file_id), (file_id)) \
    X(hid_t, H5Fcreate, (const char *filename, unsigned flags, hid_t fcpl_id, hid_t fapl_id), (filename, flags, fcpl_id, fapl_id)) \
    X(herr_t, H5Fflush, (hid_t object_id, H5F_scope_t scope), (object_id, scope)) \
    X(hid_t, H5Fget_access_plist, (hid_t file_id), (file_id)) \
    X(ssize_t, H5Fget_obj_count, (hid_t file_id, unsigned types), (file_id, types)) \
    X(herr_t, H5Fget_vfd_handle, (hid_t file_id, hid_t fapl, void **file_handle), (file_id, fapl, file_handle)) \
    X(htri_t, H5Fis_hdf5, (const char *filename), (filename)) \
    X(hid_t, H5Fopen, (const char *filename, unsigned flags, hid_t fapl_id), (filename, flags, fapl_id)) \
    X(herr_t, H5Gclose, (hid_t group_id), (group_id)) \
    X(hid_t, H5Gcreate2, (hid_t loc_id, const char *name, hid_t lcpl_id, hid_t gcpl_id, hid_t gapl_id), (loc_id, name, lcpl_id, gcpl_id, gapl_id)) \
    X(herr_t, H5Gget_info, (hid_t loc_id, H5G_info_t *ginfo), (loc_id, ginfo)) \
    X(hid_t, H5Gopen2, (hid_t loc_id, const char *name, hid_t gapl_id), (loc_id, name, gapl_id)) \
    X(H5I_type_t, H5Iget_type, (hid_t id), (id)) \
    X(htri_t, H5Lexists, (hid_t loc_id, const char *name, hid_t lapl_id), (loc_id, name, lapl_id)) \
    X(ssize_t, H5Lget_name_by_idx, (hid_t loc_id, const char *group_name, H5_index_t idx_type, H5_iter_order_t order, hsize_t n, char *name , size_t size, hid_t lapl_id), (loc_id, group_name, idx_type, order, n, name, size, lapl_id)) \
    X(herr_t, H5Oclose, (hid_t object_id), (object_id)) \
    X(herr_t, H5Oget_info2, (hid_t loc_id, H5O_info_t *oinfo, unsigned fields), (loc_id, oinfo, fields)) \
    X(hid_t, H5Oopen, (hid_t loc_id, const char *name, hid_t lapl_id), (loc_id, name, lapl_id)) \
    X(herr_t, H5Pclose, (hid_t plist_id), (plist_id)) \
    X(hid_t, H5Pcreate, (hid_t cls_id), (cls_id)) \
    X(int, H5Pget_chunk, (hid_t plist_id, int max_ndims, hsize_t dim[]), (plist_id, max_ndims, dim)) \
    X(hid_t, H5Pget_driver, (hid_t plist_id), (plist_id)) \
    X(H5Z_filter_t, H5Pget_filter2, (hid_t plist_id, unsigned idx, unsigned int *flags , size_t *cd_nelmts , unsigned cd_values[] , size_t namelen, char name[], unsigned *filter_config), (plist_id, idx, flags, cd_nelmts, cd_values, namelen, name, filter_config)) \
    X(H5D_layout_t, H5Pget_layout, (hid_t plist_id), (plist_id)) \
    X(int, H5Pget_nfilters, (hid_t plist_id), (plist_id)) \
    X(herr_t, H5Pget_virtual_count, (hid_t dcpl_id, size_t *count), (dcpl_id, count)) \
    X(ssize_t, H5Pget_virtual_dsetname, (hid_t dcpl_id, size_t index, char *name , size_t size), (dcpl_id, index, name, size)) \
    X(ssize_t, H5Pget_virtual_filename, (hid_t dcpl_id, size_t index, char *name , size_t size), (dcpl_id, index, name, size)) \
    X(hid_t, H5Pget_virtual_srcspace, (hid_t dcpl_id, size_t index), (dcpl_id, index)) \
    X(hid_t, H5Pget_virtual_vspace, (hid_t dcpl_id, size_t index), (dcpl_id, index)) \
    X(herr_t, H5Pset_buffer, (hid_t plist_id, size_t size, void *tconv, void *bkg), (plist_id, size, tconv, bkg)) \
    X(herr_t, H5Pset_chunk, (hid_t plist_id, int ndims, const hsize_t dim[]), (plist_id, ndims, dim)) \
    X(herr_t, H5Pset_chunk_cache, (hid_t dapl_id, size_t rdcc_nslots, size_t rdcc_nbytes, double rdcc_w0), (dapl_id, rdcc_nslots, rdcc_nbytes, rdcc_w0)) \
    X(herr_t, H5Pset_deflate, (hid_t plist_id, unsigned level), (plist_id, level)) \
    X(herr_t, H5Pset_fill_value, (hid_t plist_id, hid_t type_id, const void *value), (plist_id, type_id, value)) \
    X(herr_t, H5Pset_shuffle, (hid_t plist_id), (plist_id)) \
    X(herr_t, H5Pset_virtual, (hid_t dcpl_id, hid_t vspace_id, const char *src_file_name, const char *src_dset_name, hid_t src_space_id), (dcpl_id, vspace_id, src_file_name, src_dset_name, src_space_id)) \
    X(herr_t, H5Sclose, (hid_t space_id), (space_id)) \
    X(hid_t, H5Scopy, (hid_t space_id), (space_id)) \
    X(hid_t, H5Screate, (H5S_class_t type), (type)) \
    X(hid_t, H5Screate_simple, (int rank, const hsize_t dims[], const hsize_t maxdims[]), (rank, dims, maxdims)) \
    X(int, H5Sget_simple_extent_dims, (hid_t space_id, hsize_t dims[], hsize_t maxdims[]), (space_id, dims, maxdims)) \
    X(int, H5Sget_simple_extent_ndims, (hid_t space_id), (space_id)) \
    X(hssize_t, H5Sget_simple_extent_npoints, (hid_t space_id), (space_id)) \
    X(H5S_class_t, H5Sget_simple_extent_type, (hid_t space_id), (space_id)) \
    X(herr_t, H5Sget_select_bounds, (hid_t space_id, hsize_t start[], hsize_t end[]), (space_id, start, end)) \
    X(herr_t, H5Sselect_hyperslab, (hid_t space_id, H5S_seloper_t op, const hsize_t start[], const hsize_t stride[], const hsize_t count[], const hsize_t block[]), (space_id, op, start, stride, count, block)) \
    X(herr_t, H5Tclose, (hid_t type_id), (type_id)) \
    X(hid_t, H5Tcopy, (hid_t type_id), (type_id)) \
    X(H5T_class_t, H5Tget_class, (hid_t type_id), (type_id)) \
    X(H5T_sign_t, H5Tget_sign, (hid_t type_id), (type_id)) \
    X(size_t, H5Tget_size, (hid_t type_id), (type_id)) \
    X(htri_t, H5Tis_variable_str, (hid_t type_id), (type_id)) \
    X(herr_t, H5Tset_cset, (hid_t type_id, H5T_cset_t cset), (type_id, cset)) \
    X(herr_t, H5Tset_size, (hid_t type_id, size_t size), (type_id, size)) \
    X(herr_t, H5open, (void), ()) \
    X(herr_t, H5dont_atexit, (void), ()) \
    X(hid_t, H5FD_sec2_init, (void), ())

#endif
