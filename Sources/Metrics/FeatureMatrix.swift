import LinearAlgebra
/// Row-major embeddings: `rows` samples of `columns` features, in Double.
public struct FeatureMatrix: Sendable, Equatable {
    /// Images embedded.
    public let rows: Int
    /// Features per image.
    public let columns: Int
    /// Row-major values, `rows` x `columns`.
    public var values: [Double]

    /// A matrix of `values` (row-major).
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "\(values.count) values for \(rows)x\(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The value at (`row`, `column`).
    public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }

    /// Rows `indices` as a matrix of their own.
    public func rows(_ indices: [Int]) -> FeatureMatrix {
        var picked = [Double]()
        picked.reserveCapacity(indices.count * columns)
        for i in indices { picked += values[(i * columns)..<((i + 1) * columns)] }
        return FeatureMatrix(rows: indices.count, columns: columns, values: picked)
    }

    /// The column means.
    public var mean: [Double] {
        var mean = [Double](repeating: 0, count: columns)
        for r in 0..<rows { for c in 0..<columns { mean[c] += values[r * columns + c] } }
        return mean.map { $0 / Double(max(rows, 1)) }
    }

    /// The unbiased covariance (divided by rows - 1), columns x columns, row-major.
    public var covariance: [Double] {
        let mu = mean
        var centred = values
        for r in 0..<rows { for c in 0..<columns { centred[r * columns + c] -= mu[c] } }
        return DoubleAlgebra.gram(centred, rows: rows, columns: columns).map { $0 / Double(max(rows - 1, 1)) }
    }
}
