import CSHA256

/// SHA-256 (FIPS 180-4), incremental, for file digests in the manifest and
/// the dataset. Block compression runs in C, on the CPU's SHA extensions
/// when it has them.
public struct SHA256: Sendable {
    private var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var buffer = [UInt8](repeating: 0, count: 64)
    private var buffered = 0
    private var length: UInt64 = 0

    public init() {}

    /// Whether the CPU's SHA extensions are in use.
    public static var usesSHAExtensions: Bool { gp_sha256_uses_sha_extensions() != 0 }

    /// The hex digest of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var pointer = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return }
        var remaining = bytes.count
        length &+= UInt64(remaining)
        if buffered > 0 {
            let take = min(64 - buffered, remaining)
            buffer.withUnsafeMutableBufferPointer { b in
                for i in 0..<take { b[buffered + i] = pointer[i] }
            }
            buffered += take
            pointer += take
            remaining -= take
            if buffered == 64 {
                compress(buffer, blocks: 1)
                buffered = 0
            }
        }
        if remaining >= 64 {
            let blocks = remaining / 64
            compress(UnsafePointer(pointer), blocks: blocks)
            pointer += blocks * 64
            remaining -= blocks * 64
        }
        if remaining > 0 {
            buffer.withUnsafeMutableBufferPointer { b in
                for i in 0..<remaining { b[i] = pointer[i] }
            }
            buffered = remaining
        }
    }

    private mutating func compress(_ data: UnsafePointer<UInt8>, blocks: Int) {
        state.withUnsafeMutableBufferPointer { gp_sha256_blocks($0.baseAddress, data, blocks) }
    }

    private mutating func compress(_ block: [UInt8], blocks: Int) {
        block.withUnsafeBufferPointer { compress($0.baseAddress!, blocks: blocks) }
    }

    /// Finishes and returns the digest as 64 lower-case hex digits.
    public mutating func finalizeHex() -> String {
        let bitLength = length &* 8
        var padding: [UInt8] = [0x80]
        padding += [UInt8](repeating: 0, count: buffered < 56 ? 55 - buffered : 119 - buffered)
        for shift in stride(from: 56, through: 0, by: -8) { padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        update(padding)
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for word in state {
            for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((word >> UInt32(shift)) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
