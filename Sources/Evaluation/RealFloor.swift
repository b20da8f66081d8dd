import DatasetFile
import Metrics
import Support
import Training

/// What a perfect generator would score on the same features: FID and KID
/// between two disjoint random sets of real images, each of the size
/// compared (or half the data, when it holds fewer than twice that).
public struct RealFloor: Sendable, Equatable {
    /// FID of one real set against the other.
    public var fid: Double
    /// KID's mean of one real set against the other.
    public var kidMean: Double
    /// Images in each of the two sets.
    public var size: Int
}

extension SampleEvaluator {
    /// The floor of these metrics on this data (measured once, then kept): two disjoint
    /// seeded samples of min(count, images / 2) real images, compared as generated ones are.
    public func realFloor() throws(TrainingError) -> RealFloor {
        if let measuredFloor { return measuredFloor }
        let size = min(count, reader.count / 2)
        guard size >= 2 else {
            let floor = RealFloor(fid: .nan, kidMean: .nan, size: size)
            measuredFloor = floor
            return floor
        }
        var order = Array(0..<reader.count)
        var random = SeededGenerator(seed: seed ^ 0xF1_00F)
        random.shuffle(&order)
        let columns = classifier.model.featureSize
        let a = FeatureMatrix(rows: size, columns: columns, values: try Self.embed(reader, Array(order[0..<size]).sorted(), classifier: classifier))
        let b = FeatureMatrix(rows: size, columns: columns,
                              values: try Self.embed(reader, Array(order[size..<(2 * size)]).sorted(), classifier: classifier))
        let (fid, kid, _) = try Self.metrics(a, b, subsets: kidSubsets, subsetSize: kidSubsetSize, seed: seed)
        let floor = RealFloor(fid: fid, kidMean: kid.mean, size: size)
        measuredFloor = floor
        return floor
    }
}
