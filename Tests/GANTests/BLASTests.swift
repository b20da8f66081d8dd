import GAN
import LinearAlgebra
import Testing

@Suite struct BLASTests {
    /// A deterministic pseudo-random matrix.
    func matrix(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(state >> 40) % 2001 - 1000) / 1000
        }
    }

    @Test func sgemmMatchesNaiveProductForNonSquareMatrices() {
        let (m, k, n) = (7, 13, 5)
        let a = matrix(m * k, seed: 1)
        let b = matrix(k * n, seed: 2)
        let c = BLAS.multiply(a, b, m: m, k: k, n: n)
        for i in 0..<m {
            for j in 0..<n {
                var expected: Float = 0
                for p in 0..<k { expected += a[i * k + p] * b[p * n + j] }
                #expect(abs(c[i * n + j] - expected) < 1e-4, "C[\(i),\(j)] = \(c[i * n + j]), expected \(expected)")
            }
        }
    }

    @Test func sgemmHonoursTransposeAlphaAndBeta() {
        let (m, k, n) = (4, 6, 3)
        let aT = matrix(k * m, seed: 3)  // stored k x m, used as its transpose
        let b = matrix(k * n, seed: 4)
        var c = [Float](repeating: 1, count: m * n)
        aT.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(transposeA: true, m: m, n: n, k: k, alpha: 2, a: pa.baseAddress!, lda: m,
                              b: pb.baseAddress!, ldb: n, beta: 0.5, c: pc.baseAddress!, ldc: n)
                }
            }
        }
        for i in 0..<m {
            for j in 0..<n {
                var dot: Float = 0
                for p in 0..<k { dot += aT[p * m + i] * b[p * n + j] }
                #expect(abs(c[i * n + j] - (2 * dot + 0.5)) < 1e-4)
            }
        }
    }
}
