import Foundation
import Support

/// One image's augmentation, drawn once and applied forward and backward.
public struct AugmentDraw: Sendable, Equatable {
    /// Added to every pixel (brightness; 0: off).
    public var brightness: Float = 0
    /// Each pixel's distance from its channels' mean is scaled by this (saturation; 1: off).
    public var saturation: Float = 1
    /// The image's distance from its mean is scaled by this (contrast; 1: off).
    public var contrast: Float = 1
    /// Output row i reads input row i + shiftRows (zero outside the image).
    public var shiftRows = 0
    /// Output column j reads input column j + shiftColumns.
    public var shiftColumns = 0
    /// The zeroed square's rows and columns (empty: no cutout).
    public var cutRows = 0..<0
    /// The zeroed square's columns.
    public var cutColumns = 0..<0

    /// No change.
    public init() {}
}

/// Differentiable augmentation of a batch [B, H, W, C] (DiffAugment, Zhao et
/// al. 2020), as a layer: `forward` applies each image's `draws`, `backward`
/// takes the gradient back to the un-augmented images, so what D learns from
/// augmented generated images reaches G. Every operation is affine in the
/// pixels, so the backward pass needs only the draws:
///
/// - brightness y = x + b (b in [-0.5, 0.5)): dx = dy;
/// - saturation y_c = s (x_c - m) + m, m the pixel's mean over C (s in [0, 2); only with colour):
///   dx_c = s dy_c + (1 - s) mean_c(dy);
/// - contrast y = k (x - M) + M, M the image's mean (k in [0.5, 1.5)): dx = k dy + (1 - k) mean(dy);
/// - translation y[i, j] = x[i + r, j + c], zero outside (|r|, |c| up to H/8, W/8): dx[i + r, j + c] = dy[i, j];
/// - cutout: a square of half the side zeroed: dx = dy outside it, 0 inside.
public final class Augmentation: Layer {
    /// The layer's name.
    public let name: String
    /// One draw per image of the next batch (set by `draw`, or by hand in tests).
    public var draws: [AugmentDraw] = []
    private var output: Tensor?
    private var inputGradient: Tensor?
    private var scratch: [Float] = []

    /// An augmentation layer without draws yet.
    public init(name: String) { self.name = name }

    /// The same shape.
    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    /// Draws `count` images' augmentations from `random`: the operations of `policy`, each image's
    /// each operation kept with probability `probability` (1 for DiffAugment). The same number of
    /// values is drawn whatever is kept, so the generator's state depends only on the count.
    public static func draw(count: Int, height: Int, width: Int, policy: [AugmentOperation], probability: Float,
                            random: inout SeededGenerator) -> [AugmentDraw] {
        (0..<count).map { _ in
            var d = AugmentDraw()
            for operation in policy {
                switch operation {
                case .color:
                    let (b, s, k) = (random.nextUniform(), random.nextUniform(), random.nextUniform())
                    if random.nextUniform() < probability { d.brightness = b - 0.5 }
                    if random.nextUniform() < probability { d.saturation = s * 2 }
                    if random.nextUniform() < probability { d.contrast = k + 0.5 }
                case .translation:
                    let (sr, sc) = (Int(Double(height) * 0.125 + 0.5), Int(Double(width) * 0.125 + 0.5))
                    let (r, c) = (random.below(2 * sr + 1) - sr, random.below(2 * sc + 1) - sc)
                    if random.nextUniform() < probability { (d.shiftRows, d.shiftColumns) = (r, c) }
                case .cutout:
                    let (h, w) = (Int(Double(height) * 0.5 + 0.5), Int(Double(width) * 0.5 + 0.5))
                    let (r, c) = (random.below(height + 1 - h % 2), random.below(width + 1 - w % 2))
                    if random.nextUniform() < probability {
                        d.cutRows = max(0, r - h / 2)..<min(height, r - h / 2 + h)
                        d.cutColumns = max(0, c - w / 2)..<min(width, c - w / 2 + w)
                    }
                }
            }
            return d
        }
    }

    /// Each image augmented by its draw.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.shape.count == 4 && draws.count == input.shape[0], "augmentation of \(input.shape) with \(draws.count) draws")
        let y = reuse(output, input.shape)
        output = y
        let (h, w, c) = (input.shape[1], input.shape[2], input.shape[3])
        let size = h * w * c
        if scratch.count != size { scratch = [Float](repeating: 0, count: size) }
        for (n, d) in draws.enumerated() {
            let x = input.data + n * size, out = y.data + n * size
            scratch.withUnsafeMutableBufferPointer { t in
                t.baseAddress!.update(from: x, count: size)
                Self.color(t.baseAddress!, d, pixels: h * w, channels: c, backward: false)
                Self.translate(from: t.baseAddress!, to: out, d, height: h, width: w, channels: c, backward: false)
            }
            Self.cut(out, d, width: w, channels: c)
        }
        return y
    }

    /// The gradient with respect to the un-augmented images.
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        let dx = reuse(inputGradient, outputGradient.shape)
        inputGradient = dx
        let (h, w, c) = (outputGradient.shape[1], outputGradient.shape[2], outputGradient.shape[3])
        let size = h * w * c
        if scratch.count != size { scratch = [Float](repeating: 0, count: size) }
        for (n, d) in draws.enumerated() {
            let g = outputGradient.data + n * size, out = dx.data + n * size
            scratch.withUnsafeMutableBufferPointer { t in
                t.baseAddress!.update(from: g, count: size)
                Self.cut(t.baseAddress!, d, width: w, channels: c)
                Self.translate(from: t.baseAddress!, to: out, d, height: h, width: w, channels: c, backward: true)
            }
            Self.color(out, d, pixels: h * w, channels: c, backward: true)
        }
        return dx
    }

    /// Brightness, saturation and contrast in place; backward: their transposes, in reverse order.
    static func color(_ x: UnsafeMutablePointer<Float>, _ d: AugmentDraw, pixels: Int, channels c: Int, backward: Bool) {
        let size = pixels * c
        if !backward && d.brightness != 0 { for i in 0..<size { x[i] += d.brightness } }
        func saturate() {
            guard c > 1 && d.saturation != 1 else { return }
            let s = d.saturation
            for p in 0..<pixels {
                var mean: Float = 0
                for k in 0..<c { mean += x[p * c + k] }
                mean /= Float(c)
                for k in 0..<c { x[p * c + k] = s * x[p * c + k] + (1 - s) * mean }
            }
        }
        func contrast() {
            guard d.contrast != 1 else { return }
            var mean: Float = 0
            for i in 0..<size { mean += x[i] }
            mean /= Float(size)
            let k = d.contrast
            for i in 0..<size { x[i] = k * x[i] + (1 - k) * mean }
        }
        // Both maps are symmetric (s I + (1 - s) J/C), so each is its own transpose.
        if backward { contrast(); saturate() } else { saturate(); contrast() }
    }

    /// Forward: to[i, j] = from[i + r, j + c] (zero outside); backward: to[i + r, j + c] = from[i, j] (zero elsewhere).
    static func translate(from: UnsafeMutablePointer<Float>, to: UnsafeMutablePointer<Float>, _ d: AugmentDraw, height h: Int, width w: Int,
                          channels c: Int, backward: Bool) {
        guard d.shiftRows != 0 || d.shiftColumns != 0 else {
            to.update(from: from, count: h * w * c)
            return
        }
        to.update(repeating: 0, count: h * w * c)
        for i in 0..<h {
            let si = i + d.shiftRows
            guard si >= 0 && si < h else { continue }
            let j0 = max(0, -d.shiftColumns), j1 = min(w, w - d.shiftColumns)
            guard j0 < j1 else { continue }
            let n = (j1 - j0) * c
            let shifted = (si * w + j0 + d.shiftColumns) * c, plain = (i * w + j0) * c
            if backward { (to + shifted).update(from: from + plain, count: n) } else { (to + plain).update(from: from + shifted, count: n) }
        }
    }

    /// Zeroes the cutout square (its own transpose).
    static func cut(_ x: UnsafeMutablePointer<Float>, _ d: AugmentDraw, width w: Int, channels c: Int) {
        guard !d.cutRows.isEmpty && !d.cutColumns.isEmpty else { return }
        for i in d.cutRows { (x + (i * w + d.cutColumns.lowerBound) * c).update(repeating: 0, count: d.cutColumns.count * c) }
    }
}
