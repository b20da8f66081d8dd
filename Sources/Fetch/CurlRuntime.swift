import CCurl

/// libcurl, loaded (CCurl opens it when first used) and initialised once
/// per process, before the first handle.
enum CurlRuntime {
    /// nil, or why libcurl could not be loaded or initialised.
    static let loadFailure: String? = gp_curl_load().map { String(cString: $0) }
}
