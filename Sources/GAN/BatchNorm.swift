import Foundation

/// Batch normalization over the last axis (features, or channels of NHWC),
/// with Keras's semantics: in training the batch's mean and (biased)
/// variance normalize, and the moving statistics follow
/// `moving = momentum * moving + (1 - momentum) * batch`; in inference the
/// moving statistics normalize. y = gamma * (x - mean) / sqrt(var + epsilon) + beta.
///
/// Class-conditional (`classes` > 0, de Vries et al. 2017; BigGAN's
/// generator): gamma and beta are [classes, features], and each image's row
/// of them, chosen by its class in `labels`, scales and shifts its
/// normalized values; the statistics stay the whole batch's.
public final class BatchNorm: Layer {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// Features normalized: the last dimension of the input.
    public let features: Int
    /// Keras's momentum (the original GAN used 0.8; Keras's default is 0.99).
    public let momentum: Float
    /// Added to the variance before its square root.
    public let epsilon: Float
    /// Classes of a class-conditional layer (one gamma and beta row each); 0: one row for every image.
    public let classes: Int
    /// A class-conditional layer's class for each image of the next forward pass (0..<classes).
    public var labels: [Int32] = []
    /// The scale per feature ([features], or [classes, features]), initialised to 1.
    public let gamma: Parameter
    /// The shift per feature ([features], or [classes, features]), initialised to 0.
    public let beta: Parameter
    /// The moving mean per feature, for inference.
    public let movingMean: Parameter
    /// The moving variance per feature, for inference.
    public let movingVariance: Parameter
    /// When false, training-mode passes leave the moving statistics alone
    /// (a frozen model still normalizes with its batch).
    public var updatesMovingStatistics = true
    private var normalized: Tensor?
    private var output: Tensor?
    private var inputGradient: Tensor?
    /// A class-conditional layer's gradient with respect to its normalized values.
    private var normalizedGradient: Tensor?
    /// Each row's offset into gamma and beta (its class times `features`) in the last forward pass.
    private var rowOffsets: [Int] = []
    private var mean: [Float]
    private var inverseStd: [Float]
    /// The last training-mode pass's (biased) variance per feature.
    private var variance: [Float]
    private var usedBatchStatistics = true
    /// The per-block sums of forward's statistics and backward's gradient sums.
    private var blockSums = BlockSums()
    /// Rows the batch statistics were computed over (all replicas' together).
    private var statisticsRows: Float = 1
    /// In data-parallel training: the replicas whose batches together make
    /// the global batch. Batch statistics (and their gradients) are then
    /// sums over every replica's rows (synchronized batch normalization),
    /// so the result equals one process on the whole batch.
    public var replicas: ReplicaGroup?

    /// Normalizes `features` features; the moving statistics follow the batch's by
    /// (1 - momentum) each training pass (Keras's convention); with `classes` > 0, one gamma
    /// and beta per class.
    public init(name: String, features: Int, classes: Int = 0, momentum: Float = 0.99, epsilon: Float = 0.001) {
        precondition(classes >= 0, "\(name): classes must not be negative")
        self.name = name
        self.features = features
        self.classes = classes
        self.momentum = momentum
        self.epsilon = epsilon
        let shape = classes > 0 ? [classes, features] : [features]
        gamma = Parameter(name: name + "/gamma", shape: shape)
        beta = Parameter(name: name + "/beta", shape: shape)
        movingMean = Parameter(name: name + "/moving_mean", shape: [features])
        movingVariance = Parameter(name: name + "/moving_variance", shape: [features])
        gamma.value.fill(1)
        movingVariance.value.fill(1)
        mean = Array(repeating: 0, count: features)
        inverseStd = Array(repeating: 1, count: features)
        variance = Array(repeating: 1, count: features)
    }

    /// The mean and (biased) variance per feature of the last training-mode pass's batch.
    public var batchStatistics: (mean: [Float], variance: [Float]) { (mean, variance) }

    /// The trained parameters: gamma and beta.
    public var parameters: [Parameter] { [gamma, beta] }
    /// The moving statistics, saved in checkpoints but not trained by the optimizer.
    public var state: [Parameter] { [movingMean, movingVariance] }

    /// The output has the input's shape.
    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    /// Training: y = gamma (x - mean) / sqrt(var + epsilon) + beta with the batch's
    /// mean and variance per feature (the moving ones updated by `momentum`);
    /// inference: with the moving ones.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.last == features, "\(name): input \(x.shape), expected last axis \(features)")
        let c = features
        let rows = x.count / c
        let y = reuse(output, x.shape)
        output = y
        let xhat = reuse(normalized, x.shape)
        normalized = xhat
        usedBatchStatistics = training
        mean.withUnsafeMutableBufferPointer { mean in
            inverseStd.withUnsafeMutableBufferPointer { inv in
                if training {
                    // Float partial sums over blocks of rows, accumulated in Double.
                    let xs = x.data
                    var (sum, sumSq) = blockSums(rows: rows, features: c) { i, p, q in
                        let row = xs + i * c
                        for j in 0..<c { let v = row[j]; p[j] += v; q[j] += v * v }
                    }
                    var n = Double(rows)
                    if let replicas, replicas.size > 1 {
                        var all = sum + sumSq + [n]
                        all.withUnsafeMutableBufferPointer { replicas.sum($0) }
                        sum = Array(all[0..<c])
                        sumSq = Array(all[c..<(2 * c)])
                        n = all[2 * c]
                    }
                    statisticsRows = Float(n)
                    for j in 0..<c {
                        let m = sum[j] / n
                        let variance = Swift.max(sumSq[j] / n - m * m, 0)
                        mean[j] = Float(m)
                        self.variance[j] = Float(variance)
                        inv[j] = Float(1 / (variance + Double(epsilon)).squareRoot())
                        if updatesMovingStatistics {
                            movingMean.value.data[j] = momentum * movingMean.value.data[j] + (1 - momentum) * Float(m)
                            movingVariance.value.data[j] = momentum * movingVariance.value.data[j] + (1 - momentum) * Float(variance)
                        }
                    }
                } else {
                    for j in 0..<c {
                        mean[j] = movingMean.value.data[j]
                        inv[j] = 1 / (movingVariance.value.data[j] + epsilon).squareRoot()
                    }
                }
                let offsets = classOffsets(rows: rows)
                let xs = x.data, xhats = xhat.data, ys = y.data
                forEachRows(rows, features: c) { range in
                    for i in range {
                        let src = xs + i * c, nrm = xhats + i * c, dst = ys + i * c
                        let offset = offsets.isEmpty ? 0 : offsets[i]
                        let g = gamma.value.data + offset, b = beta.value.data + offset
                        for j in 0..<c {
                            let v = (src[j] - mean[j]) * inv[j]
                            nrm[j] = v
                            dst[j] = g[j] * v + b[j]
                        }
                    }
                }
            }
        }
        return y
    }

    /// A class-conditional layer's offset into gamma and beta for each row: its image's class
    /// times `features` (the labels checked against the batch); empty (every row 0) otherwise.
    private func classOffsets(rows: Int) -> [Int] {
        guard classes > 0 else { return [] }
        precondition(!labels.isEmpty && rows % labels.count == 0, "\(name): \(labels.count) labels for \(rows) rows")
        let perImage = rows / labels.count
        rowOffsets.removeAll(keepingCapacity: true)
        for label in labels {
            precondition((0..<classes).contains(Int(label)), "\(name): label \(label) outside 0..<\(classes)")
            rowOffsets.append(contentsOf: repeatElement(Int(label) * features, count: perImage))
        }
        return rowOffsets
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard let xhat = normalized else { preconditionFailure("\(name): backward before forward") }
        precondition(dy.shape == xhat.shape, "\(name): output gradient \(dy.shape), expected \(xhat.shape)")
        if classes > 0 {
            if accumulateParameterGradients { accumulateClassGradients(dy, xhat: xhat) }
            guard needsInputGradient else { return nil }
            // The gradient with respect to the normalized values, gamma of each row's class applied.
            let scaled = reuse(normalizedGradient, dy.shape)
            normalizedGradient = scaled
            let c = features, dys = dy.data, out = scaled.data, g = gamma.value.data
            forEachRows(dy.count / c, features: c) { range in
                for i in range {
                    let d = dys + i * c, o = out + i * c, gain = g + rowOffsets[i]
                    for j in 0..<c { o[j] = gain[j] * d[j] }
                }
            }
            return inputGradient(scaled, xhat: xhat, gain: nil)
        }
        let (sumDy, sumDyX) = gradientSums(dy, xhat: xhat)
        if accumulateParameterGradients {
            for j in 0..<features {
                beta.gradient.data[j] += sumDy[j]
                gamma.gradient.data[j] += sumDyX[j]
            }
        }
        guard needsInputGradient else { return nil }
        return inputGradient(dy, xhat: xhat, gain: gamma.value.data, sums: (sumDy, sumDyX))
    }

    /// sum(dy) and sum(dy * xhat) per feature over every row.
    private func gradientSums(_ dy: Tensor, xhat: Tensor) -> ([Float], [Float]) {
        let c = features, dys = dy.data, xhats = xhat.data
        let sums = blockSums(rows: dy.count / c, features: c) { i, s, t in
            let d = dys + i * c, h = xhats + i * c
            for j in 0..<c { s[j] += d[j]; t[j] += d[j] * h[j] }
        }
        return (sums.first.map { Float($0) }, sums.second.map { Float($0) })
    }

    /// A class-conditional layer's parameter gradients: each row's dy and dy * xhat added to its class's beta and gamma.
    private func accumulateClassGradients(_ dy: Tensor, xhat: Tensor) {
        let c = features, dys = dy.data, xhats = xhat.data
        let dg = gamma.gradient.data, db = beta.gradient.data
        for (i, offset) in rowOffsets.enumerated() {
            let d = dys + i * c, h = xhats + i * c
            for j in 0..<c {
                db[offset + j] += d[j]
                dg[offset + j] += d[j] * h[j]
            }
        }
    }

    /// The input gradient from `dy`, the gradient with respect to the layer's output scaled by
    /// `gain` per feature (nil: already the gradient with respect to the normalized values).
    /// With batch statistics dx = gain * inv / N * (N dy - sum(dy) - xhat * sum(dy xhat)).
    private func inputGradient(_ dy: Tensor, xhat: Tensor, gain: UnsafeMutablePointer<Float>?,
                               sums: ([Float], [Float])? = nil) -> Tensor {
        let c = features
        let rows = dy.count / c
        let dx = reuse(inputGradient, dy.shape)
        inputGradient = dx
        let dys = dy.data, xhats = xhat.data, dxs = dx.data
        let scale = (0..<c).map { j in (gain?[j] ?? 1) * inverseStd[j] }
        guard usedBatchStatistics else {
            forEachRows(rows, features: c) { range in
                for i in range {
                    let d = dys + i * c, o = dxs + i * c
                    for j in 0..<c { o[j] = scale[j] * d[j] }
                }
            }
            return dx
        }
        var (sumDy, sumDyX) = sums ?? gradientSums(dy, xhat: xhat)
        var n = Float(rows)
        if let replicas, replicas.size > 1 {
            // The input gradient needs the sums over the global batch; the
            // parameter gradients stay this replica's (summed by the trainer).
            var all = sumDy + sumDyX
            all.withUnsafeMutableBufferPointer { replicas.sum($0) }
            sumDy = Array(all[0..<c])
            sumDyX = Array(all[c..<(2 * c)])
            n = statisticsRows
        }
        let meanDy = sumDy.map { $0 / n }, meanDyX = sumDyX.map { $0 / n }
        forEachRows(rows, features: c) { range in
            for i in range {
                let d = dys + i * c, h = xhats + i * c, o = dxs + i * c
                for j in 0..<c { o[j] = scale[j] * (d[j] - meanDy[j] - h[j] * meanDyX[j]) }
            }
        }
        return dx
    }
}
