import CHDF5

/// A group in an HDF5 file.
public final class HDF5Group: HDF5Container {
    public let objectID: hid_t
    public let filePath: String
    public let objectPath: String

    init(id: hid_t, filePath: String, objectPath: String) {
        self.objectID = id
        self.filePath = filePath
        self.objectPath = objectPath
    }

    deinit { gp_H5Gclose(objectID) }
}
