import CCurl

/// libcurl's multi interface: owns the `CURLM*` and drives every easy
/// handle added to it on the calling thread (one event loop, connections
/// shared and reused between transfers).
final class MultiHandle {
    private let raw: UnsafeMutableRawPointer

    /// - Parameter maxConnections: connections kept open for reuse.
    /// - Throws: `FetchError.library` when libcurl cannot make the handle (out of memory).
    init(maxConnections: Int) throws(FetchError) {
        guard let multi = gp_curl_multi_init() else { throw .libraryInit(function: "curl_multi_init") }
        raw = multi
        // A connection cache size: libcurl's default when refused, which changes speed, not safety.
        _ = gp_curl_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, maxConnections)
    }

    deinit { gp_curl_multi_cleanup(raw) }

    /// Starts driving `easy`; it must stay alive until it is reported done.
    func add(_ easy: EasyHandle) {
        gp_curl_multi_add_handle(raw, easy.raw)
    }

    /// Does what can be done without waiting, then returns the transfers
    /// that finished (each already removed from this handle) with libcurl's result.
    func perform() -> [(handle: UnsafeMutableRawPointer, result: CURLcode)] {
        var running: Int32 = 0
        gp_curl_multi_perform(raw, &running)
        var finished: [(handle: UnsafeMutableRawPointer, result: CURLcode)] = []
        var left: Int32 = 0
        while let message = gp_curl_multi_info_read(raw, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = gp_curl_msg_result(message)
            gp_curl_multi_remove_handle(raw, easy)
            finished.append((easy, result))
        }
        return finished
    }

    /// Waits up to `milliseconds` for socket activity on any transfer.
    func poll(milliseconds: Int) {
        gp_curl_multi_poll(raw, nil, 0, Int32(milliseconds), nil)
    }
}
