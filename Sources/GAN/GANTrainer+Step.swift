import Foundation
import Support

/// One training step: `recipe.discriminatorSteps` discriminator updates,
/// then one generator update, then the moving average and adaptive
/// augmentation's bookkeeping.
extension GANTrainer {
    /// One training step on a real batch [B, H, W, C] in [-1, 1]; with
    /// `replicas`, this replica's rows [offset, offset + B) of a global batch
    /// of `globalBatch` images. A conditional pair needs the real images'
    /// classes (`labels`, one per row).
    ///
    /// Each discriminator update generates a batch (fresh noise), scores the
    /// real batch (target `realLabel` with BCE) and the generated one, and
    /// takes one Adam step from both gradients; the generator then trains
    /// through the frozen discriminator on the last generated batch. With
    /// augmentation, every image D sees is augmented (fresh draws per pass),
    /// and G's gradient comes back through the augmentation. With spectral
    /// normalisation, D's weights are W/σ during each pass.
    public func step(real: Tensor, labels: [Int32]? = nil, globalBatch: Int? = nil, offset: Int = 0) -> StepResult {
        precondition(Array(real.shape.dropFirst()) == models.imageShape, "real batch \(real.shape), expected [B] + \(models.imageShape)")
        let batch = real.shape[0]
        precondition(models.classes == 0 || labels?.count == batch, "a conditional step needs one label per real image")
        let rows = Rows(batch: batch, global: globalBatch ?? batch, offset: offset)
        var dStats: [Float] = []
        var fake = real
        for _ in 0..<max(1, recipe.discriminatorSteps) {
            let z = drawNoise(batch: batch, global: rows.global, offset: offset)
            generatedLabels = drawLabels(batch: batch, global: rows.global, offset: offset)
            fake = models.generator.generate(noise: z, labels: models.classes > 0 ? generatedLabels : nil, training: true)
            dStats = discriminatorUpdate(real: real, labels: labels, fake: fake, rows: rows)
        }
        let gLoss = generatorUpdate(fake: fake, rows: rows)
        afterGeneratorUpdate(rows: rows, realSigns: dStats[3], realOutputs: dStats[4])
        return StepResult(discriminatorLossReal: dStats[0], discriminatorLossFake: dStats[1], generatorLoss: gLoss,
                          discriminatorAccuracy: dStats[2] / 2)
    }

    /// This replica's rows of a global batch; loss gradients are means over
    /// them, weighted so the group's sum is the global mean.
    struct Rows {
        let batch: Int, global: Int, offset: Int
        var weight: Float { Float(batch) / Float(global) }
    }

    /// What D sees of `images`: the images, or their augmentation by `layer` (fresh draws for the global batch, this replica's rows).
    func augmented(_ images: Tensor, by layer: Augmentation, rows: Rows) -> Tensor {
        guard recipe.augment != .none && !recipe.augmentPolicy.isEmpty else { return images }
        let probability: Float = recipe.augment == .ada ? Float(adaptive.probability) : 1
        let draws = Augmentation.draw(count: rows.global, height: models.imageShape[0], width: models.imageShape[1],
                                      policy: recipe.augmentPolicy, probability: probability, random: &augmentRandom)
        layer.draws = Array(draws[rows.offset..<(rows.offset + rows.batch)])
        return layer.forward(images, training: true)
    }

    /// One discriminator update; returns [loss real, loss fake, correct real + fake, Σ sign(D(real)), real outputs]
    /// summed over the replicas (the first three as global means).
    func discriminatorUpdate(real: Tensor, labels: [Int32]?, fake: Tensor, rows: Rows) -> [Float] {
        let d = models.discriminator
        let conditional = models.classes > 0
        spectralNorm?.normalize()
        d.frozen = false
        d.zeroGradients()
        if conditional { d.setClassLabels(labels!) }
        let realOut = d.forward(augmented(real, by: realAugment, rows: rows), training: true)
        let ones = targets(&realTargets, shape: realOut.shape, value: realLabel)
        let grad = reuse(gradient, realOut.shape)
        gradient = grad
        let lossReal = loss.real(realOut, targets: ones, gradient: grad)
        let accuracyReal = loss.accuracy(realOut, targets: ones)
        let signs = recipe.augment == .ada ? loss.signSum(realOut) : 0
        d.backward(Self.scaled(grad, by: rows.weight))
        if conditional { d.setClassLabels(generatedLabels) }
        let fakeOut = d.forward(augmented(fake, by: fakeAugment, rows: rows), training: true)
        let zeros = targets(&fakeTargets, shape: fakeOut.shape, value: 0)
        let lossFake = loss.fake(fakeOut, targets: zeros, gradient: grad)
        let accuracyFake = loss.accuracy(fakeOut, targets: zeros)
        d.backward(Self.scaled(grad, by: rows.weight))
        spectralNorm?.restore(gradients: true)
        var stats = [lossReal, lossFake, accuracyReal + accuracyFake].map { $0 * rows.weight }
        if recipe.augment == .ada { stats += [signs, Float(realOut.count)] }
        stats = sumOverReplicas(d.parameters, averaging: d.state, stats: stats)
        discriminatorOptimizer.step(d.parameters)
        return stats.count == 5 ? stats : stats + [0, 0]
    }

    /// The generator's update through the frozen discriminator (and the augmentation); returns G's loss (global mean).
    func generatorUpdate(fake: Tensor, rows: Rows) -> Float {
        let g = models.generator, d = models.discriminator
        spectralNorm?.normalize()
        d.frozen = true
        let scored = d.forward(augmented(fake, by: fakeAugment, rows: rows), training: true)
        let wanted = targets(&generatorTargets, shape: scored.shape, value: 1)
        let grad = reuse(gradient, scored.shape)
        gradient = grad
        let lossG = loss.generator(scored, targets: wanted, gradient: grad)
        var dFake = d.backward(Self.scaled(grad, by: rows.weight), needsInputGradient: true)!
        if recipe.augment != .none && !recipe.augmentPolicy.isEmpty {
            dFake = fakeAugment.backward(dFake, needsInputGradient: true, accumulateParameterGradients: false)!
        }
        spectralNorm?.restore(gradients: false)
        g.zeroGradients()
        g.backward(dFake)
        let gStats = sumOverReplicas(g.parameters, averaging: g.state, stats: [lossG * rows.weight])
        generatorOptimizer.step(g.parameters)
        d.frozen = false
        return gStats[0]
    }

    /// The moving average's update (β from the images seen before this step) and adaptive augmentation's signal.
    func afterGeneratorUpdate(rows: Rows, realSigns: Float, realOutputs: Float) {
        if let ema {
            let seen = Double(generatorOptimizer.iterations - 1) * Double(rows.global)
            ema.update(beta: Float(recipe.emaBeta(batch: rows.global, imagesSeen: seen)))
        }
        if recipe.augment == .ada {
            adaptive.record(signSum: Double(realSigns), outputs: Double(realOutputs), images: Double(rows.global), recipe: recipe)
        }
    }
}
