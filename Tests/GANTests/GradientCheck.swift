import GAN
import Support
import Testing

/// Finite-difference gradient checking for layers.
///
/// The scalar loss is L = sum(y * R) for a fixed random R, so dL/dy = R.
/// Analytic gradients come from `backward(R)`; numeric ones from central
/// differences of L, accumulated in Double. An entry passes when
/// |analytic - numeric| <= absoluteTolerance + relativeTolerance * max(|analytic|, |numeric|):
/// float32 forward passes leave differences below 1e-4 here, and an entry
/// off by 1e-3 fails wherever the gradient is under 0.16 in magnitude
/// (`GradientCheckerTests` shows it).
struct GradientChecker {
    var random = SeededGenerator(seed: 42)
    var step: Float = 1e-2
    var absoluteTolerance = 2e-4
    var relativeTolerance = 5e-3

    func loss(_ y: Tensor, _ r: [Float]) -> Double {
        var total = 0.0
        for i in 0..<y.count { total += Double(y.data[i]) * Double(r[i]) }
        return total
    }

    /// Checks the input gradient and every parameter's gradient at up to
    /// `samples` positions each.
    mutating func check(_ layer: Layer, input: Tensor, training: Bool = true, samples: Int = 24,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        for problem in mismatches(layer, input: input, training: training, samples: samples) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    /// The entries whose analytic and numeric gradients disagree, described.
    mutating func mismatches(_ layer: Layer, input: Tensor, training: Bool = true, samples: Int = 24) -> [String] {
        var problems: [String] = []
        let y0 = layer.forward(input, training: training)
        var r = [Float](repeating: 0, count: y0.count)
        for i in 0..<r.count { r[i] = random.nextNormal() }
        let dy = Tensor(shape: y0.shape, values: r)
        for p in layer.parameters { p.gradient.fill(0) }
        let dx = layer.backward(dy, needsInputGradient: true, accumulateParameterGradients: true)!.clone()
        let analyticParameters = layer.parameters.map { $0.gradient.clone() }

        func numeric(_ target: Tensor, _ index: Int) -> Double {
            let saved = target.data[index]
            target.data[index] = saved + step
            let plus = loss(layer.forward(input, training: training), r)
            target.data[index] = saved - step
            let minus = loss(layer.forward(input, training: training), r)
            target.data[index] = saved
            return (plus - minus) / (2 * Double(step))
        }
        func compare(_ what: String, analytic: Float, numeric: Double) {
            let a = Double(analytic)
            if abs(a - numeric) > absoluteTolerance + relativeTolerance * max(abs(a), abs(numeric)) {
                problems.append("\(layer.name) \(what): analytic \(analytic), numeric \(numeric)")
            }
        }
        for k in 0..<min(samples, input.count) {
            let i = input.count <= samples ? k : Int(random.next() % UInt64(input.count))
            compare("dx[\(i)]", analytic: dx.data[i], numeric: numeric(input, i))
        }
        for (p, analytic) in zip(layer.parameters, analyticParameters) {
            for k in 0..<min(samples, p.value.count) {
                let i = p.value.count <= samples ? k : Int(random.next() % UInt64(p.value.count))
                compare("\(p.name)[\(i)]", analytic: analytic.data[i], numeric: numeric(p.value, i))
            }
        }
        return problems
    }

    mutating func tensor(_ shape: [Int], scale: Float = 1, awayFromZero: Bool = false) -> Tensor {
        let t = Tensor(shape: shape)
        for i in 0..<t.count {
            var v = random.nextNormal() * scale
            if awayFromZero && abs(v) < 0.1 { v += v < 0 ? -0.1 : 0.1 }
            t.data[i] = v
        }
        return t
    }

    mutating func randomize(_ layer: Layer, scale: Float = 0.3) {
        for p in layer.parameters { random.fillNormal(p.value, std: scale) }
    }
}
