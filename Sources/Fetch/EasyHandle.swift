import CCurl

/// What a test puts in place of libcurl's answer for an option: a code to
/// return instead of setting it, or nil to let libcurl set it.
typealias CurlOptionOverride = @Sendable (CURLoption) -> CURLcode?

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
    /// Replaces libcurl's answer for an option (tests force a refusal through it); nil: libcurl's own.
    private let override: CurlOptionOverride?

    /// A handle with its callbacks set; every option's result is checked.
    /// - Throws: `FetchError.library` when libcurl cannot make a handle, `.curlOption` when it refuses an option.
    init(override: CurlOptionOverride? = nil) throws(FetchError) {
        guard let handle = gp_curl_easy_init() else { throw .libraryInit(function: "curl_easy_init") }
        raw = handle
        self.override = override
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check("CURLOPT_WRITEDATA", CURLOPT_WRITEDATA) { gp_curl_easy_setopt_pointer(raw, $0, context) }
        try check("CURLOPT_WRITEFUNCTION", CURLOPT_WRITEFUNCTION) { gp_curl_easy_setopt_write_function(raw, $0, easyWriteCallback) }
        try check("CURLOPT_HEADERDATA", CURLOPT_HEADERDATA) { gp_curl_easy_setopt_pointer(raw, $0, context) }
        try check("CURLOPT_HEADERFUNCTION", CURLOPT_HEADERFUNCTION) { gp_curl_easy_setopt_write_function(raw, $0, easyHeaderCallback) }
        try set("CURLOPT_NOSIGNAL", CURLOPT_NOSIGNAL, 1)
        let buffer = errorBuffer.withUnsafeMutableBufferPointer { $0.baseAddress }
        try check("CURLOPT_ERRORBUFFER", CURLOPT_ERRORBUFFER) { gp_curl_easy_setopt_pointer(raw, $0, buffer) }
    }

    deinit {
        gp_curl_easy_cleanup(raw)
        if let headerList { gp_curl_slist_free_all(headerList) }
    }

    /// Sets up GETs under `options`, once for every transfer the handle will
    /// make: http(s) only (redirects too), capped redirects and size, time
    /// limits, low-speed abort, compression accepted, connection reuse. Fetch's
    /// safety rests on these: an option libcurl refuses is an error, never a
    /// transfer without it.
    func configure(options: TransferOptions) throws(FetchError) {
        try set("CURLOPT_HTTPGET", CURLOPT_HTTPGET, 1)
        try set("CURLOPT_PROTOCOLS_STR", CURLOPT_PROTOCOLS_STR, "http,https")
        try set("CURLOPT_REDIR_PROTOCOLS_STR", CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set("CURLOPT_FOLLOWLOCATION", CURLOPT_FOLLOWLOCATION, 1)
        try set("CURLOPT_MAXREDIRS", CURLOPT_MAXREDIRS, options.maxRedirects)
        try set("CURLOPT_TIMEOUT_MS", CURLOPT_TIMEOUT_MS, Int(options.timeout * 1000))
        try set("CURLOPT_CONNECTTIMEOUT_MS", CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        try set("CURLOPT_LOW_SPEED_LIMIT", CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytes)
        try set("CURLOPT_LOW_SPEED_TIME", CURLOPT_LOW_SPEED_TIME, options.lowSpeedSeconds)
        try check("CURLOPT_MAXFILESIZE_LARGE", CURLOPT_MAXFILESIZE_LARGE) { gp_curl_easy_setopt_off(raw, $0, curl_off_t(options.maxBytes)) }
        try set("CURLOPT_USERAGENT", CURLOPT_USERAGENT, options.userAgent)
        try set("CURLOPT_ACCEPT_ENCODING", CURLOPT_ACCEPT_ENCODING, "")
        try set("CURLOPT_TCP_KEEPALIVE", CURLOPT_TCP_KEEPALIVE, 1)
        try setHeaders(["Accept: image/*,*/*;q=0.5"])
    }

    /// Points the handle at its next transfer. A handle is reused for many
    /// transfers one after another (libcurl keeps its options and resets the
    /// per-transfer state itself), which saves creating and tearing one down
    /// for every image.
    /// - Throws: `.curlOption` when libcurl refuses the URL (out of memory, or longer than it accepts).
    func prepare(url: String) throws(FetchError) {
        try set("CURLOPT_URL", CURLOPT_URL, url)
        errorBuffer[0] = 0
    }

    /// Runs `apply` (a setopt call) unless the override answers for `option`, and throws on anything but CURLE_OK.
    private func check(_ name: String, _ option: CURLoption, _ apply: (CURLoption) -> CURLcode) throws(FetchError) {
        let code = override?(option) ?? apply(option)
        guard code == CURLE_OK else {
            throw .curlOption(name: name, code: Int(code.rawValue), message: String(cString: gp_curl_easy_strerror(code)))
        }
    }

    private func set(_ name: String, _ option: CURLoption, _ value: Int) throws(FetchError) {
        try check(name, option) { gp_curl_easy_setopt_long(raw, $0, value) }
    }

    private func set(_ name: String, _ option: CURLoption, _ value: String) throws(FetchError) {
        try check(name, option) { gp_curl_easy_setopt_string(raw, $0, value) }
    }

    /// Replaces the request headers ("Name: value" lines).
    private func setHeaders(_ lines: [String]) throws(FetchError) {
        if let headerList { gp_curl_slist_free_all(headerList) }
        headerList = nil
        for line in lines { headerList = gp_curl_slist_append(headerList, line) }
        let list = headerList
        try check("CURLOPT_HTTPHEADER", CURLOPT_HTTPHEADER) { gp_curl_easy_setopt_slist(raw, $0, list) }
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
