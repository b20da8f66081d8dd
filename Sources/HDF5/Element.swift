import CHDF5

/// A Swift number type with a native HDF5 memory type.
public protocol HDF5Element: Sendable {
    /// The native in-memory HDF5 type.
    static var nativeType: hid_t { get }
    /// The little-endian file type used when creating datasets.
    static var fileType: hid_t { get }
    /// A short name for messages ("float32").
    static var typeName: String { get }
}

extension Float: HDF5Element {
    /// The native in-memory HDF5 type.
    public static var nativeType: hid_t { gp_H5T_NATIVE_FLOAT() }
    /// The little-endian type datasets are created with.
    public static var fileType: hid_t { gp_H5T_IEEE_F32LE() }
    /// The type's name for messages.
    public static var typeName: String { "float32" }
}

extension Double: HDF5Element {
    /// The native in-memory HDF5 type.
    public static var nativeType: hid_t { gp_H5T_NATIVE_DOUBLE() }
    /// The little-endian type datasets are created with.
    public static var fileType: hid_t { gp_H5T_IEEE_F64LE() }
    /// The type's name for messages.
    public static var typeName: String { "float64" }
}

extension UInt8: HDF5Element {
    /// The native in-memory HDF5 type.
    public static var nativeType: hid_t { gp_H5T_NATIVE_UINT8() }
    /// The little-endian type datasets are created with.
    public static var fileType: hid_t { gp_H5T_STD_U8LE() }
    /// The type's name for messages.
    public static var typeName: String { "uint8" }
}

extension Int32: HDF5Element {
    /// The native in-memory HDF5 type.
    public static var nativeType: hid_t { gp_H5T_NATIVE_INT32() }
    /// The little-endian type datasets are created with.
    public static var fileType: hid_t { gp_H5T_STD_I32LE() }
    /// The type's name for messages.
    public static var typeName: String { "int32" }
}

extension Int64: HDF5Element {
    /// The native in-memory HDF5 type.
    public static var nativeType: hid_t { gp_H5T_NATIVE_INT64() }
    /// The little-endian type datasets are created with.
    public static var fileType: hid_t { gp_H5T_STD_I64LE() }
    /// The type's name for messages.
    public static var typeName: String { "int64" }
}

/// The class of a dataset's or attribute's stored element type.
public enum HDF5TypeClass: Equatable, Sendable, CustomStringConvertible {
    case float(bytes: Int)
    case integer(bytes: Int, signed: Bool)
    case string(variableLength: Bool)
    case other(String)

    init(typeID: hid_t) {
        let size = Int(gp_H5Tget_size(typeID))
        switch gp_H5Tget_class(typeID) {
        case H5T_FLOAT: self = .float(bytes: size)
        case H5T_INTEGER: self = .integer(bytes: size, signed: gp_H5Tget_sign(typeID) == H5T_SGN_2)
        case H5T_STRING: self = .string(variableLength: gp_H5Tis_variable_str(typeID) > 0)
        case H5T_COMPOUND: self = .other("compound")
        case H5T_ARRAY: self = .other("array")
        case H5T_ENUM: self = .other("enum")
        case H5T_OPAQUE: self = .other("opaque")
        case H5T_VLEN: self = .other("vlen")
        default: self = .other("class \(gp_H5Tget_class(typeID).rawValue)")
        }
    }

    /// The class's name for messages.
    public var description: String {
        switch self {
        case let .float(bytes): return "float\(bytes * 8)"
        case let .integer(bytes, signed): return (signed ? "int" : "uint") + "\(bytes * 8)"
        case let .string(variable): return variable ? "string (variable length)" : "string (fixed length)"
        case let .other(name): return name
        }
    }
}
