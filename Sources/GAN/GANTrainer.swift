import Foundation
import Support

/// The losses and accuracy of one training step.
public struct StepResult: Sendable {
    /// Discriminator loss on the real batch (targets `realLabel`).
    public var discriminatorLossReal: Float
    /// Discriminator loss on the generated batch (targets 0).
    public var discriminatorLossFake: Float
    /// Generator loss through the frozen discriminator (targets 1).
    public var generatorLoss: Float
    /// Discriminator accuracy over the real and generated batches.
    public var discriminatorAccuracy: Float
}

/// Trains a generator and a discriminator one mini-batch at a time.
///
/// Each step: draw noise and generate a batch; train the discriminator on
/// the real batch (targets `realLabel`) and the generated one (targets 0),
/// one Adam update from both gradients; then train the generator through the
/// frozen discriminator (targets 1). Targets are built in the shape of the
/// discriminator's output, whatever it is ([B, 1], or [B, h, w, 1] for a
/// patch discriminator): the "fit-style target-shape path".
public final class GANTrainer {
    public let models: GANModels
    public let generatorOptimizer: Adam
    public let discriminatorOptimizer: Adam
    public let loss: BinaryCrossEntropy
    /// Target for real images (1, or e.g. 0.9 for one-sided smoothing).
    public var realLabel: Float
    /// Draws the noise; part of the checkpointed state.
    public var noise: SeededGenerator
    private var z: Tensor?
    private var realTargets: Tensor?
    private var fakeTargets: Tensor?
    private var generatorTargets: Tensor?
    private var gradient: Tensor?

    public init(models: GANModels, learningRate: Float = 2e-4, beta1: Float = 0.5, realLabel: Float = 1, seed: UInt64 = 0) {
        self.models = models
        generatorOptimizer = Adam(learningRate: learningRate, beta1: beta1)
        discriminatorOptimizer = Adam(learningRate: learningRate, beta1: beta1)
        loss = BinaryCrossEntropy(fromLogits: models.discriminatorOutputsLogits)
        self.realLabel = realLabel
        noise = SeededGenerator(seed: seed &+ 0xC0FFEE)
    }

    /// A tensor of `shape` filled with `value`, reused across steps.
    private func targets(_ cached: inout Tensor?, shape: [Int], value: Float) -> Tensor {
        if let t = cached, t.shape == shape, t.data[0] == value { return t }
        let t = Tensor(shape: shape)
        t.fill(value)
        cached = t
        return t
    }

    /// Noise for `batch` samples, N(0, 1), from the trainer's generator.
    public func drawNoise(batch: Int) -> Tensor {
        let t = reuse(z, [batch, models.latentSize])
        z = t
        noise.fillNormal(t)
        return t
    }

    /// One training step on a real batch [B, H, W, C] in [-1, 1].
    public func step(real: Tensor) -> StepResult {
        let g = models.generator, d = models.discriminator
        precondition(Array(real.shape.dropFirst()) == models.imageShape, "real batch \(real.shape), expected [B] + \(models.imageShape)")
        let batch = real.shape[0]
        let fake = g.forward(drawNoise(batch: batch), training: true)

        // Discriminator: real, then generated, one update.
        d.frozen = false
        d.zeroGradients()
        let realOut = d.forward(real, training: true)
        let ones = targets(&realTargets, shape: realOut.shape, value: realLabel)
        let grad = reuse(gradient, realOut.shape)
        gradient = grad
        let lossReal = loss(realOut, targets: ones, gradient: grad)
        var correct = loss.accuracy(realOut, targets: ones)
        d.backward(grad)
        let fakeOut = d.forward(fake, training: true)
        let zeros = targets(&fakeTargets, shape: fakeOut.shape, value: 0)
        let lossFake = loss(fakeOut, targets: zeros, gradient: grad)
        correct += loss.accuracy(fakeOut, targets: zeros)
        d.backward(grad)
        discriminatorOptimizer.step(d.parameters)

        // Generator through the frozen discriminator.
        d.frozen = true
        let scored = d.forward(fake, training: true)
        let wanted = targets(&generatorTargets, shape: scored.shape, value: 1)
        let lossG = loss(scored, targets: wanted, gradient: grad)
        let dFake = d.backward(grad, needsInputGradient: true)!
        g.zeroGradients()
        g.backward(dFake)
        generatorOptimizer.step(g.parameters)
        d.frozen = false
        return StepResult(discriminatorLossReal: lossReal, discriminatorLossFake: lossFake, generatorLoss: lossG,
                          discriminatorAccuracy: correct / 2)
    }

    /// FLOPs of one step for `batch` images: G forward once and backward
    /// once (2x), D forward 3 times, backward twice with weight and input
    /// gradients (2x) and once for input gradients only (1x).
    public func stepFLOPs(batch: Int) -> Double {
        let fg = models.generator.forwardFLOPs(inputShape: [batch, models.latentSize])
        let fd = models.discriminator.forwardFLOPs(inputShape: [batch] + models.imageShape)
        return 3 * fg + 8 * fd
    }

    /// Generator samples in inference mode (BatchNorm moving statistics) for fixed noise.
    public func sample(noise z: Tensor) -> Tensor {
        models.generator.forward(z, training: false)
    }

    /// Every tensor a checkpoint holds: weights, BatchNorm statistics, Adam moments.
    public var checkpointTensors: [(name: String, tensor: Tensor)] {
        let g = models.generator, d = models.discriminator
        return (g.parameters + g.state + d.parameters + d.state).map { (name: $0.name, tensor: $0.value) }
            + generatorOptimizer.stateTensors(for: g.parameters).map { (name: "optimizer/" + $0.name, tensor: $0.tensor) }
            + discriminatorOptimizer.stateTensors(for: d.parameters).map { (name: "optimizer/" + $0.name, tensor: $0.tensor) }
    }
}
