import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT) and SIGTERM during training: the first one asks the run
/// to stop after the step in progress, with a checkpoint of it; a second
/// one ends the process at once (the default action is restored).
public enum StopRequest {
    private static let flag = Atomic<Int32>(0)

    /// Whether a stop was asked for since `install()`: the signal's number, or nil.
    public static var signal: Int32? {
        let value = flag.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Catches SIGINT and SIGTERM (and unblocks them: a process started
    /// from a thread that blocks them inherits that mask).
    public static func install() {
        flag.store(0, ordering: .relaxed)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for number in [SIGINT, SIGTERM] {
            _ = Glibc.signal(number) { received in
                StopRequest.flag.store(received, ordering: .relaxed)
                _ = Glibc.signal(received, SIG_DFL)
            }
        }
    }
}
