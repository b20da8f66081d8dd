/// An error that says whose it is, so that the executable decides exit
/// statuses in one place: 2 for one the user can fix (input files, option
/// values, an output path, another process holding the output), 1 for a
/// failure of ganprep or the machine (a full disk, a library that cannot be
/// loaded, training that diverged). Every library error enum conforms.
public protocol ClassifiedError: Error, CustomStringConvertible {
    /// Whether changing the command's input, options or output fixes it.
    var isUsersFault: Bool { get }
}

extension StorageError: ClassifiedError {}
