import GAN
import Support
import Testing

@Suite struct AugmentationTests {
    /// Draws for one image that exercise `operations` (shifts and the cutout chosen inside the image).
    static func draw(_ operations: Set<AugmentOperation>, height: Int) -> AugmentDraw {
        var d = AugmentDraw()
        if operations.contains(.color) { (d.brightness, d.saturation, d.contrast) = (0.3, 1.6, 0.7) }
        if operations.contains(.translation) { (d.shiftRows, d.shiftColumns) = (-1, 2) }
        if operations.contains(.cutout) { (d.cutRows, d.cutColumns) = (1..<(1 + height / 2), 2..<(2 + height / 2)) }
        return d
    }

    @Test(arguments: [1, 3])
    func eachOperationsGradientMatchesFiniteDifferences(channels: Int) {
        var checker = GradientChecker()
        let sets: [Set<AugmentOperation>] = [[.color], [.translation], [.cutout], [.color, .translation, .cutout]]
        for operations in sets {
            let layer = Augmentation(name: "augment/\(operations.map(\.rawValue).sorted().joined(separator: "+"))")
            layer.draws = [Self.draw(operations, height: 6), Self.draw(operations.subtracting([.translation]), height: 6)]
            // The maps are affine in the pixels: finite differences are exact away from nothing.
            checker.check(layer, input: checker.tensor([2, 6, 6, channels]), samples: 72)
        }
    }

    @Test func theSameSeedDrawsTheSameAugmentationsAndAnotherSeedOthers() {
        func draws(_ seed: UInt64, probability: Float = 1) -> [AugmentDraw] {
            var random = SeededGenerator(seed: seed)
            return Augmentation.draw(count: 16, height: 32, width: 32, policy: AugmentOperation.allCases, probability: probability, random: &random)
        }
        #expect(draws(7) == draws(7))
        #expect(draws(7) != draws(8))
        // Translation up to 1/8 of the side; cutout half the side, clipped to the image.
        for d in draws(7) {
            #expect(abs(d.shiftRows) <= 4 && abs(d.shiftColumns) <= 4)
            #expect((-0.5..<0.5).contains(d.brightness) && (0..<2).contains(d.saturation) && (0.5..<1.5).contains(d.contrast))
            #expect(d.cutRows.count <= 16 && d.cutRows.count >= 8 && d.cutRows.lowerBound >= 0 && d.cutRows.upperBound <= 32)
        }
        // Probability 0 keeps nothing, yet draws as many values (the generator's state depends only on the count).
        #expect(draws(7, probability: 0).allSatisfy { $0 == AugmentDraw() })
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        _ = Augmentation.draw(count: 4, height: 8, width: 8, policy: AugmentOperation.allCases, probability: 0, random: &a)
        _ = Augmentation.draw(count: 4, height: 8, width: 8, policy: AugmentOperation.allCases, probability: 1, random: &b)
        #expect(a.stateWords == b.stateWords)
    }

    @Test func anEmptyPolicyIsTheIdentityBothWays() {
        var random = SeededGenerator(seed: 1)
        let layer = Augmentation(name: "augment")
        layer.draws = Augmentation.draw(count: 3, height: 5, width: 5, policy: [], probability: 1, random: &random)
        let x = Tensor(shape: [3, 5, 5, 3])
        random.fillNormal(x)
        #expect(layer.forward(x, training: true).array == x.array)
        #expect(layer.backward(x, needsInputGradient: true, accumulateParameterGradients: false)!.array == x.array)
    }

    @Test func translationMovesPixelsAndCutoutZeroesTheSquare() {
        let layer = Augmentation(name: "augment")
        var d = AugmentDraw()
        (d.shiftRows, d.shiftColumns) = (1, -1)
        d.cutRows = 0..<1
        d.cutColumns = 0..<4
        layer.draws = [d]
        let x = Tensor(shape: [1, 4, 4, 1], values: (0..<16).map(Float.init))
        // y[i, j] = x[i + 1, j - 1]: row 0 cut out, column 0 and row 3 outside.
        #expect(layer.forward(x, training: true).array == [0, 0, 0, 0, 0, 8, 9, 10, 0, 12, 13, 14, 0, 0, 0, 0])
    }

    @Test func theHingeLossGradientMatchesFiniteDifferences() {
        let loss = AdversarialLoss(kind: .hinge, fromLogits: true)
        var random = SeededGenerator(seed: 4)
        let y = Tensor(shape: [8, 1])
        for i in 0..<8 { y.data[i] = random.nextNormal() * 2 + (random.nextUniform() < 0.5 ? 0.05 : -0.05) }
        let targets = Tensor(shape: [8, 1]), gradient = Tensor(shape: [8, 1])
        for which in 0..<3 {
            func value() -> Float {
                let g = Tensor(shape: [8, 1])
                return which == 0 ? loss.real(y, targets: targets, gradient: g) : which == 1 ? loss.fake(y, targets: targets, gradient: g)
                    : loss.generator(y, targets: targets, gradient: g)
            }
            _ = which == 0 ? loss.real(y, targets: targets, gradient: gradient) : which == 1 ? loss.fake(y, targets: targets, gradient: gradient)
                : loss.generator(y, targets: targets, gradient: gradient)
            for i in 0..<8 where abs(abs(y.data[i]) - 1) > 0.02 {
                let saved = y.data[i]
                y.data[i] = saved + 0.01
                let plus = value()
                y.data[i] = saved - 0.01
                let minus = value()
                y.data[i] = saved
                #expect(abs((plus - minus) / 0.02 - gradient.data[i]) < 1e-3, "loss \(which) output \(i)")
            }
        }
        // relu(1 - y) on reals, relu(1 + y) on generated, -y for G.
        let fixed = Tensor(shape: [2, 1], values: [0.5, -2])
        let g = Tensor(shape: [2, 1])
        #expect(loss.real(fixed, targets: fixed, gradient: g) == (0.5 + 3) / 2)
        #expect(loss.fake(fixed, targets: fixed, gradient: g) == (1.5 + 0) / 2)
        #expect(loss.generator(fixed, targets: fixed, gradient: g) == 0.75)
    }
}
