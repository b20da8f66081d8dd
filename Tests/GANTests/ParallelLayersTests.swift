import Foundation
@testable import GAN
import LinearAlgebra
import Support
import Synchronization
import Testing

/// Layers whose passes are split over the BLAS threads, on tensors large
/// enough to be split: against their formulas, and the same bits on one
/// thread and on two.
@Suite(.serialized) struct ParallelLayersTests {
    /// Splits the passes over `threads` for this task only: OpenBLAS's
    /// process-wide count stays as the other tests running beside this one set it.
    private static func withThreads<T>(_ threads: Int, _ body: () -> T) -> T {
        PassThreads.$override.withValue(threads) { body() }
    }

    private static func differing(_ a: [Float], _ b: [Float]) -> Int { zip(a, b).filter { $0 != $1 }.count + abs(a.count - b.count) }

    @Test func theBindingSplitsThisTasksPassesAndLeavesOpenBLASsCount() {
        let openBLAS = BLAS.threads
        let ranges = Mutex<[Range<Int>]>([])
        Self.withThreads(openBLAS + 1) {
            forEachChunk(1 << 20) { range in ranges.withLock { $0.append(range) } }
        }
        #expect(ranges.withLock { $0.count } == openBLAS + 1)
        #expect(ranges.withLock { $0.map(\.count).reduce(0, +) } == 1 << 20)
        #expect(BLAS.threads == openBLAS)
    }

    @Test func batchNormOverSplitRowsMatchesTheFormulasOnAnyThreadCount() {
        let shape = [64, 32, 32, 16], c = 16
        var random = SeededGenerator(seed: 7)
        let x = Tensor(shape: shape), dy = Tensor(shape: shape)
        random.fillNormal(x)
        random.fillNormal(dy)
        for i in 0..<x.count { x.data[i] = 3 * x.data[i] + Float(i % c) }  // a mean and a spread per channel
        let gammas = (0..<c).map { Float($0) / 8 + 0.5 }, betas = (0..<c).map { Float($0) / 4 - 1 }
        func run(threads: Int) -> (y: [Float], dx: [Float], dGamma: [Float], dBeta: [Float]) {
            Self.withThreads(threads) {
                let bn = BatchNorm(name: "bn", features: c)
                for j in 0..<c { bn.gamma.value.data[j] = gammas[j]; bn.beta.value.data[j] = betas[j] }
                let y = bn.forward(x, training: true).array
                let dx = bn.backward(dy, needsInputGradient: true, accumulateParameterGradients: true)!.array
                return (y, dx, bn.gamma.gradient.array, bn.beta.gradient.array)
            }
        }
        let one = run(threads: 1), two = run(threads: 2)
        #expect(Self.differing(one.y, two.y) == 0 && Self.differing(one.dx, two.dx) == 0)
        #expect(Self.differing(one.dGamma, two.dGamma) == 0 && Self.differing(one.dBeta, two.dBeta) == 0)

        // The formulas in Double: y = gamma (x - mean) / sqrt(var + eps) + beta;
        // dbeta = sum dy, dgamma = sum dy xhat, dx = gamma inv / N (N dy - dbeta - xhat dgamma).
        let rows = x.count / c, n = Double(rows)
        var mean = [Double](repeating: 0, count: c), variance = mean, dBeta = mean, dGamma = mean
        for i in 0..<x.count { mean[i % c] += Double(x.data[i]) / n }
        for i in 0..<x.count { let d = Double(x.data[i]) - mean[i % c]; variance[i % c] += d * d / n }
        let inv = variance.map { 1 / ($0 + 0.001).squareRoot() }
        func xhat(_ i: Int) -> Double { (Double(x.data[i]) - mean[i % c]) * inv[i % c] }
        for i in 0..<x.count { dBeta[i % c] += Double(dy.data[i]); dGamma[i % c] += Double(dy.data[i]) * xhat(i) }
        var worstY = 0.0, worstDx = 0.0
        for i in 0..<x.count {
            let j = i % c
            worstY = max(worstY, abs(Double(two.y[i]) - (Double(gammas[j]) * xhat(i) + Double(betas[j]))))
            let dx = Double(gammas[j]) * inv[j] / n * (n * Double(dy.data[i]) - dBeta[j] - xhat(i) * dGamma[j])
            worstDx = max(worstDx, abs(Double(two.dx[i]) - dx))
        }
        #expect(worstY < 1e-4, "y differs from the formula by \(worstY)")
        #expect(worstDx < 1e-4, "dx differs from the formula by \(worstDx)")
        for j in 0..<c {
            #expect(abs(Double(two.dBeta[j]) - dBeta[j]) < 1e-3 * max(1, abs(dBeta[j])), "dbeta[\(j)]")
            #expect(abs(Double(two.dGamma[j]) - dGamma[j]) < 1e-3 * max(1, abs(dGamma[j])), "dgamma[\(j)]")
        }
    }

    @Test func activationsOverSplitRangesMatchTheirFormulas() {
        let count = 300_001
        var random = SeededGenerator(seed: 8)
        let x = Tensor(shape: [count]), dy = Tensor(shape: [count])
        random.fillNormal(x)
        random.fillNormal(dy)
        let results = [1, 2].map { threads in
            Self.withThreads(threads) { () -> ([Float], [Float]) in
                let layer = LeakyReLU(name: "a", alpha: 0.2)
                let y = layer.forward(x, training: true).array
                return (y, layer.backward(dy, needsInputGradient: true, accumulateParameterGradients: true)!.array)
            }
        }
        let y = (0..<count).map { x.data[$0] > 0 ? x.data[$0] : 0.2 * x.data[$0] }
        let dx = (0..<count).map { x.data[$0] > 0 ? dy.data[$0] : 0.2 * dy.data[$0] }
        for (y2, dx2) in results {
            #expect(Self.differing(y2, y) == 0 && Self.differing(dx2, dx) == 0)
        }
    }
}
