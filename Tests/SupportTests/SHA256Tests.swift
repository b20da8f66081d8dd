import Foundation
import Support
import Testing

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        // FIPS 180-4 examples (NIST's published digests).
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Incremental updates in odd pieces, around the 64-byte block size, give
    /// the digest coreutils' sha256sum computes for the same bytes.
    @Test func incrementalDigestsMatchCoreutils() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (n, length) in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 70_001].enumerated() {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 7 &+ n) }
            let path = directory.appendingPathComponent("\(n)").path
            try Data(data).write(to: URL(fileURLWithPath: path))
            var hasher = SHA256()
            var offset = 0
            for size in [1, 63, 64, 65, 3, 1000] where offset + size <= length {
                hasher.update(Array(data[offset..<(offset + size)]))
                offset += size
            }
            hasher.update(Array(data[offset...]))
            let incremental = hasher.finalizeHex()
            #expect(incremental == (try coreutilsDigest(path)), "length \(length)")
            #expect(SHA256.hex(data) == incremental, "length \(length)")
            // A finished hasher starts over.
            hasher.update(data)
            #expect(hasher.finalizeHex() == incremental)
        }
    }

    private func coreutilsDigest(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
