import ArgumentParser
import Storage
import GAN
import Glibc
#if canImport(Glibc)
import Glibc
#endif

/// Input or arguments that cannot be used, found by the executable itself: exit status 2.
struct UserInputError: ClassifiedError {
    var message: String
    var description: String { message }
    var isUsersFault: Bool { true }
}

/// A failure of ganprep or its environment (disk, permissions) found by the executable itself: exit status 1.
struct InternalFailure: ClassifiedError {
    var message: String
    var description: String { message }
    var isUsersFault: Bool { false }
}

/// Training stopped by SIGINT or SIGTERM after a checkpoint: exit status 128 + the signal.
struct Interrupted: Error {
    var message: String
    var signal: Int32
}
