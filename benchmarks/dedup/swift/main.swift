// The near-duplicate search of `pack --dedup near`, timed: ganprep's side of the dedup benchmark.
// Usage: dedup-bench COUNT [RADIUS]
//   COUNT random 64-bit hashes, 1% of them planted near copies (1 to RADIUS bits
//   from an earlier one), searched and inserted in order as pack does, on one
//   core; then the same for a brute-force scan of every earlier hash, on the
//   first few thousand queries, extrapolated; and the time to hash one decoded
//   1920x1080 RGB image. Prints one JSON line.
import Foundation
import Imaging
import Pack
import Support

let args = CommandLine.arguments
guard args.count >= 2, let count = Int(args[1]), count > 1000 else {
    FileHandle.standardError.write(Data("usage: dedup-bench COUNT [RADIUS]\n".utf8))
    exit(2)
}
let radius = args.count > 2 ? Int(args[2]) ?? 6 : 6
var random = SeededGenerator(seed: 7)
var hashes = [UInt64](repeating: 0, count: count)
var planted = [Int?](repeating: nil, count: count)
for i in 0..<count {
    // A planted copy is of an earlier random hash (not of another copy), so that its original is kept and findable.
    if i > 0 && random.below(100) == 0, case let of = random.below(i), planted[of] == nil {
        var h = hashes[of]
        var flipped = Set<Int>()
        let bits = 1 + random.below(radius)
        while flipped.count < bits { flipped.insert(random.below(64)) }
        for b in flipped { h ^= 1 << UInt64(b) }
        hashes[i] = h
        planted[i] = of
    } else {
        hashes[i] = random.next()
    }
}

var index = HammingIndex(radius: radius)
var found = 0, plantedTotal = 0, missed = 0, falseMatches = 0
// Ids in the index are kept positions; map back to input positions.
var keptInput: [Int] = []
keptInput.reserveCapacity(count)
let start = monotonicSeconds()
for i in 0..<count {
    if let near = index.nearest(hashes[i]) {
        if planted[i] != nil { found += 1 } else { falseMatches += 1 }
        _ = keptInput[near.id]
    } else {
        if planted[i] != nil { missed += 1 }
        index.insert(hashes[i])
        keptInput.append(i)
    }
    if planted[i] != nil { plantedTotal += 1 }
}
let seconds = monotonicSeconds() - start

// The all-pairs scan on the first `sample` queries, extrapolated to `count` (quadratic).
let sample = 4000
var scanned = [UInt64]()
let scanStart = monotonicSeconds()
var scanFound = 0
for i in 0..<sample {
    var hit = false
    for h in scanned where (h ^ hashes[i]).nonzeroBitCount <= radius { hit = true; break }
    if hit { scanFound += 1 } else { scanned.append(hashes[i]) }
}
let scanSeconds = (monotonicSeconds() - scanStart) * Double(count) * Double(count) / Double(sample * sample)
// dHash of a decoded full-HD photo-sized image (what pack hashes for a PNG, which has no DCT scaling).
var pixels = [UInt8](repeating: 0, count: 1920 * 1080 * 3)
for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: random.next()) }
let photo = DecodedImage(width: 1920, height: 1080, channels: 3, pixels: pixels)
var sink: UInt64 = 0
let hashStart = monotonicSeconds()
for _ in 0..<20 { sink ^= PerceptualHash.dHash(photo) }
let hashSeconds = (monotonicSeconds() - hashStart) / 20

print("{\"dhash_1920x1080_ms\": \(hashSeconds * 1000), \"sink\": \(sink & 1), \"count\": \(count), \"radius\": \(radius), \"planted\": \(plantedTotal), \"found\": \(found), \"missed\": \(missed), "
      + "\"other_matches\": \(falseMatches), \"seconds\": \(seconds), \"brute_force_seconds_extrapolated\": \(scanSeconds)}")
