import COpenBLAS
import Synchronization

/// Matrix products on OpenBLAS. Matrices are row-major float32.
public enum BLAS {
    /// OpenBLAS's thread count for GEMM (process-wide).
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Stops OpenBLAS's worker threads, for commands that do no linear
    /// algebra. OpenBLAS starts them when the library loads, and each spins
    /// (sched_yield) for about 2^28 cycles, some 0.1 s of a core, before it
    /// sleeps: CPU that fetch and pack need. A later product starts them again.
    public static func stopIdleThreads() {
        callLock.withLock { _ in _ = blas_thread_shutdown_() }
    }

    /// C = alpha * op(A) * op(B) + beta * C, with op(X) = X or Xᵀ.
    /// - Parameters: `m` x `k` is op(A)'s shape, `k` x `n` op(B)'s, `m` x `n` C's.
    ///   `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored.
    /// OpenBLAS's threaded builds share internal buffers between callers:
    /// products from several threads at once can corrupt each other, so
    /// calls are serialized (uncontended in training, where one thread computes).
    static let callLock = Mutex<Void>(())

    @inline(__always)
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        callLock.withLock { _ in
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
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
