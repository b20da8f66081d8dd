import Training
import DatasetFile
import Foundation
import GAN
import Metrics
import Support

/// What `eval` reports.
public struct SampleQuality: Sendable {
    /// Fréchet distance of the feature sets.
    public var fid: Double
    /// KID: the unbiased MMD² with the cubic kernel, mean over the subsets.
    public var kidMean: Double
    /// KID's standard deviation over the subsets.
    public var kidStd: Double
    /// Share of generated images inside the real images' 3-nearest-neighbour balls.
    public var precision: Double
    /// Share of real images inside the generated images' 3-nearest-neighbour balls.
    public var recall: Double
    /// Real images compared.
    public var realCount: Int
    /// Generated images compared.
    public var generatedCount: Int
    /// Seconds for generating and embedding the images and computing the metrics.
    public var seconds: Double
    /// Of those, the metrics alone (FID, KID, precision/recall on the features).
    public var metricsSeconds: Double
    /// The yardstick's floor: the same metrics between two disjoint sets of real images.
    public var floor: RealFloor
}

/// Embeds real images once and generated ones on demand with a classifier's
/// feature layer, and compares the two sets: FID, KID, precision/recall.
public final class SampleEvaluator {
    /// The feature extractor.
    public let classifier: ClassifierFile
    /// Images generated (and real ones at most) per evaluation.
    public let count: Int
    /// Subsets KID averages over.
    public let kidSubsets: Int
    /// Images per KID subset.
    public let kidSubsetSize: Int
    /// Seeds the real sample and the noise.
    public let seed: UInt64
    /// The real images' features (`count` of them, or all when fewer).
    public let realFeatures: FeatureMatrix
    /// The generated images' features of the last `evaluate`.
    public private(set) var generatedFeatures: FeatureMatrix?
    /// The dataset's class names and the class of each row of `realFeatures`; nil when it has no labels.
    public let labelNames: [String]?
    /// The class of each real image compared (nil without labels).
    public let realLabels: [Int32]?
    /// The dataset's images per class (what a conditional generator is asked for).
    let classCounts: [Int]
    /// The real images.
    let reader: DatasetReader
    /// The floor, once measured.
    var measuredFloor: RealFloor?

    static let batch = 256

    /// - Throws: `.classifier` when the classifier was trained on another image size or channel count than the dataset's.
    public init(classifier: ClassifierFile, reader: DatasetReader, count: Int, kidSubsets: Int = 100, kidSubsetSize: Int = 1000,
                seed: UInt64 = 0) throws(TrainingError) {
        let shape = classifier.model.imageShape
        guard shape == [reader.height, reader.width, reader.channels] else {
            throw .classifier(.imageShape(path: classifier.path, trained: shape, dataset: reader.path, height: reader.height, width: reader.width, channels: reader.channels))
        }
        self.classifier = classifier
        self.reader = reader
        self.count = count
        self.kidSubsets = kidSubsets
        self.kidSubsetSize = kidSubsetSize
        self.seed = seed
        // A seeded sample of the real images, read in file order.
        var order = Array(0..<reader.count)
        var random = SeededGenerator(seed: seed ^ 0x4EA1)
        if count < reader.count { random.shuffle(&order) }
        let picked = Array(order.prefix(count)).sorted()
        do {
            let names = try reader.labelNames(), labels = try reader.labels()
            labelNames = names
            realLabels = labels.map { all in picked.map { all[$0] } }
            classCounts = DatasetReader.classCounts(labels ?? [], classes: names?.count ?? 0)
        } catch {
            throw .datasetFile(error)
        }
        let values = try Self.embed(reader, picked, classifier: classifier)
        realFeatures = FeatureMatrix(rows: picked.count, columns: classifier.model.featureSize, values: values)
    }

    /// The classifier's features of `reader`'s images at `picked` (ascending), read in batches of up
    /// to `batch` images, each as runs of consecutive indices (one read per run).
    static func embed(_ reader: DatasetReader, _ picked: [Int], classifier: ClassifierFile) throws(TrainingError) -> [Double] {
        let model = classifier.model
        let shape = model.imageShape
        var values: [Double] = []
        values.reserveCapacity(picked.count * model.featureSize)
        do {
            for first in stride(from: 0, to: picked.count, by: Self.batch) {
                let indices = picked[first..<min(first + Self.batch, picked.count)]
                let images = Tensor(shape: [indices.count, shape[0], shape[1], shape[2]])
                var filled = 0
                var k = indices.startIndex
                while k < indices.endIndex {
                    var end = k + 1
                    while end < indices.endIndex && indices[end] == indices[end - 1] + 1 { end += 1 }
                    let run = end - k
                    let slice = UnsafeMutableBufferPointer(start: images.data + filled * reader.sampleSize, count: run * reader.sampleSize)
                    try reader.read(start: indices[k], count: run, into: slice)
                    try reader.checkFinite(UnsafeBufferPointer(slice), firstImage: indices[k])
                    filled += run
                    k = end
                }
                let features = model.features(images)
                if let bad = NonFinite.first(in: features.data, count: features.count) {
                    let image = indices[indices.startIndex + bad.index / model.featureSize]
                    throw TrainingError.dataset(.nonFiniteFeatures(classifier: classifier.path, image: image, path: reader.path))
                }
                values += features.array.map(Double.init)
            }
        } catch let error as TrainingError {
            throw error
        } catch let error as DatasetError {
            throw .datasetFile(error)
        } catch {
            preconditionFailure("reading real images threw \(error)")
        }
        return values
    }

    /// The classes a conditional generator of `classes` classes is asked
    /// for: the data's frequencies; nil for an unconditional one.
    func classDistribution(for generator: Sequential) throws(TrainingError) -> ClassDistribution? {
        guard let classes = generator.conditionClasses else { return nil }
        guard classCounts.count == classes, classCounts.contains(where: { $0 > 0 }) else {
            throw .dataset(.conditionalClassCount(classes: classes, datasetClasses: labelNames?.count))
        }
        return ClassDistribution(counts: classCounts, balance: .frequency)
    }

    /// Features of `count` images from `generator` (noise of `latent`
    /// values and classes drawn with `random`; `label` for every image when given).
    func generatedFeatures(_ generator: Sequential, latent: Int, count: Int, label: Int32? = nil, random: inout SeededGenerator,
                           images: ((Tensor, [Int32]?) throws(TrainingError) -> Void)? = nil) throws(TrainingError) -> FeatureMatrix {
        let classes = try classDistribution(for: generator)
        var values: [Double] = []
        values.reserveCapacity(count * classifier.model.featureSize)
        var made = 0
        while made < count {
            let n = min(Self.batch, count - made)
            let z = Tensor(shape: [n, latent])
            random.fillNormal(z)
            let labels = classes.map { c in label.map { Array(repeating: $0, count: n) } ?? c.draw(n, using: &random) }
            let generated = generator.generate(noise: z, labels: labels)
            try images?(generated, labels)
            let features = classifier.model.features(generated)
            if NonFinite.first(in: features.data, count: features.count) != nil {
                throw .checkpoint(.nonFiniteGeneration(classifier: classifier.path))
            }
            values += features.array.map(Double.init)
            made += n
        }
        return FeatureMatrix(rows: count, columns: classifier.model.featureSize, values: values)
    }

    /// Draws `count` images from `generator` (noise of `latent` values, seeded;
    /// a conditional generator's classes in the data's frequencies) and compares them with the real ones;
    /// `images` is handed each batch drawn (what `eval --samples-out` writes).
    public func evaluate(generator: Sequential, latent: Int,
                         images: ((Tensor, [Int32]?) throws(TrainingError) -> Void)? = nil) throws(TrainingError) -> SampleQuality {
        let start = monotonicSeconds()
        var random = SeededGenerator(seed: seed ^ 0x6E4E)
        let generated = try generatedFeatures(generator, latent: latent, count: count, random: &random, images: images)
        return try compare(generated, started: start)
    }

    /// Compares the first `count` images of `samples` (any generator's, written as a dataset) with the real ones.
    public func evaluate(samples: DatasetReader) throws(TrainingError) -> SampleQuality {
        let start = monotonicSeconds()
        guard [samples.height, samples.width, samples.channels] == classifier.model.imageShape else {
            throw .classifier(.imageShape(path: classifier.path, trained: classifier.model.imageShape, dataset: samples.path,
                                          height: samples.height, width: samples.width, channels: samples.channels))
        }
        let rows = Array(0..<min(count, samples.count))
        let values = try Self.embed(samples, rows, classifier: classifier)
        return try compare(FeatureMatrix(rows: rows.count, columns: classifier.model.featureSize, values: values), started: start)
    }

    /// FID, KID and precision/recall of `generated` against the real features, with the floor.
    func compare(_ generated: FeatureMatrix, started start: Double) throws(TrainingError) -> SampleQuality {
        generatedFeatures = generated
        let floor = try realFloor()
        let metricsStart = monotonicSeconds()
        let (fid, kid, pr) = try Self.metrics(realFeatures, generated, subsets: kidSubsets, subsetSize: kidSubsetSize, seed: seed)
        return SampleQuality(fid: fid, kidMean: kid.mean, kidStd: kid.std, precision: pr.precision, recall: pr.recall,
                             realCount: realFeatures.rows, generatedCount: generated.rows, seconds: monotonicSeconds() - start,
                             metricsSeconds: monotonicSeconds() - metricsStart, floor: floor)
    }

    /// The metrics of two feature sets; any that is not finite is an error naming it.
    static func metrics(_ a: FeatureMatrix, _ b: FeatureMatrix, subsets: Int, subsetSize: Int, seed: UInt64) throws(TrainingError)
        -> (fid: Double, kid: (mean: Double, std: Double), pr: (precision: Double, recall: Double)) {
        do {
            let fid = try FrechetDistance.between(a, b)
            let kid = KernelDistance.between(a, b, subsets: subsets, subsetSize: subsetSize, seed: seed)
            let pr = PrecisionRecall.between(a, b)
            let figures = [("FID", fid), ("KID", kid.mean), ("KID's deviation", kid.std), ("precision", pr.precision), ("recall", pr.recall)]
            if let bad = figures.first(where: { !$0.1.isFinite }) {
                throw TrainingError.dataset(.nonFiniteMetric(name: bad.0, value: bad.1))
            }
            return (fid, (kid.mean, kid.std), (pr.precision, pr.recall))
        } catch let error as TrainingError {
            throw error
        } catch {
            throw .metrics(cause: error)
        }
    }
}
