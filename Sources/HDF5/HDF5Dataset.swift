import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// An open dataset: its shape, chunking, element type, and hyperslab reads
/// and writes. Element types are checked against the stored type class.
public final class HDF5Dataset: HDF5Object {
    /// libhdf5's identifier, closed when this object goes away.
    public let objectID: hid_t
    /// The file it belongs to (for messages).
    public let filePath: String
    /// Its path in the file.
    public let objectPath: String

    init(id: hid_t, filePath: String, objectPath: String) {
        self.objectID = id
        self.filePath = filePath
        self.objectPath = objectPath
    }

    deinit { gp_H5Dclose(objectID) }

    /// The current extent of each dimension.
    public var shape: [Int] { dimensions().current }

    /// The maximum extents; nil where a dimension is unlimited.
    public var maxShape: [Int?] {
        dimensions().max.map { $0 == gp_H5S_UNLIMITED() ? nil : Int(clamping: $0) }
    }

    /// The chunk shape, or nil for a contiguous dataset.
    public var chunkShape: [Int]? {
        let plist = ScopedID(gp_H5Dget_create_plist(objectID), close: gp_H5Pclose)
        guard gp_H5Pget_layout(plist.id) == H5D_CHUNKED else { return nil }
        var dims = [hsize_t](repeating: 0, count: 32)
        let rank = gp_H5Pget_chunk(plist.id, 32, &dims)
        return rank < 0 ? nil : dims.prefix(Int(rank)).map { Int(clamping: $0) }
    }

    /// Bytes the file really holds for this dataset's data (allocated chunks,
    /// after compression), which may be far less than its extent claims.
    public var storageSize: Int { Int(gp_H5Dget_storage_size(objectID)) }

    /// Whether any space for data has been allocated at all.
    public var hasAllocatedStorage: Bool {
        var status = H5D_SPACE_STATUS_ERROR
        return gp_H5Dget_space_status(objectID, &status) >= 0 && status != H5D_SPACE_STATUS_NOT_ALLOCATED
    }

    /// Whether the data lives in other datasets (an HDF5 virtual dataset).
    public var isVirtual: Bool {
        let plist = ScopedID(gp_H5Dget_create_plist(objectID), close: gp_H5Pclose)
        return gp_H5Pget_layout(plist.id) == H5D_VIRTUAL
    }

    /// The size in bytes of one stored element.
    public var elementSize: Int {
        let type = ScopedID(gp_H5Dget_type(objectID), close: gp_H5Tclose)
        return Int(gp_H5Tget_size(type.id))
    }

    /// The names of the filters in the pipeline ("deflate", "shuffle", ...).
    public var filters: [String] {
        let plist = ScopedID(gp_H5Dget_create_plist(objectID), close: gp_H5Pclose)
        let count = gp_H5Pget_nfilters(plist.id)
        var names: [String] = []
        for index in 0..<max(count, 0) {
            var flags: UInt32 = 0
            var elements = 0
            var config: UInt32 = 0
            var name = [CChar](repeating: 0, count: 64)
            let filter = gp_H5Pget_filter2(plist.id, UInt32(index), &flags, &elements, nil, 64, &name, &config)
            names.append(filter == H5Z_FILTER_DEFLATE ? "gzip" : String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    /// The stored element type's class.
    public var typeClass: HDF5TypeClass {
        let type = ScopedID(gp_H5Dget_type(objectID), close: gp_H5Tclose)
        return HDF5TypeClass(typeID: type.id)
    }

    private func dimensions() -> (current: [Int], max: [hsize_t]) {
        let space = ScopedID(gp_H5Dget_space(objectID), close: gp_H5Sclose)
        let rank = Int(gp_H5Sget_simple_extent_ndims(space.id))
        guard rank > 0 else { return ([], []) }
        var dims = [hsize_t](repeating: 0, count: rank)
        var maxDims = [hsize_t](repeating: 0, count: rank)
        gp_H5Sget_simple_extent_dims(space.id, &dims, &maxDims)
        return (dims.map { Int(clamping: $0) }, maxDims)
    }

    /// Grows (or shrinks) the dataset to `newShape`, within its maximum shape.
    public func extend(to newShape: [Int]) throws(HDF5Error) {
        var dims = newShape.map { hsize_t($0) }
        try check(gp_H5Dset_extent(objectID, &dims), filePath, "extend \(objectPath) to \(newShape)")
    }

    private func checkElement<T: HDF5Element>(_: T.Type) throws(HDF5Error) {
        let stored = typeClass
        let ok: Bool
        switch stored {
        case .float: ok = T.self == Float.self || T.self == Double.self
        case .integer: ok = true
        default: ok = false
        }
        if !ok {
            throw .mismatch(path: filePath, object: objectPath, .elementType(wanted: T.typeName, stored: stored))
        }
    }

    /// A file dataspace with the hyperslab [start, start+count) selected.
    private func selection(start: [Int], count: [Int]) throws(HDF5Error) -> ScopedID {
        let space = ScopedID(gp_H5Dget_space(objectID), close: gp_H5Sclose)
        let rank = Int(gp_H5Sget_simple_extent_ndims(space.id))
        guard start.count == rank, count.count == rank else {
            throw .mismatch(path: filePath, object: objectPath, .rank(selection: start.count, dataset: rank))
        }
        var offset = start.map { hsize_t($0) }
        var extent = count.map { hsize_t($0) }
        try check(gp_H5Sselect_hyperslab(space.id, H5S_SELECT_SET, &offset, nil, &extent, nil),
                  filePath, "select \(start)+\(count) in \(objectPath)")
        return space
    }

    /// Writes `values` (row-major, `count.reduce(*)` elements) into the
    /// hyperslab that starts at `start`.
    public func write<T: HDF5Element>(_ values: UnsafeBufferPointer<T>, start: [Int], count: [Int]) throws(HDF5Error) {
        let total = count.reduce(1, *)
        precondition(values.count >= total, "write needs \(total) values, got \(values.count)")
        let fileSpace = try selection(start: start, count: count)
        var dims = count.map { hsize_t($0) }
        let memSpace = ScopedID(gp_H5Screate_simple(Int32(dims.count), &dims, nil), close: gp_H5Sclose)
        try check(gp_H5Dwrite(objectID, T.nativeType, memSpace.id, fileSpace.id, hid_t(gp_H5P_DEFAULT()), values.baseAddress),
                  filePath, "write \(count) at \(start) into \(objectPath)")
    }

    /// Writes an array into the hyperslab at `start` with extent `count`.
    public func write<T: HDF5Element>(_ values: [T], start: [Int], count: [Int]) throws(HDF5Error) {
        try values.withUnsafeBufferPointer { (buffer) throws(HDF5Error) in try write(buffer, start: start, count: count) }
    }

    /// Writes the whole dataset.
    public func write<T: HDF5Element>(_ values: [T]) throws(HDF5Error) {
        let shape = self.shape
        try write(values, start: shape.map { _ in 0 }, count: shape)
    }

    /// Reads the hyperslab at `start` with extent `count` into `buffer`,
    /// converting from the stored type.
    public func read<T: HDF5Element>(into buffer: UnsafeMutableBufferPointer<T>, start: [Int], count: [Int]) throws(HDF5Error) {
        try checkElement(T.self)
        let total = count.reduce(1, *)
        precondition(buffer.count >= total, "read needs room for \(total) values, got \(buffer.count)")
        let fileSpace = try selection(start: start, count: count)
        var dims = count.map { hsize_t($0) }
        let memSpace = ScopedID(gp_H5Screate_simple(Int32(max(dims.count, 1)), &dims, nil), close: gp_H5Sclose)
        try check(gp_H5Dread(objectID, T.nativeType, memSpace.id, fileSpace.id, hid_t(gp_H5P_DEFAULT()), buffer.baseAddress),
                  filePath, "read \(count) at \(start) from \(objectPath)")
    }

    /// Reads a hyperslab into a new array.
    public func read<T: HDF5Element>(_: T.Type, start: [Int], count: [Int]) throws(HDF5Error) -> [T] {
        let total = count.reduce(1, *)
        return try [T](unsafeUninitializedCapacity: total) { (buffer, initialized) throws(HDF5Error) in
            try read(into: buffer, start: start, count: count)
            initialized = total
        }
    }

    /// Reads the whole dataset into a new array (row-major).
    public func readAll<T: HDF5Element>(_ type: T.Type) throws(HDF5Error) -> [T] {
        let shape = self.shape
        if shape.isEmpty {
            // A scalar dataset.
            try checkElement(T.self)
            return try [T](unsafeUninitializedCapacity: 1) { (buffer, initialized) throws(HDF5Error) in
                try check(gp_H5Dread(objectID, T.nativeType, gp_H5S_ALL(), gp_H5S_ALL(), hid_t(gp_H5P_DEFAULT()), buffer.baseAddress),
                          filePath, "read \(objectPath)")
                initialized = 1
            }
        }
        return try read(type, start: shape.map { _ in 0 }, count: shape)
    }

    /// Writes strings into a one-dimensional variable-length string dataset,
    /// starting at row `start`. The dataset must already be large enough.
    public func writeStrings(_ strings: [String], start: Int) throws(HDF5Error) {
        guard !strings.isEmpty else { return }
        let type = utf8StringType()
        let fileSpace = try selection(start: [start], count: [strings.count])
        var dims = [hsize_t(strings.count)]
        let memSpace = ScopedID(gp_H5Screate_simple(1, &dims, nil), close: gp_H5Sclose)
        // strdup'd C strings stay valid for the whole H5Dwrite call.
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        // A conversion buffer the size of these strings' references (16 bytes each on disk)
        // instead of libhdf5's default 1 MiB, which it allocates zeroed at every write.
        let transfer = ScopedID(gp_H5Pcreate(gp_H5P_DATASET_XFER()), close: gp_H5Pclose)
        _ = gp_H5Pset_buffer(transfer.id, max(4096, 32 * strings.count), nil, nil)
        let status = pointers.withUnsafeBufferPointer {
            gp_H5Dwrite(objectID, type.id, memSpace.id, fileSpace.id, transfer.id, $0.baseAddress)
        }
        try check(status, filePath, "write strings into \(objectPath)")
    }

    /// Reads rows [start, start+count) of a one-dimensional string dataset
    /// (variable or fixed length).
    public func readStrings(start: Int = 0, count: Int? = nil) throws(HDF5Error) -> [String] {
        let stored = typeClass
        guard case let .string(variable) = stored else {
            throw .mismatch(path: filePath, object: objectPath, .notStrings(stored: stored))
        }
        let shape = self.shape
        guard shape.count <= 1 else {
            throw .mismatch(path: filePath, object: objectPath, .stringDimensions(shape.count))
        }
        let n = count ?? ((shape.first ?? 1) - start)
        guard n > 0 else { return [] }
        let fileSpace: ScopedID
        if shape.isEmpty {
            fileSpace = ScopedID(gp_H5Dget_space(objectID), close: gp_H5Sclose)
        } else {
            fileSpace = try selection(start: [start], count: [n])
        }
        var dims = [hsize_t(n)]
        let memSpace = ScopedID(gp_H5Screate_simple(1, &dims, nil), close: gp_H5Sclose)
        if variable {
            let type = utf8StringType()
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: n)
            try check(gp_H5Dread(objectID, type.id, memSpace.id, fileSpace.id, hid_t(gp_H5P_DEFAULT()), &pointers),
                      filePath, "read strings from \(objectPath)")
            let result = pointers.map { $0.map { String(cString: $0) } ?? "" }
            gp_H5Dvlen_reclaim(type.id, memSpace.id, hid_t(gp_H5P_DEFAULT()), &pointers)
            return result
        }
        let fileType = ScopedID(gp_H5Dget_type(objectID), close: gp_H5Tclose)
        let size = Int(gp_H5Tget_size(fileType.id))
        let memType = ScopedID(gp_H5Tcopy(gp_H5T_C_S1()), close: gp_H5Tclose)
        gp_H5Tset_size(memType.id, size)
        var bytes = [UInt8](repeating: 0, count: size * n)
        try check(gp_H5Dread(objectID, memType.id, memSpace.id, fileSpace.id, hid_t(gp_H5P_DEFAULT()), &bytes),
                  filePath, "read strings from \(objectPath)")
        return (0..<n).map { i in
            String(decoding: bytes[(i * size)..<((i + 1) * size)].prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
