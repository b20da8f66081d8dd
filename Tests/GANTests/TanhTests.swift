import Foundation
@testable import GAN
import Testing

/// The generator's tanh against libm's `tanhf` (an independent
/// implementation), over the whole range, in the vector part and the tail.
@Suite struct TanhTests {
    @Test func matchesLibmWithinAFewUnitsInTheLastPlace() {
        // 200,001 values from -12 to 12 (an odd count: the last ones go through the scalar tail).
        let inputs = (0...200_000).map { Float($0 - 100_000) * 1.2e-4 } + [1e-5, -3e-4, 4e-4, 1e-30, 0, -0.0, 20, -100, .infinity, -.infinity]
        var outputs = [Float](repeating: .nan, count: inputs.count)
        Tanh(name: "t").apply(inputs, &outputs, inputs.count)
        var worst: Float = 0
        for (x, y) in zip(inputs, outputs) {
            let expected = tanhf(x)
            let error = abs(y - expected)
            worst = max(worst, error / max(abs(expected), Float.leastNormalMagnitude))
            #expect(abs(y) <= 1, "tanh(\(x)) = \(y) is outside [-1, 1]")
            #expect(y.sign == expected.sign || expected == 0, "tanh(\(x)) = \(y) has the wrong sign")
        }
        #expect(worst < 1e-6, "largest relative error \(worst)")
        #expect(outputs[inputs.count - 2] == 1 && outputs[inputs.count - 1] == -1)
    }

    @Test func aNaNStaysNaNAndItsNeighboursAreUntouched() {
        var inputs = [Float](repeating: 0.5, count: 19)
        inputs[3] = .nan
        inputs[17] = .nan
        var outputs = [Float](repeating: 0, count: 19)
        Tanh(name: "t").apply(inputs, &outputs, 19)
        #expect(outputs[3].isNaN && outputs[17].isNaN, "vector part and tail")
        #expect(outputs.enumerated().filter { $0.offset != 3 && $0.offset != 17 }.allSatisfy { abs($0.element - tanhf(0.5)) < 1e-7 })
    }
}
