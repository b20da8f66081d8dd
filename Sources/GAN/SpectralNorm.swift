import Foundation
import Support

/// Spectral normalisation (Miyato et al. 2018) of a set of weights: each is
/// used as W / σ(W), σ the largest singular value of W seen as a matrix
/// [rows = count / last dimension, columns = last dimension] (a Dense
/// kernel [in, out], a convolution's [k·k·in, out], an embedding [classes, d]).
///
/// σ is estimated by power iteration with a persistent vector u (one
/// iteration per use): v = Wᵀu / ‖Wᵀu‖, u = Wv / ‖Wv‖, σ = uᵀWv. With u and v
/// held constant, as in SNGAN and PyTorch, the gradient of the raw weight
/// from G = ∂L/∂(W/σ) is (G − ⟨G, W/σ⟩ u vᵀ) / σ.
///
/// Use: `normalize()` before a pass (the layers' weights become W/σ, the raw
/// W is kept aside), `restore(gradients:)` after it (the raw W returns, and
/// its gradient is computed from the normalised one's); the optimizer then
/// updates the raw W, which is what checkpoints hold, with u beside it.
public final class SpectralNorm {
    final class Entry {
        let parameter: Parameter
        let u: Parameter
        let raw: Tensor
        var v: [Float]
        var sigma: Float = 1
        let rows: Int, columns: Int

        init(parameter: Parameter, random: inout SeededGenerator) {
            self.parameter = parameter
            columns = parameter.value.shape.last!
            rows = parameter.value.count / columns
            u = Parameter(name: parameter.name + "_sn_u", shape: [rows])
            random.fillNormal(u.value)
            SpectralNorm.normalise(u.value.data, count: rows)
            raw = Tensor(shape: parameter.value.shape)
            v = [Float](repeating: 0, count: columns)
        }
    }

    private let entries: [Entry]
    /// Whether the layers currently hold W/σ.
    public private(set) var isNormalized = false

    /// Normalises `parameters` (each with at least two dimensions); u starts as a random unit vector from `seed`.
    public init(parameters: [Parameter], seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        entries = parameters.map { Entry(parameter: $0, random: &random) }
    }

    /// The weights a discriminator's spectral normalisation applies to: every kernel and class embedding.
    public static func weights(of model: Sequential) -> [Parameter] {
        model.parameters.filter { $0.value.shape.count >= 2 && ($0.name.hasSuffix("/kernel") || $0.name.hasSuffix("/class_embedding")) }
    }

    /// The u vectors (`<weight>_sn_u`, beside the weight), for checkpoints.
    public var state: [Parameter] { entries.map(\.u) }

    /// Each weight's σ from its last power iteration.
    public var sigmas: [Float] { entries.map(\.sigma) }

    /// One power iteration per weight (u moves), then the layers' weights become W/σ.
    public func normalize() {
        precondition(!isNormalized, "spectral normalisation applied twice")
        for e in entries {
            let w = e.parameter.value
            e.raw.data.update(from: w.data, count: w.count)
            e.sigma = Self.powerIteration(e)
            let scale = 1 / e.sigma
            for i in 0..<w.count { w.data[i] *= scale }
        }
        isNormalized = true
    }

    /// The raw weights back in the layers; with `gradients`, each raw weight's gradient from the normalised one's.
    public func restore(gradients: Bool) {
        precondition(isNormalized, "spectral normalisation restored without normalize()")
        for e in entries {
            let w = e.parameter.value, g = e.parameter.gradient
            if gradients {
                var inner: Double = 0
                for i in 0..<w.count { inner += Double(g.data[i]) * Double(w.data[i]) }
                let dot = Float(inner), scale = 1 / e.sigma
                e.v.withUnsafeBufferPointer { v in
                    for r in 0..<e.rows {
                        let ur = dot * e.u.value.data[r]
                        let row = g.data + r * e.columns
                        for c in 0..<e.columns { row[c] = (row[c] - ur * v[c]) * scale }
                    }
                }
            }
            w.data.update(from: e.raw.data, count: w.count)
        }
        isNormalized = false
    }

    /// v = Wᵀu/‖Wᵀu‖, u = Wv/‖Wv‖; returns σ = uᵀWv = ‖Wv‖.
    static func powerIteration(_ e: Entry) -> Float {
        let w = e.raw.data, u = e.u.value.data
        return e.v.withUnsafeMutableBufferPointer { vb -> Float in
            let v = vb.baseAddress!
            v.update(repeating: 0, count: e.columns)
            for r in 0..<e.rows {
                let ur = u[r], row = w + r * e.columns
                for c in 0..<e.columns { v[c] += ur * row[c] }
            }
            normalise(v, count: e.columns)
            var norm: Double = 0
            for r in 0..<e.rows {
                let row = w + r * e.columns
                var dot: Float = 0
                for c in 0..<e.columns { dot += row[c] * v[c] }
                u[r] = dot
                norm += Double(dot) * Double(dot)
            }
            let sigma = Float(norm.squareRoot())
            normalise(u, count: e.rows)
            return max(sigma, 1e-12)
        }
    }

    /// x / max(‖x‖, 1e-12), in place.
    static func normalise(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var norm: Double = 0
        for i in 0..<count { norm += Double(x[i]) * Double(x[i]) }
        let scale = 1 / Float(max(norm.squareRoot(), 1e-12))
        for i in 0..<count { x[i] *= scale }
    }
}
