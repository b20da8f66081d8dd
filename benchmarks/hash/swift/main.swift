// make bench: SHA-256 throughput of ganprep's hasher (libcrypto's EVP) on
// buffers of the sizes pack and fetch hash (a 20 KiB image, a 1 MiB photo).
import Foundation
import Support

let total = Int(CommandLine.arguments.dropFirst().first ?? "") ?? (512 << 20)
for size in [20 << 10, 1 << 20] {
    let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) }
    var digest = ""
    let rounds = max(1, total / size)
    let start = monotonicSeconds()
    for _ in 0..<rounds { digest = SHA256.hex(data) }
    let seconds = monotonicSeconds() - start
    let megabytes = Double(rounds * size) / 1e6
    print("ganprep sha256 \(size / 1024) KiB buffers: \(String(format: "%.0f", megabytes / seconds)) MB/s (\(digest.prefix(8)))")
}
