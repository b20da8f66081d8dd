import COpenBLAS
import Synchronization

/// OpenBLAS for the whole program: loading, threads, and the float32
/// matrix products the GAN runs on (row-major). The double-precision
/// algebra of the metrics (`DoubleAlgebra`) goes through the same lock.
public enum BLAS {
    /// OpenBLAS's thread count for GEMM (process-wide).
    public static var threads: Int {
        get { Int(gp_openblas_get_num_threads()) }
        set { gp_openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Loads OpenBLAS, if it is not loaded yet (the first product would
    /// load it too, and stop the program if it could not): a command that
    /// needs linear algebra calls this first, to fail with a message.
    public static func load() throws(BLASError) {
        if let failure = gp_blas_load() { throw BLASError(message: String(cString: failure)) }
    }

    /// OpenBLAS's threaded builds share internal buffers between callers:
    /// products from several threads at once can corrupt each other, so
    /// every call into it is serialized (uncontended in training, where one
    /// thread computes).
    public static let callLock = Mutex<Void>(())

    /// C = alpha * op(A) * op(B) + beta * C, with op(X) = X or Xᵀ.
    /// - Parameters: `m` x `k` is op(A)'s shape, `k` x `n` op(B)'s, `m` x `n` C's.
    ///   `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored.
    @inline(__always)
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        callLock.withLock { _ in
            gp_cblas_sgemm(Int32(GP_BLAS_ROW_MAJOR), Int32(transposeA ? GP_BLAS_TRANS : GP_BLAS_NO_TRANS),
                           Int32(transposeB ? GP_BLAS_TRANS : GP_BLAS_NO_TRANS),
                           Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// The product of a row-major `m` x `k` matrix and a `k` x `n` matrix.
    public static func multiply(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        precondition(a.count == m * k, "a must hold \(m)x\(k) values, has \(a.count)")
        precondition(b.count == k * n, "b must hold \(k)x\(n) values, has \(b.count)")
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                         c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }
}

/// OpenBLAS could not be loaded.
public struct BLASError: Error, CustomStringConvertible, Sendable {
    /// The loader's words.
    public let message: String
    /// The message.
    public var description: String { message }
}
