/// The two layouts `pack` writes and `train` reads.
public enum DatasetFormat: String, Sendable, CaseIterable {
    /// ganprep's own layout (see `DatasetLayout`).
    case ganprep
    /// The layout of the Python library GAPCV: one group per label with a
    /// dataset `data`, and GAPCV's root attributes, so `Images().load()` opens it.
    case gapcv
}
