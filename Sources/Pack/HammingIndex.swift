/// Finds, among the 64-bit hashes inserted so far, the nearest one within
/// `radius` bits of a query, without comparing all pairs: multi-index hashing
/// (Norouzi et al., 2012). Each hash is split into 4 bands of 16 bits; by the
/// pigeonhole principle, two hashes within `radius` bits differ in at least
/// one band by at most `radius / 4` bits, so a query looks up, in each band,
/// the bucket of every value within that many bits of its own band (17 buckets
/// per band for radius 4 to 7) and checks only the hashes found there.
///
/// A bucket is a chain of blocks of 16 words: a header (how many hashes the
/// block holds, and the bucket's older block) and up to 15 hashes side by
/// side, so a lookup reads two adjacent cache lines rather than one scattered
/// entry per candidate; the ids sit in a parallel array, read only on a match.
public struct HammingIndex: Sendable {
    /// The largest radius served (more would probe too many buckets per band).
    public static let maxRadius = 15
    static let blockWords = 16
    /// Hashes within this many differing bits are neighbours.
    public let radius: Int
    /// The hashes inserted, in order (their index is their id).
    public private(set) var hashes: [UInt64] = []
    /// The newest block of each bucket (band << 16 | band value), -1 for none.
    private var heads: [Int32]
    /// Blocks: word 0 is used count | (older block + 1) << 32; words 1...15 the hashes.
    private var blocks: [UInt64] = []
    /// Each hash's id, at the same position as the hash in `blocks`.
    private var ids: [Int32] = []
    /// Band values within `radius / 4` bits of 0, XOR-ed with a band to probe.
    private let probes: [UInt16]

    /// An empty index for neighbours within `radius` bits.
    public init(radius: Int) {
        precondition((0...Self.maxRadius).contains(radius), "radius \(radius) outside 0...\(Self.maxRadius)")
        self.radius = radius
        heads = [Int32](repeating: -1, count: 4 << 16)
        var masks: [UInt16] = [0]
        let bandRadius = radius / 4
        if bandRadius >= 1 { for i in 0..<16 { masks.append(1 << UInt16(i)) } }
        if bandRadius >= 2 { for i in 0..<16 { for j in (i + 1)..<16 { masks.append(1 << UInt16(i) | 1 << UInt16(j)) } } }
        if bandRadius >= 3 {
            for i in 0..<16 { for j in (i + 1)..<16 { for k in (j + 1)..<16 { masks.append(1 << UInt16(i) | 1 << UInt16(j) | 1 << UInt16(k)) } } }
        }
        probes = masks
    }

    /// Hashes inserted.
    public var count: Int { hashes.count }

    @inline(__always)
    private static func band(_ hash: UInt64, _ b: Int) -> Int { Int((hash >> UInt64(16 * b)) & 0xFFFF) }

    /// Adds `hash`; its id is the number of hashes before it.
    public mutating func insert(_ hash: UInt64) {
        let id = Int32(hashes.count)
        hashes.append(hash)
        for b in 0..<4 {
            let slot = b << 16 | Self.band(hash, b)
            var block = Int(heads[slot])
            if block < 0 || blocks[block * Self.blockWords] & 0xFFFF_FFFF == UInt64(Self.blockWords - 1) {
                let fresh = blocks.count / Self.blockWords
                blocks.append(UInt64(block + 1) << 32)
                blocks.append(contentsOf: repeatElement(0, count: Self.blockWords - 1))
                ids.append(contentsOf: repeatElement(0, count: Self.blockWords))
                heads[slot] = Int32(fresh)
                block = fresh
            }
            let header = block * Self.blockWords
            let used = Int(blocks[header] & 0xFFFF_FFFF)
            blocks[header + 1 + used] = hash
            ids[header + 1 + used] = id
            blocks[header] += 1
        }
    }

    /// The nearest inserted hash within `radius` bits of `hash` (the
    /// earliest inserted among equally near ones), or nil.
    public func nearest(_ hash: UInt64) -> (id: Int, distance: Int)? {
        var bestId = Int32.max, bestDistance = radius + 1
        let lookups = 4 * probes.count
        heads.withUnsafeBufferPointer { heads in
            blocks.withUnsafeBufferPointer { blocks in
                ids.withUnsafeBufferPointer { ids in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: lookups) { first in
                        // The buckets' newest blocks first, then their headers, each a pass of
                        // independent loads, so the memory system serves them side by side
                        // rather than one cache miss after another.
                        var n = 0
                        for b in 0..<4 {
                            let own = UInt16(Self.band(hash, b))
                            for mask in probes {
                                first[n] = Int(heads[b << 16 | Int(own ^ mask)])
                                n += 1
                            }
                        }
                        var touched: UInt64 = 0
                        for i in 0..<lookups where first[i] >= 0 { touched &+= blocks[first[i] * Self.blockWords] &+ blocks[first[i] * Self.blockWords + 8] }
                        for i in 0..<lookups {
                            var block = first[i]
                            while block >= 0 {
                                let header = block * Self.blockWords
                                let word = blocks[header]
                                for k in (header + 1)..<(header + 1 + Int(word & 0xFFFF_FFFF)) {
                                    let d = (blocks[k] ^ hash).nonzeroBitCount
                                    if d < bestDistance || (d == bestDistance && ids[k] < bestId) {
                                        bestDistance = d
                                        bestId = ids[k]
                                    }
                                }
                                block = Int(word >> 32) - 1
                            }
                        }
                        if touched == UInt64.max { bestDistance += 0 }  // Keeps the touching loads.
                    }
                }
            }
        }
        return bestDistance <= radius ? (Int(bestId), bestDistance) : nil
    }
}
