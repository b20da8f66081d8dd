import LinearAlgebra
/// Improved precision and recall (Kynkäänniemi et al. 2019): each set's
/// manifold is the union of balls around its samples, each reaching the
/// sample's k-th nearest neighbour in its own set. Precision is the share
/// of generated samples inside the real manifold, recall the share of real
/// samples inside the generated one. Euclidean distances, brute force, in
/// blocks of rows so memory stays at `blockRows` x the other set's size.
public enum PrecisionRecall {
    /// - Parameter blockRows: rows whose distances are held at once (the result does not depend on it).
    public static func between(_ real: FeatureMatrix, _ generated: FeatureMatrix, k: Int = 3,
                               blockRows: Int = 1024) -> (precision: Double, recall: Double) {
        precondition(real.columns == generated.columns, "features of \(real.columns) and \(generated.columns) dimensions")
        let realRadii = radii(real, k: k, blockRows: blockRows)
        let generatedRadii = radii(generated, k: k, blockRows: blockRows)
        return (coverage(of: generated, by: real, radii: realRadii, blockRows: blockRows),
                coverage(of: real, by: generated, radii: generatedRadii, blockRows: blockRows))
    }

    /// Squared distance from each sample to its k-th nearest other sample.
    static func radii(_ set: FeatureMatrix, k: Int, blockRows: Int) -> [Double] {
        let n = set.rows
        precondition(n > k, "precision/recall with k = \(k) needs more than \(k) samples, got \(n)")
        var radii = [Double](repeating: 0, count: n)
        forEachBlock(of: set, against: set, blockRows: blockRows) { i, row in
            // The k smallest distances to other samples, kept sorted.
            var smallest = [Double](repeating: .infinity, count: k)
            for j in 0..<n where j != i && row[j] < smallest[k - 1] {
                var p = k - 1
                while p > 0 && smallest[p - 1] > row[j] { smallest[p] = smallest[p - 1]; p -= 1 }
                smallest[p] = row[j]
            }
            radii[i] = smallest[k - 1]
        }
        return radii
    }

    /// The share of `points` within the ball of some sample of `manifold`.
    static func coverage(of points: FeatureMatrix, by manifold: FeatureMatrix, radii: [Double], blockRows: Int) -> Double {
        var inside = 0
        forEachBlock(of: points, against: manifold, blockRows: blockRows) { _, row in
            if (0..<manifold.rows).contains(where: { row[$0] <= radii[$0] }) { inside += 1 }
        }
        return Double(inside) / Double(max(points.rows, 1))
    }

    /// Calls `body` with each row i of `a` and its squared distances to every row of `b`.
    static func forEachBlock(of a: FeatureMatrix, against b: FeatureMatrix, blockRows: Int, _ body: (Int, UnsafeBufferPointer<Double>) -> Void) {
        let normsB = norms(b)
        for first in stride(from: 0, to: a.rows, by: max(1, blockRows)) {
            let block = a.rows(Array(first..<min(first + blockRows, a.rows)))
            let dots = DoubleAlgebra.multiply(block.values, b.values, m: block.rows, k: b.columns, n: b.rows, transposeB: true)
            let normsA = norms(block)
            var distances = dots
            for i in 0..<block.rows {
                for j in 0..<b.rows { distances[i * b.rows + j] = max(0, normsA[i] + normsB[j] - 2 * dots[i * b.rows + j]) }
            }
            distances.withUnsafeBufferPointer { all in
                for i in 0..<block.rows { body(first + i, UnsafeBufferPointer(rebasing: all[(i * b.rows)..<((i + 1) * b.rows)])) }
            }
        }
    }

    static func norms(_ x: FeatureMatrix) -> [Double] {
        (0..<x.rows).map { r in (0..<x.columns).reduce(0) { $0 + x[r, $1] * x[r, $1] } }
    }
}
