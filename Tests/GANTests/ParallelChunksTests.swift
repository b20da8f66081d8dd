import Foundation
@testable import GAN
import Support
import Synchronization
import Testing

@Suite struct ParallelChunksTests {
    @Test(arguments: [(0, 2), (100, 2), (300_001, 2), (300_001, 3), (1 << 20, 2), (1 << 20, 1)])
    func chunksCoverTheRangeOnceOnVectorBoundaries(count: Int, threads: Int) {
        let seen = Mutex<[Range<Int>]>([])
        forEachChunk(count, threads: threads, minimumChunk: 1 << 16) { range in seen.withLock { $0.append(range) } }
        let ranges = seen.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        let expectedCount = max(1, min(threads, count / (1 << 16)))
        #expect(ranges.count == expectedCount)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        // Every range but the last starts and ends on a 16-element boundary, where Adam's vector loop would.
        for range in ranges.dropLast() { #expect(range.lowerBound % 16 == 0 && range.upperBound % 16 == 0) }
    }

    /// Two Adam steps on a parameter large enough to be split over threads,
    /// against the Keras update written out one element at a time; then
    /// the gradients zeroed by `Sequential.zeroGradients`, all of them.
    @Test func adamOverChunksMatchesTheScalarUpdateAndGradientsAreZeroed() {
        let count = 3 * (1 << 17) + 7
        let dense = Dense(name: "d", inputSize: 1, units: count)
        let model = Sequential(name: "m", layers: [dense])
        let p = dense.parameters[0]
        var random = SeededGenerator(seed: 4)
        random.fillNormal(p.value)
        var w = p.value.array, m = [Float](repeating: 0, count: count), v = m
        let adam = Adam(learningRate: 0.01, beta1: 0.5, beta2: 0.999, epsilon: 1e-7)
        for step in 1...2 {
            random.fillNormal(p.gradient)
            let g = p.gradient.array
            adam.step([p])
            let lr = Float(0.01) * (1 - powf(0.999, Float(step))).squareRoot() / (1 - powf(0.5, Float(step)))
            for i in 0..<count {
                m[i] = 0.5 * m[i] + (1 - 0.5) * g[i]
                v[i] = 0.999 * v[i] + (1 - 0.999) * g[i] * g[i]
                w[i] -= lr * m[i] / (v[i].squareRoot() + 1e-7)
            }
            let differing = (0..<count).filter { p.value.data[$0] != w[$0] }.count
            #expect(differing == 0, "step \(step): \(differing) of \(count) weights differ from the scalar update")
        }
        random.fillNormal(dense.parameters[1].gradient)
        #expect(p.gradient.array.contains { $0 != 0 } && dense.parameters[1].gradient.array.contains { $0 != 0 })
        model.zeroGradients()
        #expect(p.gradient.array.filter { $0 != 0 }.count == 0)
        #expect(dense.parameters[1].gradient.array.filter { $0 != 0 }.count == 0)
    }
}
