import CCurl

/// libcurl's process-wide initialisation, done once before the first handle.
enum CurlRuntime {
    static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()
}
