import CHDF5

/// Rows of another dataset that appear in a virtual dataset: source rows
/// [sourceRow, sourceRow + rows) at target rows [targetRow, targetRow + rows),
/// whole along every other dimension.
public struct HDF5VirtualMapping: Sendable, Equatable {
    /// The first row of the virtual dataset the mapping fills.
    public var targetRow: Int
    /// Rows mapped.
    public var rows: Int
    /// The source file as stored: relative paths are found beside the virtual dataset's file.
    public var sourceFile: String
    /// The source dataset's path in its file.
    public var sourceDataset: String
    /// The first source row mapped.
    public var sourceRow: Int
    /// The source dataset's whole shape.
    public var sourceShape: [Int]

    /// A mapping of `rows` source rows from `sourceRow` to target rows from `targetRow`.
    public init(targetRow: Int, rows: Int, sourceFile: String, sourceDataset: String, sourceRow: Int, sourceShape: [Int]) {
        self.targetRow = targetRow
        self.rows = rows
        self.sourceFile = sourceFile
        self.sourceDataset = sourceDataset
        self.sourceRow = sourceRow
        self.sourceShape = sourceShape
    }
}

extension HDF5Container {
    /// Creates an HDF5 virtual dataset (libhdf5 1.10's VDS) of `shape` whose
    /// rows come from other datasets: nothing is copied; reads go to the
    /// sources. Rows no mapping covers, and rows of a source libhdf5 cannot
    /// read (a missing, emptied or shrunk part), read as `fill` (0 when nil):
    /// a float dataset filled with NaN lets a reader tell them from data.
    public func createVirtualDataset<T: HDF5Element>(
        _ name: String, of type: T.Type, shape: [Int], mappings: [HDF5VirtualMapping], fill: T? = nil
    ) throws(HDF5Error) -> HDF5Dataset {
        _ = HDF5Runtime.initialized
        let fullPath = joinPath(objectPath, name)
        var dims = shape.map { hsize_t($0) }
        let space = ScopedID(gp_H5Screate_simple(Int32(dims.count), &dims, nil), close: gp_H5Sclose)
        _ = try checkID(space.id, filePath, "create dataspace for \(fullPath)")
        let dcpl = ScopedID(gp_H5Pcreate(gp_H5P_DATASET_CREATE()), close: gp_H5Pclose)
        if var fill {
            try check(gp_H5Pset_fill_value(dcpl.id, T.nativeType, &fill), filePath, "set the fill value of \(fullPath)")
        }
        for m in mappings {
            precondition(m.sourceShape.count == shape.count && Array(m.sourceShape.dropFirst()) == Array(shape.dropFirst()),
                         "source rows \(m.sourceShape) do not fit \(shape)")
            let target = ScopedID(gp_H5Scopy(space.id), close: gp_H5Sclose)
            var start = [hsize_t(m.targetRow)] + shape.dropFirst().map { _ in 0 }
            var count = [hsize_t(m.rows)] + shape.dropFirst().map { hsize_t($0) }
            try check(gp_H5Sselect_hyperslab(target.id, H5S_SELECT_SET, &start, nil, &count, nil), filePath, "select rows of \(fullPath)")
            var sourceDims = m.sourceShape.map { hsize_t($0) }
            let source = ScopedID(gp_H5Screate_simple(Int32(sourceDims.count), &sourceDims, nil), close: gp_H5Sclose)
            var sourceStart = [hsize_t(m.sourceRow)] + shape.dropFirst().map { _ in 0 }
            try check(gp_H5Sselect_hyperslab(source.id, H5S_SELECT_SET, &sourceStart, nil, &count, nil), filePath,
                      "select rows of \(m.sourceFile):\(m.sourceDataset)")
            try check(gp_H5Pset_virtual(dcpl.id, target.id, m.sourceFile, m.sourceDataset, source.id), filePath,
                      "map \(m.sourceFile):\(m.sourceDataset) into \(fullPath)")
        }
        let id = try checkID(
            gp_H5Dcreate2(objectID, name, T.fileType, space.id, hid_t(gp_H5P_DEFAULT()), dcpl.id, hid_t(gp_H5P_DEFAULT())),
            filePath, "create virtual dataset \(fullPath)")
        return HDF5Dataset(id: id, filePath: filePath, objectPath: fullPath)
    }
}

/// One mapping of a virtual dataset as stored: the rows it takes from its source.
public struct HDF5VirtualSource: Sendable, Equatable {
    /// The source file as stored (relative paths are relative to the virtual dataset's file).
    public var file: String
    /// The source dataset's path in its file.
    public var dataset: String
    /// The source rows the mapping reads: [firstRow, endRow).
    public var firstRow: Int
    /// Past the last source row read.
    public var endRow: Int
    /// The virtual dataset's rows they appear at: [targetRow, targetRow + endRow - firstRow).
    public var targetRow: Int
}

extension HDF5Dataset {
    /// Every mapping of a virtual dataset with the rows it reads; empty for any other layout.
    public var virtualMappings: [HDF5VirtualSource] {
        guard isVirtual else { return [] }
        let plist = ScopedID(gp_H5Dget_create_plist(objectID), close: gp_H5Pclose)
        var count: Int = 0
        guard gp_H5Pget_virtual_count(plist.id, &count) >= 0 else { return [] }
        return (0..<count).compactMap { i in
            guard let file = readName({ gp_H5Pget_virtual_filename(plist.id, i, $0, $1) }),
                  let dataset = readName({ gp_H5Pget_virtual_dsetname(plist.id, i, $0, $1) }),
                  let source = Self.rowBounds(gp_H5Pget_virtual_srcspace(plist.id, i)),
                  let target = Self.rowBounds(gp_H5Pget_virtual_vspace(plist.id, i)) else { return nil }
            return HDF5VirtualSource(file: file, dataset: dataset, firstRow: source.first, endRow: source.end, targetRow: target.first)
        }
    }

    /// The first and past-the-last row a dataspace's selection covers (the space is closed).
    private static func rowBounds(_ space: hid_t) -> (first: Int, end: Int)? {
        guard space >= 0 else { return nil }
        defer { gp_H5Sclose(space) }
        let rank = Int(gp_H5Sget_simple_extent_ndims(space))
        guard rank > 0 else { return nil }
        var start = [hsize_t](repeating: 0, count: rank), end = [hsize_t](repeating: 0, count: rank)
        guard gp_H5Sget_select_bounds(space, &start, &end) >= 0 else { return nil }
        return (Int(start[0]), Int(end[0]) + 1)
    }

    /// The source files and datasets of a virtual dataset, one per mapping, as stored; empty for any other layout.
    public var virtualSources: [(file: String, dataset: String)] {
        virtualMappings.map { ($0.file, $0.dataset) }
    }
}
