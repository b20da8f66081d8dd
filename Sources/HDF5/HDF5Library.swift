import CHDF5

/// Process-wide facts about libhdf5.
public enum HDF5Library {
    /// Identifiers (files, datasets, groups, datatypes, attributes) open in
    /// this process: 0 once every wrapper object has been released, so tests
    /// and the fuzzer can tell a leaked handle.
    public static func openObjectCount() -> Int {
        _ = HDF5Runtime.initialized
        return Int(gp_H5_open_object_count())
    }
}
