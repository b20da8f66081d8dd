import ArgumentParser
import GAN
import Glibc
#if canImport(Glibc)
import Glibc
#endif

/// Input or arguments that cannot be used: exit status 2.
struct UserInputError: Error {
    var message: String
}

/// A failure of ganprep or its environment (disk, permissions): exit status 1.
struct InternalFailure: Error {
    var message: String
}

/// Training stopped by SIGINT or SIGTERM after a checkpoint: exit status 128 + the signal.
struct Interrupted: Error {
    var message: String
    var signal: Int32
}
