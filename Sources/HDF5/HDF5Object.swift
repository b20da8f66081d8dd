import CHDF5

/// Anything in an HDF5 file that can carry attributes: the file's root, a
/// group, a dataset.
public protocol HDF5Object: AnyObject {
    /// The libhdf5 id of this open object; owned by the conforming class.
    var objectID: hid_t { get }
    /// The file's path on disk, for messages.
    var filePath: String { get }
    /// The object's path inside the file ("/", "/images").
    var objectPath: String { get }
}

/// A file root or a group: something that holds named members.
public protocol HDF5Container: HDF5Object {}

func joinPath(_ parent: String, _ name: String) -> String {
    if name.hasPrefix("/") { return name }
    return parent == "/" ? "/" + name : parent + "/" + name
}

/// Reads a name through libhdf5's two-call idiom: the length first (with a
/// nil buffer), then the bytes. nil when libhdf5 reports an error.
func readName(_ get: (UnsafeMutablePointer<CChar>?, Int) -> Int) -> String? {
    let size = get(nil, 0)
    guard size >= 0 else { return nil }
    var buffer = [CChar](repeating: 0, count: size + 1)
    _ = buffer.withUnsafeMutableBufferPointer { get($0.baseAddress, size + 1) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// An owned dataspace or type id, closed when the scope ends.
struct ScopedID: ~Copyable {
    let id: hid_t
    let close: (hid_t) -> herr_t
    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.close = close
    }
    deinit { if id >= 0 { _ = close(id) } }
}

/// A variable-length UTF-8 string memory type, closed with the scope.
func utf8StringType() -> ScopedID {
    let type = gp_H5Tcopy(gp_H5T_C_S1())
    gp_H5Tset_size(type, gp_H5T_VARIABLE())
    gp_H5Tset_cset(type, H5T_CSET_UTF8)
    return ScopedID(type, close: gp_H5Tclose)
}

extension HDF5Container {
    /// Whether a direct member (group, dataset or link) of this name exists.
    public func contains(_ name: String) -> Bool {
        _ = HDF5Runtime.initialized
        return gp_H5Lexists(objectID, name, hid_t(gp_H5P_DEFAULT())) > 0
    }

    /// Names of the direct members, in the file's name order.
    public func memberNames() throws(HDF5Error) -> [String] {
        var info = H5G_info_t()
        try check(gp_H5Gget_info(objectID, &info), filePath, "list members of \(objectPath)")
        var names: [String] = []
        for index in 0..<info.nlinks {
            let name = readName { buffer, size in
                Int(gp_H5Lget_name_by_idx(objectID, ".", H5_INDEX_NAME, H5_ITER_INC, index, buffer, size, hid_t(gp_H5P_DEFAULT())))
            }
            if let name { names.append(name) }
        }
        return names
    }

    /// Whether the member `name` is a group (false for datasets or when absent).
    public func isGroup(_ name: String) -> Bool {
        guard contains(name) else { return false }
        let id = gp_H5Oopen(objectID, name, hid_t(gp_H5P_DEFAULT()))
        guard id >= 0 else { return false }
        defer { gp_H5Oclose(id) }
        return gp_H5Iget_type(id) == H5I_GROUP
    }

    /// Creates a group.
    public func createGroup(_ name: String) throws(HDF5Error) -> HDF5Group {
        let id = try checkID(
            gp_H5Gcreate2(objectID, name, hid_t(gp_H5P_DEFAULT()), hid_t(gp_H5P_DEFAULT()), hid_t(gp_H5P_DEFAULT())),
            filePath, "create group \(joinPath(objectPath, name))")
        return HDF5Group(id: id, filePath: filePath, objectPath: joinPath(objectPath, name))
    }

    /// Opens an existing group.
    public func openGroup(_ name: String) throws(HDF5Error) -> HDF5Group {
        guard contains(name) else { throw .notFound(path: filePath, object: joinPath(objectPath, name)) }
        let id = gp_H5Gopen2(objectID, name, hid_t(gp_H5P_DEFAULT()))
        if id < 0 {
            throw .mismatch(path: filePath, object: joinPath(objectPath, name), .notGroup)
        }
        return HDF5Group(id: id, filePath: filePath, objectPath: joinPath(objectPath, name))
    }

    /// Creates a numeric dataset.
    /// - Parameters:
    ///   - shape: the initial extent of each dimension.
    ///   - maxShape: the maximum extents; `nil` in a dimension means unlimited.
    ///     Defaults to `shape` (fixed size).
    ///   - chunk: the chunk shape; required when any dimension is extendable.
    ///   - gzipLevel: deflate level 1...9 (needs `chunk`), or nil for none.
    public func createDataset<T: HDF5Element>(
        _ name: String, of type: T.Type, shape: [Int], maxShape: [Int?]? = nil,
        chunk: [Int]? = nil, gzipLevel: Int? = nil, shuffle: Bool = false
    ) throws(HDF5Error) -> HDF5Dataset {
        try createDataset(name, fileType: T.fileType, shape: shape, maxShape: maxShape,
                          chunk: chunk, gzipLevel: gzipLevel, shuffle: shuffle)
    }

    /// Creates a dataset of variable-length UTF-8 strings, extendable along
    /// its one dimension, and writes `strings` into it. Chunks hold `chunk`
    /// strings whatever the initial count: a dataset created empty and
    /// extended later must not get one-string chunks (libhdf5 then keeps an
    /// index entry per string: 40,000 strings cost about 270 MiB to read).
    public func createStringDataset(_ name: String, strings: [String], chunk: Int = 1024) throws(HDF5Error) -> HDF5Dataset {
        let type = utf8StringType()
        let dataset = try createDataset(name, fileType: type.id, shape: [strings.count], maxShape: [nil],
                                        chunk: [max(1, chunk)], gzipLevel: nil, shuffle: false)
        if !strings.isEmpty { try dataset.writeStrings(strings, start: 0) }
        return dataset
    }

    func createDataset(
        _ name: String, fileType: hid_t, shape: [Int], maxShape: [Int?]?, chunk: [Int]?,
        gzipLevel: Int?, shuffle: Bool
    ) throws(HDF5Error) -> HDF5Dataset {
        _ = HDF5Runtime.initialized
        let fullPath = joinPath(objectPath, name)
        precondition(maxShape == nil || maxShape!.count == shape.count, "maxShape rank must equal shape rank")
        var dims = shape.map { hsize_t($0) }
        var maxDims = (maxShape ?? shape.map { Optional($0) }).map { $0.map { hsize_t($0) } ?? gp_H5S_UNLIMITED() }
        let space = ScopedID(gp_H5Screate_simple(Int32(dims.count), &dims, &maxDims), close: gp_H5Sclose)
        _ = try checkID(space.id, filePath, "create dataspace for \(fullPath)")
        let dcpl = ScopedID(gp_H5Pcreate(gp_H5P_DATASET_CREATE()), close: gp_H5Pclose)
        if let chunk {
            precondition(chunk.count == shape.count, "chunk rank must equal shape rank")
            var chunkDims = chunk.map { hsize_t(max(1, $0)) }
            try check(gp_H5Pset_chunk(dcpl.id, Int32(chunkDims.count), &chunkDims), filePath, "set chunk shape of \(fullPath)")
            if shuffle { try check(gp_H5Pset_shuffle(dcpl.id), filePath, "set shuffle filter of \(fullPath)") }
            if let gzipLevel {
                try check(gp_H5Pset_deflate(dcpl.id, UInt32(max(0, min(9, gzipLevel)))), filePath, "set gzip filter of \(fullPath)")
            }
        } else {
            precondition(gzipLevel == nil, "compression needs a chunked dataset")
        }
        let id = try checkID(
            gp_H5Dcreate2(objectID, name, fileType, space.id, hid_t(gp_H5P_DEFAULT()), dcpl.id, hid_t(gp_H5P_DEFAULT())),
            filePath, "create dataset \(fullPath)")
        return HDF5Dataset(id: id, filePath: filePath, objectPath: fullPath)
    }

    /// Opens an existing dataset.
    /// - Parameter chunkCacheBytes: size of this dataset's chunk cache; size it
    ///   to hold the chunks one read touches. nil keeps libhdf5's default (1 MiB).
    public func openDataset(_ name: String, chunkCacheBytes: Int? = nil) throws(HDF5Error) -> HDF5Dataset {
        let fullPath = joinPath(objectPath, name)
        guard contains(name) else { throw .notFound(path: filePath, object: fullPath) }
        let dapl = ScopedID(gp_H5Pcreate(gp_H5P_DATASET_ACCESS()), close: gp_H5Pclose)
        if let chunkCacheBytes {
            // 12421 is a prime number of hash slots, as libhdf5's guide suggests (~100x the chunks held).
            try check(gp_H5Pset_chunk_cache(dapl.id, 12421, max(chunkCacheBytes, 0), 0.75), filePath, "size chunk cache of \(fullPath)")
        }
        let id = gp_H5Dopen2(objectID, name, dapl.id)
        if id < 0 {
            throw .mismatch(path: filePath, object: fullPath, .notDataset)
        }
        return HDF5Dataset(id: id, filePath: filePath, objectPath: fullPath)
    }
}
