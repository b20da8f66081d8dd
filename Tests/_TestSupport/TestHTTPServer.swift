import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A request as the test server parsed it.
public struct TestHTTPRequest: Sendable {
    public var method: String
    /// The path with its query string.
    public var path: String
    /// Header names lower-cased.
    public var headers: [String: String]
}

/// One accepted connection; handlers write raw bytes or whole responses.
public final class TestHTTPConnection: @unchecked Sendable {
    let fd: Int32
    /// Set by a handler that wants the connection closed after its response.
    public var closeAfterResponse = false

    init(fd: Int32) { self.fd = fd }

    /// Writes bytes; false once the peer has gone.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Writes a complete response with Content-Length.
    public func respond(status: Int, reason: String = "", headers: [String: String] = [:], body: [UInt8] = []) {
        var head = "HTTP/1.1 \(status) \(reason.isEmpty ? TestHTTPConnection.reason(status) : reason)\r\n"
        var allHeaders = headers
        if allHeaders["Content-Length"] == nil { allHeaders["Content-Length"] = "\(body.count)" }
        if closeAfterResponse { allHeaders["Connection"] = "close" }
        for (name, value) in allHeaders.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        _ = send(Array(head.utf8) + body)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// A real HTTP/1.1 server on 127.0.0.1 with an ephemeral port, one thread per
/// connection, keep-alive, for tests that need a real peer. The handler sees
/// each request and writes whatever it likes, including broken responses.
public final class TestHTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (TestHTTPRequest, TestHTTPConnection) -> Void

    public let port: Int
    private let listenFD: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var stopped = false
    private var connections: Set<Int32> = []
    private var requestLog: [String] = []
    /// Whether requested paths are kept (a soak of a million requests does not keep them).
    private let keepLog: Bool

    /// The base URL, "http://127.0.0.1:PORT".
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Paths requested so far, in order of arrival.
    public var requestedPaths: [String] { lock.withLock { requestLog } }

    /// A server on an ephemeral port of 127.0.0.1; `keepLog: false` keeps no `requestedPaths`.
    public init(keepLog: Bool = true, handler: @escaping Handler) throws {
        self.handler = handler
        self.keepLog = keepLog
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 256) == 0 else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting and closes every open connection.
    public func stop() {
        // Shut down and close only under the lock: a descriptor closed
        // elsewhere in between could already belong to another socket.
        lock.withLock {
            if stopped { return }
            stopped = true
            shutdown(listenFD, Int32(SHUT_RDWR))
            for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        while !isStopped {
            var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 100) <= 0 { continue }
            let client = accept(listenFD, nil, nil)
            if client < 0 { continue }
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let accepted: Bool = lock.withLock {
                if stopped { close(client); return false }
                connections.insert(client)
                return true
            }
            guard accepted else { break }
            let thread = Thread { [self] in serve(client) }
            thread.stackSize = 1 << 20
            thread.start()
        }
        lock.withLock { _ = close(listenFD) }
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.withLock {
                connections.remove(fd)
                close(fd)
            }
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        let connection = TestHTTPConnection(fd: fd)
        while !isStopped {
            // Read until a full request head is buffered.
            var headEnd: Int?
            while headEnd == nil {
                headEnd = Self.find([13, 10, 13, 10], in: buffer)
                if headEnd != nil { break }
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
                if buffer.count > 1 << 16 { return }
            }
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
            buffer.removeFirst(headEnd! + 4)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count >= 2 else { return }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let request = TestHTTPRequest(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers)
            if keepLog { lock.withLock { requestLog.append(request.path) } }
            connection.closeAfterResponse = headers["connection"]?.lowercased() == "close"
            handler(request, connection)
            if connection.closeAfterResponse { return }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

/// Paths to the repository's Fixtures folder and scratch directories.
public enum TestPaths {
    /// The repository root, found from this source file's location.
    public static let repositoryRoot: URL = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// `Fixtures/<name>`.
    public static func fixture(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// The bytes of `Fixtures/<name>`.
    public static func fixtureBytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixture(name)))
    }

    /// A folder under `dir` with links to the first `count` demo clothing
    /// images (Fixtures/fashion-mnist/images), for packing.
    public static func linkDemoImages(_ count: Int, into dir: URL) throws -> URL {
        let folder = dir.appendingPathComponent("demo-images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = fixture("fashion-mnist/images")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().prefix(count) {
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(name), withDestinationURL: source.appendingPathComponent(name))
        }
        return folder
    }

    /// The first `count` demo images (of `classes` only, when given) in one
    /// sub-folder per class, named by their descriptions in the demo records
    /// ("/" written as "-"), as symbolic links into `dir`/classes.
    public static func labelledDemoFolder(_ count: Int, classes: Set<String>? = nil, into dir: URL) throws -> URL {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("manifests/fashion-demo.json"))
        guard let entries = try JSONSerialization.jsonObject(with: data) as? [[String: String]] else { throw CocoaError(.fileReadCorruptFile) }
        let folder = dir.appendingPathComponent("classes")
        let source = fixture("fashion-mnist/images")
        for entry in entries.filter({ classes?.contains($0["description"] ?? "") ?? true }).prefix(count) {
            guard let url = entry["url"], let description = entry["description"] else { continue }
            let name = String(url.split(separator: "/").last ?? "")
            let classFolder = folder.appendingPathComponent(description.replacingOccurrences(of: "/", with: "-"))
            try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: classFolder.appendingPathComponent(name), withDestinationURL: source.appendingPathComponent(name))
        }
        return folder
    }

    /// A fresh, empty temporary directory.
    public static func temporaryDirectory(_ label: String = "ganprep-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A local port on which nothing listens. The socket stays bound (never
    /// listening) for the life of the test process, so no other test's
    /// server can take the port and connections to it are refused.
    public static func refusedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
