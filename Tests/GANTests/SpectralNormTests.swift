import GAN
import LinearAlgebra
import Support
import Testing

@Suite struct SpectralNormTests {
    /// The largest singular value of a rows x columns matrix, from LAPACK's eigenvalues of WᵀW.
    static func largestSingularValue(_ w: Tensor) throws -> Double {
        let columns = w.shape.last!, rows = w.count / columns
        let values = try DoubleAlgebra.symmetricEigen(DoubleAlgebra.gram(w.array.map(Double.init), rows: rows, columns: columns), n: columns).values
        return values.max()!.squareRoot()
    }

    @Test func theNormalisedWeightsLargestSingularValueIsOne() throws {
        let conv = Conv2D(name: "d/conv", inputChannels: 3, filters: 8, kernelSize: 4, stride: 2)
        let dense = Dense(name: "d/dense", inputSize: 20, units: 6)
        var random = SeededGenerator(seed: 9)
        random.fillNormal(conv.kernel.value, std: 0.3)
        random.fillNormal(dense.kernel.value, std: 2)
        let norm = SpectralNorm(parameters: [conv.kernel, dense.kernel], seed: 1)
        let raw = [conv.kernel.value.array, dense.kernel.value.array]
        for _ in 0..<30 {
            norm.normalize()
            norm.restore(gradients: false)
        }
        norm.normalize()
        for (p, sigma) in zip([conv.kernel, dense.kernel], norm.sigmas) {
            let normalised = try Self.largestSingularValue(p.value)
            #expect(abs(normalised - 1) < 1e-2, "\(p.name): largest singular value \(normalised) after normalisation (σ estimate \(sigma))")
        }
        norm.restore(gradients: false)
        #expect([conv.kernel.value.array, dense.kernel.value.array] == raw, "restore puts the raw weights back")
        #expect(norm.state.map(\.name) == ["d/conv/kernel_sn_u", "d/dense/kernel_sn_u"])
    }

    @Test func theRawWeightsGradientMatchesFiniteDifferences() throws {
        // L(W) = Σ R ⊙ W/σ(W), σ LAPACK's; the analytic gradient at a converged u.
        let p = Parameter(name: "d/dense/kernel", shape: [7, 5])
        var random = SeededGenerator(seed: 2)
        random.fillNormal(p.value)
        let r = (0..<35).map { _ in Double(random.nextNormal()) }
        let norm = SpectralNorm(parameters: [p], seed: 3)
        for _ in 0..<200 { norm.normalize(); norm.restore(gradients: false) }
        norm.normalize()
        for i in 0..<35 { p.gradient.data[i] = Float(r[i]) }
        norm.restore(gradients: true)
        func loss() throws -> Double {
            let sigma = try Self.largestSingularValue(p.value)
            return zip(p.value.array, r).reduce(0) { $0 + Double($1.0) * $1.1 } / sigma
        }
        for i in 0..<35 {
            let saved = p.value.data[i]
            p.value.data[i] = saved + 1e-2
            let plus = try loss()
            p.value.data[i] = saved - 1e-2
            let minus = try loss()
            p.value.data[i] = saved
            let numeric = (plus - minus) / 2e-2, analytic = Double(p.gradient.data[i])
            #expect(abs(numeric - analytic) < 2e-3 + 1e-2 * abs(numeric), "W[\(i)]: analytic \(analytic), numeric \(numeric)")
        }
    }
}
