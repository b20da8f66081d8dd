import Training
import DatasetFile
import Foundation
import GAN
import Metrics
import Support

/// How a conditional generator does on one class.
public struct ClassQuality: Sendable {
    /// The class.
    public var name: String
    /// How often an image drawn for this class is recognised as it by the
    /// classifier; NaN when the classifier does not know the class.
    public var accuracy: Double
    /// FID between the generated images of this class and the real ones of
    /// it; NaN with fewer than two real images of the class.
    public var fid: Double
    /// Images generated of the class.
    public var generatedCount: Int
    /// Real images of the class.
    public var realCount: Int
    /// The generated images' features.
    public var generatedFeatures: FeatureMatrix
}

extension SampleEvaluator {
    /// Draws `count` images of each class from a conditional `generator`
    /// whose classes are `names` (the dataset's, in order) and measures each
    /// class: the classifier's accuracy on them and the FID against the real
    /// images of that class among the evaluator's real sample.
    public func perClass(generator: Sequential, latent: Int, names: [String], count: Int) throws(TrainingError) -> [ClassQuality] {
        guard generator.conditionClasses == names.count else {
            throw .dataset(.generatorNotConditional(classes: names))
        }
        guard let labelNames, let realLabels, labelNames == names else {
            throw .dataset(.classesDiffer(dataset: labelNames, generator: names))
        }
        let model = classifier.model
        var random = SeededGenerator(seed: seed ^ 0xC1A5)
        var results: [ClassQuality] = []
        for (c, name) in names.enumerated() {
            let known = Self.classifierIndex(of: name, in: classifier.labelNames)
            var values: [Double] = []
            values.reserveCapacity(count * model.featureSize)
            var recognised = 0
            var made = 0
            while made < count {
                let n = min(Self.batch, count - made)
                let z = Tensor(shape: [n, latent])
                random.fillNormal(z)
                let features = model.features(generator.generate(noise: z, labels: Array(repeating: Int32(c), count: n)))
                values += features.array.map(Double.init)
                let logits = model.head.forward(features, training: false)
                for r in 0..<n where Self.argmax(logits.data + r * model.classes, count: model.classes) == known { recognised += 1 }
                made += n
            }
            let generated = FeatureMatrix(rows: count, columns: model.featureSize, values: values)
            let rows = realLabels.indices.filter { realLabels[$0] == Int32(c) }
            var real: [Double] = []
            real.reserveCapacity(rows.count * model.featureSize)
            for r in rows { real += realFeatures.values[(r * model.featureSize)..<((r + 1) * model.featureSize)] }
            var fid = Double.nan
            if rows.count >= 2 {
                fid = (try? FrechetDistance.between(FeatureMatrix(rows: rows.count, columns: model.featureSize, values: real), generated)) ?? .nan
            }
            results.append(ClassQuality(name: name, accuracy: known == nil ? .nan : Double(recognised) / Double(count), fid: fid,
                                        generatedCount: count, realCount: rows.count, generatedFeatures: generated))
        }
        return results
    }

    /// The classifier's index of a class: its name, or the name with "/"
    /// written as "-" (as in the class folders a classifier is often trained from).
    static func classifierIndex(of name: String, in names: [String]) -> Int? {
        names.firstIndex(of: name) ?? names.firstIndex(of: name.replacingOccurrences(of: "/", with: "-"))
    }

    static func argmax(_ values: UnsafePointer<Float>, count: Int) -> Int {
        var best = 0
        for i in 1..<count where values[i] > values[best] { best = i }
        return best
    }
}
