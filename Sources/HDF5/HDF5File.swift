import CHDF5

/// An open HDF5 file; its root group is the file itself. The file is closed
/// by `close()`, or when the last reference goes away (objects opened from
/// it keep libhdf5's file open until they are released too).
public final class HDF5File: HDF5Container {
    /// How an existing file is opened.
    public enum Mode: Sendable { case readOnly, readWrite }

    /// libhdf5's identifier, closed when this object goes away.
    public let objectID: hid_t
    /// The file it belongs to (for messages).
    public let filePath: String
    /// The root group's path.
    public var objectPath: String { "/" }
    private var isClosed = false

    private init(id: hid_t, path: String) {
        self.objectID = id
        self.filePath = path
    }

    /// Creates a new file, replacing any file at `path` when `overwrite` is true.
    public static func create(_ path: String, overwrite: Bool = true) throws(HDF5Error) -> HDF5File {
        if let failure = HDF5Runtime.loadFailure { throw .cannotOpen(path: path, reason: failure) }
        let flags = overwrite ? gp_H5F_ACC_TRUNC() : gp_H5F_ACC_EXCL()
        let id = gp_H5Fcreate(path, flags, hid_t(gp_H5P_DEFAULT()), hid_t(gp_H5P_DEFAULT()))
        guard id >= 0 else { throw .cannotOpen(path: path, reason: HDF5Runtime.lastError()) }
        return HDF5File(id: id, path: path)
    }

    /// Opens an existing file. A file that is not HDF5 gets `cannotOpen`
    /// naming it.
    public static func open(_ path: String, mode: Mode = .readOnly) throws(HDF5Error) -> HDF5File {
        if let failure = HDF5Runtime.loadFailure { throw .cannotOpen(path: path, reason: failure) }
        // H5Fis_hdf5 distinguishes "not HDF5" from "missing or unreadable".
        let isHDF5 = gp_H5Fis_hdf5(path)
        if isHDF5 == 0 { throw .notHDF5(path: path) }
        if isHDF5 < 0 { throw .missingOrUnreadable(path: path) }
        let flags = mode == .readOnly ? gp_H5F_ACC_RDONLY() : gp_H5F_ACC_RDWR()
        let id = gp_H5Fopen(path, flags, hid_t(gp_H5P_DEFAULT()))
        guard id >= 0 else { throw .cannotOpen(path: path, reason: HDF5Runtime.lastError()) }
        return HDF5File(id: id, path: path)
    }

    /// Writes buffered data to disk.
    public func flush() throws(HDF5Error) {
        try check(gp_H5Fflush(objectID, H5F_SCOPE_GLOBAL), filePath, "flush")
    }

    /// Starts writing what the file has written so far to disk, without
    /// waiting (Linux's sync_file_range). A writer that calls it as it goes
    /// keeps its dirty pages few on large outputs, and its final rename over
    /// an older file fast: ext4 flushes a file renamed over another first.
    public func startWriteback() {
        gp_H5F_start_writeback(objectID)
    }

    /// Closes the file now and says whether libhdf5 could: a writer calls it
    /// before it renames the file into place, so that the closing writes (the
    /// superblock's "open for writing" flag cleared) land before the file has
    /// its final name. Everything opened from the file must be released
    /// first (it would keep the file open past this call): refused otherwise.
    public func close() throws(HDF5Error) {
        guard !isClosed else { return }
        let open = gp_H5F_objects_open(objectID)
        if open > 0 {
            throw .stillOpen(path: filePath, objects: Int(open))
        }
        isClosed = true
        try check(gp_H5Fclose(objectID), filePath, "close")
    }

    deinit { if !isClosed { gp_H5Fclose(objectID) } }
}
