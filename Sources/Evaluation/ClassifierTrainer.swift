import Training
import DatasetFile
import Foundation
import GAN
import Support

/// How `ganprep classifier train` trains.
public struct ClassifierOptions: Sendable {
    /// Full passes over the training images.
    public var epochs: Int
    /// Images per mini-batch.
    public var batch: Int
    /// Adam's learning rate at the start (cosine-decayed over the run).
    public var learningRate: Float
    /// Fraction of the images held out for the accuracy figure (seeded split).
    public var heldOut: Double
    /// Seeds the weights, the held-out split, the order and the flips.
    public var seed: UInt64
    /// Values of the feature layer.
    public var featureSize: Int
    /// Mirror each training image left-right with probability 1/2.
    public var flip: Bool

    /// The options `classifier train` uses unless told otherwise.
    public init(epochs: Int = 15, batch: Int = 64, learningRate: Float = 1e-3, heldOut: Double = 0.1, seed: UInt64 = 0,
                featureSize: Int = 128, flip: Bool = true) {
        self.epochs = epochs
        self.batch = batch
        self.learningRate = learningRate
        self.heldOut = heldOut
        self.seed = seed
        self.featureSize = featureSize
        self.flip = flip
    }
}

/// One epoch's figures.
public struct ClassifierEpoch: Sendable {
    /// The epoch, from 1.
    public var epoch: Int
    /// Mean training loss over the epoch.
    public var loss: Double
    /// Accuracy on the training images during the epoch.
    public var trainAccuracy: Double
    /// Accuracy on the held-out images after the epoch.
    public var heldOutAccuracy: Double
    /// Wall time of the epoch.
    public var seconds: Double
}

/// Trains a `ClassifierModel` on a dataset's labels, in memory, with a
/// seeded held-out split, softmax cross-entropy and Adam.
public final class ClassifierTrainer {
    /// How it trains.
    public let options: ClassifierOptions
    /// The network being trained.
    public let model: ClassifierModel
    /// The classes it tells apart, in logit order.
    public let labelNames: [String]
    private let images: [Float]
    private let labels: [Int32]
    private let sampleSize: Int
    /// The images it trains on.
    public let trainIndices: [Int]
    /// The images held out for the accuracy figure.
    public let heldOutIndices: [Int]

    /// Loads `reader`'s images and labels and sets up the model.
    /// - Throws: `.dataset` without labels, with one class, images under 4 pixels or too large for memory; `.datasetFile` when unreadable.
    public init(reader: DatasetReader, options: ClassifierOptions) throws(TrainingError) {
        self.options = options
        let names: [String]?
        let read: [Int32]?
        do { (names, read) = (try reader.labelNames(), try reader.labels()) } catch { throw .datasetFile(error) }
        guard let names, let read else {
            throw .dataset(.noLabels(path: reader.path, use: .classifier))
        }
        guard names.count >= 2 else { throw .dataset(.oneClass(path: reader.path, name: names.first ?? "", use: .classifier)) }
        guard reader.height >= 4 && reader.width >= 4 else { throw .dataset(.tooSmallForClassifier(path: reader.path, height: reader.height, width: reader.width)) }
        let bytes = reader.count * reader.sampleSize * MemoryLayout<Float>.size
        let available = SystemMemory.usableBytes()
        guard bytes <= available else {
            throw .dataset(.imagesMemory(path: reader.path, count: reader.count, neededMiB: bytes >> 20, availableMiB: available >> 20))
        }
        labelNames = names
        labels = read
        sampleSize = reader.sampleSize
        var pixels = [Float](repeating: 0, count: reader.count * reader.sampleSize)
        do {
            try pixels.withUnsafeMutableBufferPointer { (b) throws(DatasetError) in
                try reader.read(start: 0, count: reader.count, into: b)
                try reader.checkFinite(UnsafeBufferPointer(b), firstImage: 0)
            }
        } catch {
            throw .datasetFile(error)
        }
        images = pixels
        var order = Array(0..<reader.count)
        var random = SeededGenerator(seed: options.seed ^ 0x5EED_5917)
        random.shuffle(&order)
        let held = reader.count >= 10 ? max(1, Int((Double(reader.count) * options.heldOut).rounded())) : 0
        heldOutIndices = Array(order.prefix(held)).sorted()
        trainIndices = Array(order.dropFirst(held))
        model = ClassifierModel(height: reader.height, width: reader.width, channels: reader.channels, classes: names.count,
                                featureSize: options.featureSize, seed: options.seed)
    }

    /// Runs every epoch; `report` after each.
    @discardableResult
    public func train(report: ((ClassifierEpoch) -> Void)? = nil) -> [ClassifierEpoch] {
        let adam = Adam(learningRate: options.learningRate, beta1: 0.9)
        let loss = SoftmaxCrossEntropy()
        var random = SeededGenerator(seed: options.seed ^ 0x0E90_C4)
        var epochs: [ClassifierEpoch] = []
        let parameters = model.trunk.parameters + model.head.parameters
        for epoch in 0..<options.epochs {
            let start = monotonicSeconds()
            // Cosine decay of the learning rate over the run: steady held-out figures at the end.
            adam.learningRate = options.learningRate * Float(0.5 * (1 + cos(Double.pi * Double(epoch) / Double(options.epochs))))
            var order = trainIndices
            random.shuffle(&order)
            var totalLoss = 0.0, right = 0
            for first in stride(from: 0, to: order.count, by: options.batch) {
                let chunk = Array(order[first..<min(first + options.batch, order.count)])
                let batch = gather(chunk, flip: options.flip ? { random.below(2) == 1 } : { false })
                let logits = model.head.forward(model.trunk.forward(batch, training: true), training: true)
                let gradient = Tensor(shape: logits.shape)
                let targets = chunk.map { labels[$0] }
                totalLoss += Double(loss(logits, targets: targets, gradient: gradient)) * Double(chunk.count)
                right += zip(SoftmaxCrossEntropy.predictions(logits), targets).filter { $0 == $1 }.count
                model.trunk.zeroGradients()
                model.head.zeroGradients()
                if let dFeatures = model.head.backward(gradient, needsInputGradient: true) {
                    model.trunk.backward(dFeatures)
                }
                adam.step(parameters)
            }
            let result = ClassifierEpoch(epoch: epoch + 1, loss: totalLoss / Double(max(1, order.count)),
                                         trainAccuracy: Double(right) / Double(max(1, order.count)),
                                         heldOutAccuracy: accuracy(on: heldOutIndices), seconds: monotonicSeconds() - start)
            epochs.append(result)
            report?(result)
        }
        return epochs
    }

    /// The share of `indices` the model classifies right (inference mode).
    public func accuracy(on indices: [Int]) -> Double {
        guard !indices.isEmpty else { return .nan }
        var right = 0
        for first in stride(from: 0, to: indices.count, by: 256) {
            let chunk = Array(indices[first..<min(first + 256, indices.count)])
            let predicted = SoftmaxCrossEntropy.predictions(model.logits(gather(chunk, flip: { false })))
            right += zip(predicted, chunk.map { labels[$0] }).filter { $0 == $1 }.count
        }
        return Double(right) / Double(indices.count)
    }

    /// Images `indices` as one batch tensor, each mirrored left-right when `flip` says so.
    private func gather(_ indices: [Int], flip: () -> Bool) -> Tensor {
        let (h, w, c) = (model.imageShape[0], model.imageShape[1], model.imageShape[2])
        let batch = Tensor(shape: [indices.count, h, w, c])
        images.withUnsafeBufferPointer { source in
            for (k, i) in indices.enumerated() {
                let from = source.baseAddress! + i * sampleSize
                let to = batch.data + k * sampleSize
                if flip() {
                    for y in 0..<h {
                        for x in 0..<w {
                            (to + (y * w + x) * c).update(from: from + (y * w + (w - 1 - x)) * c, count: c)
                        }
                    }
                } else {
                    to.update(from: from, count: sampleSize)
                }
            }
        }
        return batch
    }
}
