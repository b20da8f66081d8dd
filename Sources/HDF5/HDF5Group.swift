import CHDF5

/// A group in an HDF5 file.
public final class HDF5Group: HDF5Container {
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

    deinit { gp_H5Gclose(objectID) }
}
