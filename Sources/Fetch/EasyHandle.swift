import CCurl

/// One libcurl easy handle and everything it points to. The handle, its
/// header list and the callback context live exactly as long as this object;
/// libcurl gets `self` through `Unmanaged` for its callbacks.
final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    /// Kept alive here: libcurl holds the pointer, not a copy.
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// Receives body bytes; return false to abort the transfer.
    var onBody: (UnsafeRawBufferPointer) -> Bool = { _ in true }
    /// Receives each response header line (status lines included).
    var onHeader: (String) -> Void = { _ in }
    /// Called periodically with (downloaded, expected total or 0); return
    /// false to abort.
    var onProgress: (Int64, Int64) -> Bool = { _, _ in true } {
        didSet { set(CURLOPT_NOPROGRESS, 0) }
    }
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    init() {
        _ = CurlRuntime.initialized
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init returned NULL: out of memory") }
        raw = handle
        let context = Unmanaged.passUnretained(self).toOpaque()
        setPointer(CURLOPT_WRITEDATA, context)
        gp_curl_easy_setopt_write_function(raw, CURLOPT_WRITEFUNCTION, easyWriteCallback)
        setPointer(CURLOPT_HEADERDATA, context)
        gp_curl_easy_setopt_write_function(raw, CURLOPT_HEADERFUNCTION, easyHeaderCallback)
        setPointer(CURLOPT_XFERINFODATA, context)
        gp_curl_easy_setopt_xferinfo_function(raw, easyProgressCallback)
        // The progress callback stays off unless someone asks (it runs on every tick).
        set(CURLOPT_NOPROGRESS, 1)
        set(CURLOPT_NOSIGNAL, 1)
        _ = errorBuffer.withUnsafeMutableBufferPointer { setPointer(CURLOPT_ERRORBUFFER, $0.baseAddress) }
        setPointer(CURLOPT_PRIVATE, context)
    }

    deinit {
        curl_easy_cleanup(raw)
        if let headerList { curl_slist_free_all(headerList) }
    }

    /// Recovers the owner of a raw handle from its CURLOPT_PRIVATE pointer.
    static func owner(of raw: UnsafeMutableRawPointer) -> EasyHandle? {
        var pointer: UnsafeMutableRawPointer?
        guard gp_curl_easy_getinfo_pointer(raw, CURLINFO_PRIVATE, &pointer) == CURLE_OK, let pointer else { return nil }
        return Unmanaged<EasyHandle>.fromOpaque(pointer).takeUnretainedValue()
    }

    @discardableResult
    func set(_ option: CURLoption, _ value: Int) -> CURLcode { gp_curl_easy_setopt_long(raw, option, value) }
    @discardableResult
    func set(_ option: CURLoption, _ value: String) -> CURLcode { gp_curl_easy_setopt_string(raw, option, value) }
    @discardableResult
    func setOffset(_ option: CURLoption, _ value: Int64) -> CURLcode { gp_curl_easy_setopt_off(raw, option, curl_off_t(value)) }
    @discardableResult
    func setPointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) -> CURLcode {
        gp_curl_easy_setopt_pointer(raw, option, value)
    }

    /// Replaces the request headers ("Name: value" lines).
    func setHeaders(_ lines: [String]) {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        for line in lines { headerList = curl_slist_append(headerList, line) }
        gp_curl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, headerList)
    }

    /// Clears the previous transfer's error text.
    func resetError() { errorBuffer[0] = 0 }

    /// libcurl's detailed error text for the last transfer, or the generic one for `code`.
    func errorMessage(_ code: CURLcode) -> String {
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    var responseCode: Int {
        var code = 0
        gp_curl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    var effectiveURL: String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard gp_curl_easy_getinfo_string(raw, CURLINFO_EFFECTIVE_URL, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }

    var contentType: String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard gp_curl_easy_getinfo_string(raw, CURLINFO_CONTENT_TYPE, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }

    var redirectCount: Int {
        var count = 0
        gp_curl_easy_getinfo_long(raw, CURLINFO_REDIRECT_COUNT, &count)
        return count
    }

    /// Where the server redirected to when redirects are not followed.
    var redirectURL: String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard gp_curl_easy_getinfo_string(raw, CURLINFO_REDIRECT_URL, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }

    /// Runs the transfer on this thread (easy interface).
    func perform() -> CURLcode {
        resetError()
        return curl_easy_perform(raw)
    }
}

private func easyWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let handle = Unmanaged<EasyHandle>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    // Returning a different count than given makes libcurl abort with CURLE_WRITE_ERROR.
    return handle.onBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func easyHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context, let data else { return 0 }
    let handle = Unmanaged<EasyHandle>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    handle.onHeader(line.trimmingTrailingNewlines())
    return length
}

private func easyProgressCallback(
    _ context: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t,
    _ uploadTotal: curl_off_t, _ uploaded: curl_off_t
) -> Int32 {
    guard let context else { return 0 }
    let handle = Unmanaged<EasyHandle>.fromOpaque(context).takeUnretainedValue()
    return handle.onProgress(Int64(downloaded), Int64(downloadTotal)) ? 0 : 1
}

extension String {
    func trimmingTrailingNewlines() -> String {
        // Works on scalars: "\r\n" is one Character in Swift.
        var s = Substring.UnicodeScalarView(self.unicodeScalars)
        while let last = s.last, last == "\n" || last == "\r" { s.removeLast() }
        return String(s)
    }
}
