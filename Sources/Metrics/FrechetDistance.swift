import LinearAlgebra
/// The Fréchet distance between two Gaussians fitted to feature sets (FID
/// when the features are a classifier's):
/// |μr − μg|² + tr(Σr + Σg − 2 (Σr Σg)^½), in double precision.
///
/// tr((Σr Σg)^½) is computed as the sum of √λ over the eigenvalues of the
/// symmetric matrix Σr^½ Σg Σr^½, which has the same eigenvalues as Σr Σg
/// (both from LAPACK's symmetric eigen-decomposition), so no complex
/// square root of a non-symmetric product is needed.
public enum FrechetDistance {
    /// |μr − μg|² + tr(Σr + Σg − 2(ΣrΣg)^½), in double precision.
    public static func between(_ real: FeatureMatrix, _ generated: FeatureMatrix) throws(DoubleAlgebra.Failure) -> Double {
        precondition(real.columns == generated.columns, "features of \(real.columns) and \(generated.columns) dimensions")
        let d = real.columns
        let (mr, mg) = (real.mean, generated.mean)
        let (sr, sg) = (real.covariance, generated.covariance)
        var distance = 0.0
        for i in 0..<d { distance += (mr[i] - mg[i]) * (mr[i] - mg[i]) }
        var traces = 0.0
        for i in 0..<d { traces += sr[i * d + i] + sg[i * d + i] }
        let root = try DoubleAlgebra.symmetricSquareRoot(sr, n: d)
        var product = DoubleAlgebra.multiply(DoubleAlgebra.multiply(root, sg, m: d, k: d, n: d), root, m: d, k: d, n: d)
        // Symmetrise the rounding away before the eigen-decomposition.
        for i in 0..<d { for j in (i + 1)..<max(i + 1, d) { let v = (product[i * d + j] + product[j * d + i]) / 2; product[i * d + j] = v; product[j * d + i] = v } }
        let (values, _) = try DoubleAlgebra.symmetricEigen(product, n: d)
        let traceRoot = values.reduce(0) { $0 + max($1, 0).squareRoot() }
        return distance + traces - 2 * traceRoot
    }
}
