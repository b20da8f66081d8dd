import Pack
import Support
import Testing

/// The multi-index hash against a brute-force scan.
@Suite struct HammingIndexTests {
    @Test(arguments: [0, 3, 6, 10, 15])
    func nearestMatchesABruteForceScan(radius: Int) {
        var random = SeededGenerator(seed: UInt64(radius) + 1)
        var index = HammingIndex(radius: radius)
        var stored: [UInt64] = []
        for i in 0..<6000 {
            var hash = random.next()
            // Every fifth a near copy of an earlier one, at a distance up to radius + 2.
            if i % 5 == 4, let base = stored.randomElement(using: &random) {
                hash = base
                for _ in 0..<random.below(radius + 3) { hash ^= 1 << UInt64(random.below(64)) }
            }
            let expected = stored.enumerated().map { (id: $0.offset, distance: ($0.element ^ hash).nonzeroBitCount) }
                .filter { $0.distance <= radius }.min { ($0.distance, $0.id) < ($1.distance, $1.id) }
            let found = index.nearest(hash)
            #expect(found?.id == expected?.id && found?.distance == expected?.distance, "query \(i): \(String(describing: found)) vs \(String(describing: expected))")
            if found == nil { index.insert(hash); stored.append(hash) }
            if i > 2000 && radius != 6 { break }  // The brute force is quadratic; one radius gets the long run.
        }
        #expect(index.count == stored.count && index.hashes == stored)
    }
}
