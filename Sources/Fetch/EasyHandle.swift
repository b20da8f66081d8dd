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
    /// Receives each response header line as libcurl gives it (status lines
    /// included, line end not removed).
    var onHeader: (UnsafeRawBufferPointer) -> Void = { _ in }
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    init() {
        guard let handle = gp_curl_easy_init() else { fatalError("curl_easy_init returned NULL: out of memory") }
        raw = handle
        let context = Unmanaged.passUnretained(self).toOpaque()
        setPointer(CURLOPT_WRITEDATA, context)
        gp_curl_easy_setopt_write_function(raw, CURLOPT_WRITEFUNCTION, easyWriteCallback)
        setPointer(CURLOPT_HEADERDATA, context)
        gp_curl_easy_setopt_write_function(raw, CURLOPT_HEADERFUNCTION, easyHeaderCallback)
        set(CURLOPT_NOSIGNAL, 1)
        errorBuffer.withUnsafeMutableBufferPointer { setPointer(CURLOPT_ERRORBUFFER, $0.baseAddress) }
    }

    deinit {
        gp_curl_easy_cleanup(raw)
        if let headerList { gp_curl_slist_free_all(headerList) }
    }

    /// Sets up GETs under `options`, once for every transfer the handle will
    /// make: http(s) only (redirects too), capped redirects and size, time
    /// limits, low-speed abort, compression accepted, connection reuse.
    func configure(options: TransferOptions) {
        set(CURLOPT_HTTPGET, 1)
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        set(CURLOPT_FOLLOWLOCATION, 1)
        set(CURLOPT_MAXREDIRS, options.maxRedirects)
        set(CURLOPT_TIMEOUT_MS, Int(options.timeout * 1000))
        set(CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        set(CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytes)
        set(CURLOPT_LOW_SPEED_TIME, options.lowSpeedSeconds)
        gp_curl_easy_setopt_off(raw, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxBytes))
        set(CURLOPT_USERAGENT, options.userAgent)
        set(CURLOPT_ACCEPT_ENCODING, "")
        set(CURLOPT_TCP_KEEPALIVE, 1)
        setHeaders(["Accept: image/*,*/*;q=0.5"])
    }

    /// Points the handle at its next transfer. A handle is reused for many
    /// transfers one after another (libcurl keeps its options and resets the
    /// per-transfer state itself), which saves creating and tearing one down
    /// for every image.
    func prepare(url: String) {
        set(CURLOPT_URL, url)
        errorBuffer[0] = 0
    }

    private func set(_ option: CURLoption, _ value: Int) { gp_curl_easy_setopt_long(raw, option, value) }
    private func set(_ option: CURLoption, _ value: String) { gp_curl_easy_setopt_string(raw, option, value) }
    private func setPointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) { gp_curl_easy_setopt_pointer(raw, option, value) }

    /// Replaces the request headers ("Name: value" lines).
    private func setHeaders(_ lines: [String]) {
        if let headerList { gp_curl_slist_free_all(headerList) }
        headerList = nil
        for line in lines { headerList = gp_curl_slist_append(headerList, line) }
        gp_curl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, headerList)
    }

    /// libcurl's detailed error text for the last transfer, or the generic one for `code`.
    func errorMessage(_ code: CURLcode) -> String {
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return detail.isEmpty ? String(cString: gp_curl_easy_strerror(code)) : detail
    }

    var responseCode: Int {
        var code = 0
        gp_curl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    var effectiveURL: String? { string(CURLINFO_EFFECTIVE_URL) }
    var contentType: String? { string(CURLINFO_CONTENT_TYPE) }
    /// Where the server redirected to when the redirect was not followed (another scheme).
    var redirectURL: String? { string(CURLINFO_REDIRECT_URL) }

    private func string(_ info: CURLINFO) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard gp_curl_easy_getinfo_string(raw, info, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
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
    handle.onHeader(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
