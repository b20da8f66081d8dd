import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// A value stored as an HDF5 attribute.
public enum HDF5AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case integers([Int64])
    case doubles([Double])
    case strings([String])

    /// The value as text (strings quoted, arrays in brackets).
    public var description: String {
        switch self {
        case let .string(s): return "\"\(s)\""
        case let .integers(v): return v.count == 1 ? "\(v[0])" : "\(v)"
        case let .doubles(v): return v.count == 1 ? "\(v[0])" : "\(v)"
        case let .strings(v): return "\(v)"
        }
    }

    /// The value as one integer, when it is a single number.
    public var intValue: Int? {
        switch self {
        case let .integers(v) where v.count == 1: return Int(v[0])
        case let .doubles(v) where v.count == 1: return Int(exactly: v[0])
        case let .string(s): return Int(s)
        default: return nil
        }
    }

    /// The value as a string, when it is one.
    public var stringValue: String? {
        switch self {
        case let .string(s): return s
        case let .strings(v) where v.count == 1: return v[0]
        default: return nil
        }
    }

    /// The value as doubles, when numeric.
    public var doublesValue: [Double]? {
        switch self {
        case let .integers(v): return v.map(Double.init)
        case let .doubles(v): return v
        default: return nil
        }
    }
}

extension HDF5Object {
    /// Names of this object's attributes.
    public func attributeNames() -> [String] {
        var info = H5O_info_t()
        guard gp_H5Oget_info2(objectID, &info, UInt32(H5O_INFO_NUM_ATTRS)) >= 0 else { return [] }
        var names: [String] = []
        for index in 0..<info.num_attrs {
            let name = readName { buffer, size in
                Int(gp_H5Aget_name_by_idx(objectID, ".", H5_INDEX_NAME, H5_ITER_INC, index, buffer, size, hid_t(gp_H5P_DEFAULT())))
            }
            if let name { names.append(name) }
        }
        return names
    }

    /// Whether an attribute of this name exists.
    public func hasAttribute(_ name: String) -> Bool {
        gp_H5Aexists(objectID, name) > 0
    }

    private func replaceAttribute(_ name: String, type: hid_t, space: hid_t) throws(HDF5Error) -> hid_t {
        if hasAttribute(name) {
            try check(gp_H5Adelete(objectID, name), filePath, "replace attribute \(name) of \(objectPath)")
        }
        return try checkID(gp_H5Acreate2(objectID, name, type, space, hid_t(gp_H5P_DEFAULT()), hid_t(gp_H5P_DEFAULT())),
                           filePath, "create attribute \(name) of \(objectPath)")
    }

    /// Writes (or replaces) an attribute.
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws(HDF5Error) {
        _ = HDF5Runtime.initialized
        switch value {
        case let .string(string):
            let type = utf8StringType()
            let space = ScopedID(gp_H5Screate(H5S_SCALAR), close: gp_H5Sclose)
            let attribute = ScopedID(try replaceAttribute(name, type: type.id, space: space.id), close: gp_H5Aclose)
            let pointer = strdup(string)
            defer { free(pointer) }
            var pointers: [UnsafeMutablePointer<CChar>?] = [pointer]
            try check(gp_H5Awrite(attribute.id, type.id, &pointers), filePath, "write attribute \(name) of \(objectPath)")
        case let .strings(strings):
            let type = utf8StringType()
            var dims = [hsize_t(strings.count)]
            let space = ScopedID(gp_H5Screate_simple(1, &dims, nil), close: gp_H5Sclose)
            let attribute = ScopedID(try replaceAttribute(name, type: type.id, space: space.id), close: gp_H5Aclose)
            var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
            defer { pointers.forEach { free($0) } }
            try check(gp_H5Awrite(attribute.id, type.id, &pointers), filePath, "write attribute \(name) of \(objectPath)")
        case let .integers(values):
            try setNumeric(name, values, fileType: Int64.fileType, memType: Int64.nativeType)
        case let .doubles(values):
            try setNumeric(name, values, fileType: Double.fileType, memType: Double.nativeType)
        }
    }

    private func setNumeric<T>(_ name: String, _ values: [T], fileType: hid_t, memType: hid_t) throws(HDF5Error) {
        var dims = [hsize_t(values.count)]
        let space = values.count == 1
            ? ScopedID(gp_H5Screate(H5S_SCALAR), close: gp_H5Sclose)
            : ScopedID(gp_H5Screate_simple(1, &dims, nil), close: gp_H5Sclose)
        let attribute = ScopedID(try replaceAttribute(name, type: fileType, space: space.id), close: gp_H5Aclose)
        let status = values.withUnsafeBufferPointer { gp_H5Awrite(attribute.id, memType, $0.baseAddress) }
        try check(status, filePath, "write attribute \(name) of \(objectPath)")
    }

    /// Reads an attribute: strings (fixed or variable length, scalar or 1-D)
    /// and integer or floating-point scalars and arrays.
    public func attribute(_ name: String) throws(HDF5Error) -> HDF5AttributeValue {
        guard hasAttribute(name) else { throw .notFound(path: filePath, object: "attribute \(name) of \(objectPath)") }
        let attribute = ScopedID(try checkID(gp_H5Aopen(objectID, name, hid_t(gp_H5P_DEFAULT())), filePath, "open attribute \(name)"),
                                 close: gp_H5Aclose)
        let type = ScopedID(gp_H5Aget_type(attribute.id), close: gp_H5Tclose)
        let space = ScopedID(gp_H5Aget_space(attribute.id), close: gp_H5Sclose)
        let count = max(Int(gp_H5Sget_simple_extent_npoints(space.id)), 0)
        let typeClass = HDF5TypeClass(typeID: type.id)
        let operation = "read attribute \(name) of \(objectPath)"
        // Sizes from the file: refused before any allocation when they are not an attribute's.
        let elementSize = Int(gp_H5Tget_size(type.id))
        guard count <= 1 << 20, elementSize <= 1 << 20, elementSize * count <= 64 << 20 else {
            throw .mismatch(path: filePath, object: "attribute \(name) of \(objectPath)", .attributeSize(count: count, elementSize: elementSize))
        }
        switch typeClass {
        case let .string(variable):
            var strings: [String] = []
            if variable {
                let memType = utf8StringType()
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                try check(gp_H5Aread(attribute.id, memType.id, &pointers), filePath, operation)
                strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
                gp_H5Dvlen_reclaim(memType.id, space.id, hid_t(gp_H5P_DEFAULT()), &pointers)
            } else {
                let size = Int(gp_H5Tget_size(type.id))
                let memType = ScopedID(gp_H5Tcopy(gp_H5T_C_S1()), close: gp_H5Tclose)
                gp_H5Tset_size(memType.id, size)
                var bytes = [UInt8](repeating: 0, count: size * count)
                try check(gp_H5Aread(attribute.id, memType.id, &bytes), filePath, operation)
                strings = (0..<count).map { i in
                    String(decoding: bytes[(i * size)..<((i + 1) * size)].prefix { $0 != 0 }, as: UTF8.self)
                }
            }
            let scalar = gp_H5Sget_simple_extent_type(space.id) == H5S_SCALAR
            return scalar && strings.count == 1 ? .string(strings[0]) : .strings(strings)
        case .integer:
            var values = [Int64](repeating: 0, count: count)
            try check(gp_H5Aread(attribute.id, Int64.nativeType, &values), filePath, operation)
            return .integers(values)
        case .float:
            var values = [Double](repeating: 0, count: count)
            try check(gp_H5Aread(attribute.id, Double.nativeType, &values), filePath, operation)
            return .doubles(values)
        case .other:
            throw .mismatch(path: filePath, object: "attribute \(name) of \(objectPath)", .attributeType(typeClass))
        }
    }
}
