/// Improved precision and recall (Kynkäänniemi et al. 2019): each set's
/// manifold is the union of balls around its samples, each reaching the
/// sample's k-th nearest neighbour in its own set. Precision is the share
/// of generated samples inside the real manifold, recall the share of real
/// samples inside the generated one. Euclidean distances, brute force.
public enum PrecisionRecall {
    public static func between(_ real: FeatureMatrix, _ generated: FeatureMatrix, k: Int = 3) -> (precision: Double, recall: Double) {
        precondition(real.columns == generated.columns, "features of \(real.columns) and \(generated.columns) dimensions")
        let realRadii = radii(real, k: k)
        let generatedRadii = radii(generated, k: k)
        return (coverage(of: generated, by: real, radii: realRadii), coverage(of: real, by: generated, radii: generatedRadii))
    }

    /// Squared distance from each sample to its k-th nearest other sample.
    static func radii(_ set: FeatureMatrix, k: Int) -> [Double] {
        let n = set.rows
        precondition(n > k, "precision/recall with k = \(k) needs more than \(k) samples, got \(n)")
        let distances = squaredDistances(set, set)
        return (0..<n).map { i in
            var row = Array(distances[(i * n)..<((i + 1) * n)])
            row.remove(at: i)
            row.sort()
            return row[k - 1]
        }
    }

    /// The share of `points` within the ball of some sample of `manifold`.
    static func coverage(of points: FeatureMatrix, by manifold: FeatureMatrix, radii: [Double]) -> Double {
        let distances = squaredDistances(points, manifold)
        let m = manifold.rows
        var inside = 0
        for i in 0..<points.rows where (0..<m).contains(where: { distances[i * m + $0] <= radii[$0] }) { inside += 1 }
        return Double(inside) / Double(max(points.rows, 1))
    }

    /// |a_i − b_j|² for every pair, row-major [a.rows, b.rows].
    static func squaredDistances(_ a: FeatureMatrix, _ b: FeatureMatrix) -> [Double] {
        let dots = LinearAlgebra.multiply(a.values, b.values, m: a.rows, k: a.columns, n: b.rows, transposeB: true)
        func norms(_ x: FeatureMatrix) -> [Double] {
            (0..<x.rows).map { r in (0..<x.columns).reduce(0) { $0 + x[r, $1] * x[r, $1] } }
        }
        let (na, nb) = (norms(a), norms(b))
        var out = dots
        for i in 0..<a.rows { for j in 0..<b.rows { out[i * b.rows + j] = max(0, na[i] + nb[j] - 2 * dots[i * b.rows + j]) } }
        return out
    }
}
