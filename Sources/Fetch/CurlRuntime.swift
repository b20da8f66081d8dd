import CCurl

/// libcurl's process-wide initialisation, done once before the first handle.
enum CurlRuntime {
    static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    /// The libcurl version string ("7.88.1").
    static var version: String {
        String(cString: gp_curl_version_string())
    }
}
