import CSHA256
import Records
import Testing

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesInOddPiecesGiveTheSameDigest() {
        let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }
        var hasher = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 127, 1000, 3] {
            hasher.update(Array(data[offset..<(offset + size)]))
            offset += size
        }
        hasher.update(Array(data[offset...]))
        #expect(hasher.finalizeHex() == SHA256.hex(data))
    }

    @Test func extensionsPathAgreesWithThePortablePath() {
        // On CPUs with SHA extensions the two paths are different code.
        let data = (0..<(64 * 37)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        var a: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var b = a
        data.withUnsafeBufferPointer { d in
            a.withUnsafeMutableBufferPointer { gp_sha256_blocks($0.baseAddress, d.baseAddress, 37) }
            b.withUnsafeMutableBufferPointer { gp_sha256_blocks_portable($0.baseAddress, d.baseAddress, 37) }
        }
        #expect(a == b)
    }
}
