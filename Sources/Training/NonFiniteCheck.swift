import Support

/// The check of each batch before its step: a dataset's NaN or infinite
/// pixels stop the run with an error, not with diverged losses.
extension TrainingRun {
    /// The first value that is NaN or infinite among `count` floats, if any.
    static func firstNonFinite(_ values: UnsafePointer<Float>, count: Int) -> Float? {
        NonFinite.first(in: values, count: count)?.value
    }
}
