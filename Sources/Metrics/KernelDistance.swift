import LinearAlgebra
import Support

/// The kernel distance between feature sets (KID when the features are a
/// classifier's), as torch-fidelity defines it: the unbiased MMD² with the
/// cubic polynomial kernel k(x, y) = (x·y / d + 1)³, on `subsets` random
/// subsets of `subsetSize` samples drawn without replacement from each
/// set; the mean and the (population) standard deviation over the subsets.
public enum KernelDistance {
    /// The unbiased MMD² with the kernel (x·y/d + 1)³, mean and standard deviation over `subsets`
    /// random subsets of `subsetSize` (torch-fidelity's definition).
    public static func between(_ real: FeatureMatrix, _ generated: FeatureMatrix, subsets: Int = 100, subsetSize: Int = 1000,
                               seed: UInt64 = 0) -> (mean: Double, std: Double) {
        precondition(real.columns == generated.columns, "features of \(real.columns) and \(generated.columns) dimensions")
        let m = min(subsetSize, real.rows, generated.rows)
        precondition(m >= 2, "KID needs at least 2 samples per set")
        var random = SeededGenerator(seed: seed ^ 0x0C1D)
        var values: [Double] = []
        // Subsets of all samples are all the same set: one is enough (std 0).
        let distinct = m == real.rows && m == generated.rows ? 1 : max(1, subsets)
        for _ in 0..<distinct {
            let g = generated.rows(pick(m, of: generated.rows, &random))
            let r = real.rows(pick(m, of: real.rows, &random))
            values.append(mmd2(g, r))
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    /// The unbiased MMD² of two equally sized sets.
    public static func mmd2(_ x: FeatureMatrix, _ y: FeatureMatrix) -> Double {
        let m = x.rows
        let d = Double(x.columns)
        func kernelSum(_ a: FeatureMatrix, _ b: FeatureMatrix, skipDiagonal: Bool) -> Double {
            let dots = DoubleAlgebra.multiply(a.values, b.values, m: a.rows, k: a.columns, n: b.rows, transposeB: true)
            var sum = 0.0
            for i in 0..<a.rows {
                for j in 0..<b.rows where !(skipDiagonal && i == j) {
                    let k = dots[i * b.rows + j] / d + 1
                    sum += k * k * k
                }
            }
            return sum
        }
        let mm = Double(m)
        return (kernelSum(x, x, skipDiagonal: true) + kernelSum(y, y, skipDiagonal: true)) / (mm * (mm - 1))
            - 2 * kernelSum(x, y, skipDiagonal: false) / (mm * mm)
    }

    /// `count` distinct indices below `n`, all of them (shuffled) when count == n.
    static func pick(_ count: Int, of n: Int, _ random: inout SeededGenerator) -> [Int] {
        var all = Array(0..<n)
        random.shuffle(&all)
        return Array(all.prefix(count))
    }
}
