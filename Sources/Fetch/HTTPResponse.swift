/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    /// The final status code.
    public var statusCode: Int
    /// The URL after redirects.
    public var finalURL: String
    /// The Content-Type header, if any.
    public var contentType: String?
    /// Header lines of the final response, names lower-cased.
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]
}
