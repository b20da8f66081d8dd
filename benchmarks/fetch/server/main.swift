// Serves every file of a folder at /<name> from 127.0.0.1 with a fixed added
// latency per request (keep-alive, one thread per connection), for the fetch
// benchmark. Usage: fetch-bench-server DIR LATENCY_MS PORT_FILE
import Foundation
import _TestSupport

let arguments = CommandLine.arguments
guard arguments.count == 4, let latency = UInt32(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: fetch-bench-server DIR LATENCY_MS PORT_FILE\n".utf8))
    exit(2)
}
var files: [String: [UInt8]] = [:]
for name in try FileManager.default.contentsOfDirectory(atPath: arguments[1]) {
    files["/" + name] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[1] + "/" + name)))
}
let served = files
let server = try TestHTTPServer { request, connection in
    usleep(latency * 1000)
    if let body = served[request.path] {
        connection.respond(status: 200, headers: ["Content-Type": "image/png"], body: body)
    } else {
        connection.respond(status: 404)
    }
}
try "\(server.port)\n".write(toFile: arguments[3], atomically: true, encoding: .utf8)
// Runs until killed.
while true { sleep(60) }
