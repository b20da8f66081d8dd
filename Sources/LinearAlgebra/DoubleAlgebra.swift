import COpenBLAS

/// The double-precision linear algebra the metrics need, on OpenBLAS
/// (CBLAS for products, LAPACK's dsyevd for symmetric eigen-decompositions),
/// serialized with the float products through `BLAS.callLock`.
public enum DoubleAlgebra {
    /// AᵀA for a row-major `rows` x `columns` matrix A: columns x columns.
    public static func gram(_ a: [Double], rows: Int, columns: Int) -> [Double] {
        var c = [Double](repeating: 0, count: columns * columns)
        BLAS.callLock.withLock { _ in
            gp_cblas_dgemm(Int32(GP_BLAS_ROW_MAJOR), Int32(GP_BLAS_TRANS), Int32(GP_BLAS_NO_TRANS), Int32(columns), Int32(columns), Int32(rows),
                           1, a, Int32(columns), a, Int32(columns), 0, &c, Int32(columns))
        }
        return c
    }

    /// A·B for row-major `m` x `k` and `k` x `n` matrices (Bᵀ when `transposeB`, stored `n` x `k`).
    public static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, transposeB: Bool = false) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        BLAS.callLock.withLock { _ in
            gp_cblas_dgemm(Int32(GP_BLAS_ROW_MAJOR), Int32(GP_BLAS_NO_TRANS), Int32(transposeB ? GP_BLAS_TRANS : GP_BLAS_NO_TRANS),
                           Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(transposeB ? k : n), 0, &c, Int32(n))
        }
        return c
    }

    /// Why LAPACK could not decompose a matrix.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// What LAPACK said (its info code).
        public let description: String
    }

    /// Eigenvalues (ascending) and eigenvectors (the columns of a row-major
    /// n x n matrix) of the symmetric n x n matrix `a`.
    public static func symmetricEigen(_ a: [Double], n: Int) throws(Failure) -> (values: [Double], vectors: [Double]) {
        precondition(a.count == n * n, "\(a.count) values for \(n)x\(n)")
        // LAPACK is column-major; a symmetric matrix is its own transpose.
        var matrix = a
        var values = [Double](repeating: 0, count: n)
        var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "L"))
        var size = Int32(n), lda = Int32(max(n, 1)), info: Int32 = 0
        // Workspace query first.
        var workSize = 0.0, iworkSize: Int32 = 0, query: Int32 = -1
        BLAS.callLock.withLock { _ in gp_dsyevd(&jobz, &uplo, &size, &matrix, &lda, &values, &workSize, &query, &iworkSize, &query, &info) }
        guard info == 0 else { throw Failure(description: "dsyevd workspace query failed (info \(info))") }
        var lwork = Int32(workSize), liwork = iworkSize
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        BLAS.callLock.withLock { _ in gp_dsyevd(&jobz, &uplo, &size, &matrix, &lda, &values, &work, &lwork, &iwork, &liwork, &info) }
        guard info == 0 else { throw Failure(description: "dsyevd did not converge (info \(info))") }
        // Column-major eigenvectors: vector j is matrix[j*n ..< (j+1)*n]; transpose to row-major columns.
        var vectors = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0..<n { vectors[i * n + j] = matrix[j * n + i] } }
        return (values, vectors)
    }

    /// The symmetric square root V·diag(√max(λ, 0))·Vᵀ of a symmetric positive semi-definite matrix.
    public static func symmetricSquareRoot(_ a: [Double], n: Int) throws(Failure) -> [Double] {
        let (values, vectors) = try symmetricEigen(a, n: n)
        var scaled = vectors
        for i in 0..<n { for j in 0..<n { scaled[i * n + j] *= max(values[j], 0).squareRoot() } }
        return multiply(scaled, vectors, m: n, k: n, n: n, transposeB: true)
    }
}
