import Fetch
import Foundation
import Testing
import _TestSupport

@Suite struct HTTPClientTests {
    @Test func getReturnsTheServedBytes() throws {
        let image = try TestPaths.fixtureBytes("images/chelsea.jpg")
        let server = try TestHTTPServer { request, connection in
            if request.path == "/chelsea.jpg" {
                connection.respond(status: 200, headers: ["Content-Type": "image/jpeg", "X-Robots-Tag": "all"], body: image)
            } else {
                connection.respond(status: 404, body: Array("no".utf8))
            }
        }
        defer { server.stop() }
        let response = try HTTPClient.get(server.baseURL + "/chelsea.jpg")
        #expect(response.statusCode == 200)
        #expect(response.body == image)
        #expect(response.contentType == "image/jpeg")
        #expect(response.finalURL == server.baseURL + "/chelsea.jpg")
        // Header values come without the line's CR LF ("\r\n" is one Character in Swift).
        #expect(response.headers["x-robots-tag"] == "all")
        #expect(response.headers["content-length"] == "\(image.count)")
    }

    @Test func notFoundIsATypedHTTPError() throws {
        let server = try TestHTTPServer { _, connection in connection.respond(status: 404, body: Array("missing".utf8)) }
        defer { server.stop() }
        let url = server.baseURL + "/missing.jpg"
        #expect(throws: TransferError.httpStatus(code: 404, url: url)) { try HTTPClient.get(url) }
    }

    @Test func refusedConnectionIsATypedConnectionError() throws {
        let url = "http://127.0.0.1:\(TestPaths.refusedPort())/x.jpg"
        #expect { try HTTPClient.get(url) } throws: { error in
            guard case TransferError.connection(let failedURL, _) = error else { return false }
            return failedURL == url
        }
    }

    @Test func nonHTTPSchemesAreRefused() throws {
        #expect(throws: TransferError.badScheme(url: "file:///etc/passwd")) { try HTTPClient.get("file:///etc/passwd") }
    }
}
