/// Decodes an image file and turns it into a training sample: fitted to the
/// target size (area-averaging resize), converted to the target channels,
/// normalized as `x / 127.5 - 1` (0 → -1, 255 → 1), float32 HWC.
public struct ImagePreprocessor: Sendable {
    /// The target size.
    public var size: ImageSize
    /// 1 (gray) or 3 (colour).
    public var channels: Int
    /// RGB or BGR in the output.
    public var channelOrder: ChannelOrder
    /// How an image of another aspect is fitted: stretch, crop or pad.
    public var mode: ResizeMode
    /// Decodes the files (pixel limit, strictness, alpha).
    public var decoder: ImageDecoder
    /// Decode JPEGs at the smallest DCT scale that still covers what the
    /// resize needs (the main speed lever). Off only for comparisons.
    public var useDCTScaling: Bool

    /// A preprocessor to `size` and `channels`.
    public init(size: ImageSize = ImageSize(64), channels: Int = 3, channelOrder: ChannelOrder = .rgb,
                mode: ResizeMode = .centerCrop, decoder: ImageDecoder = ImageDecoder(), useDCTScaling: Bool = true) {
        precondition(channels == 1 || channels == 3, "channels must be 1 or 3")
        self.size = size
        self.channels = channels
        self.channelOrder = channelOrder
        self.mode = mode
        self.decoder = decoder
        self.useDCTScaling = useDCTScaling
    }

    /// The target width.
    public var width: Int { size.width }
    /// The target height.
    public var height: Int { size.height }

    /// Floats per sample: height x width x channels.
    public var sampleSize: Int { width * height * channels }

    /// The smallest decoded size (display orientation) that keeps every
    /// source pixel the resize needs, for an image displayed at `size`.
    public func minimumDecodeSize(forDisplaySize size: (width: Int, height: Int)) -> (width: Int, height: Int) {
        let sx = Double(width) / Double(size.width)
        let sy = Double(height) / Double(size.height)
        switch mode {
        case .stretch: return (width, height)
        case .centerCrop:
            let s = max(sx, sy)
            return (Int((Double(size.width) * s).rounded(.up)), Int((Double(size.height) * s).rounded(.up)))
        case .pad:
            let s = min(sx, sy)
            return (Int((Double(size.width) * s).rounded(.up)), Int((Double(size.height) * s).rounded(.up)))
        }
    }

    /// Decodes `data` and writes the sample into `output` (`sampleSize` floats).
    public func process(_ data: [UInt8], into output: UnsafeMutableBufferPointer<Float>) throws(ImageError) {
        try process(data, header: try decoder.header(of: data), into: output)
    }

    /// Decodes `data`, whose header was read already, into `output`; returns
    /// the image as decoded (before it is fitted), for what else looks at it.
    @discardableResult
    public func process(_ data: [UInt8], header: ImageHeader, into output: UnsafeMutableBufferPointer<Float>) throws(ImageError) -> DecodedImage {
        let minimum = useDCTScaling ? minimumDecodeSize(forDisplaySize: header.displaySize) : nil
        let image = try decoder.decode(data, header: header, minimum: minimum)
        render(image, into: output)
        return image
    }

    /// Decodes `data`, whose header was read already, into `output` without
    /// returning the decoded image: a PNG goes into the resize a row at a
    /// time as libpng decodes it, its alpha composited on the way when the
    /// decoder keeps alpha (`ImageDecoder.keepsAlpha`), so its pixels are
    /// read back from the cache, not from memory; the same sample as `process`.
    public func render(_ data: [UInt8], header: ImageHeader, into output: UnsafeMutableBufferPointer<Float>) throws(ImageError) {
        if header.format == .png && (decoder.keepsAlpha || !header.hasAlpha) {
            let plan = plan(width: header.width, height: header.height, channels: header.channels + (header.hasAlpha ? 1 : 0))
            let streaming = StreamingResize(plan.resize)
            if try decoder.decodeRows(data, header: header, into: streaming) {
                write(plan, into: output) { streaming.finish(into: $0) }
                return
            }
        }
        try process(data, header: header, into: output)
    }

    /// Fits an already decoded image into `output` (`sampleSize` floats).
    public func render(_ image: DecodedImage, into output: UnsafeMutableBufferPointer<Float>) {
        let plan = plan(width: image.width, height: image.height, channels: image.channels)
        write(plan, into: output) { resized in
            image.pixels.withUnsafeBufferPointer { plan.resize.run($0, sourceWidth: image.width, into: resized) }
        }
    }

    /// Where an image of this size goes in the sample, and the resize that takes it there.
    struct Plan {
        var resize: SeparableResize
        var dstX: Int, dstY: Int, dstW: Int, dstH: Int
        var resizedCount: Int { dstW * dstH * resize.outputChannels }
    }

    func plan(width sourceWidth: Int, height sourceHeight: Int, channels sourceChannels: Int) -> Plan {
        let sw = Double(sourceWidth), sh = Double(sourceHeight)
        // Source window and destination rectangle.
        var srcX = 0.0, srcY = 0.0, srcW = sw, srcH = sh
        var dstX = 0, dstY = 0, dstW = width, dstH = height
        switch mode {
        case .stretch: break
        case .centerCrop:
            let s = max(Double(width) / sw, Double(height) / sh)
            srcW = Double(width) / s
            srcH = Double(height) / s
            srcX = (sw - srcW) / 2
            srcY = (sh - srcH) / 2
        case .pad:
            let s = min(Double(width) / sw, Double(height) / sh)
            dstW = max(1, min(width, Int((sw * s).rounded())))
            dstH = max(1, min(height, Int((sh * s).rounded())))
            dstX = (width - dstW) / 2
            dstY = (height - dstH) / 2
        }
        let resize = SeparableResize(
            horizontal: AxisFilter(sourceLength: sourceWidth, start: srcX, length: srcW, outputLength: dstW),
            vertical: AxisFilter(sourceLength: sourceHeight, start: srcY, length: srcH, outputLength: dstH),
            channels: sourceChannels)
        return Plan(resize: resize, dstX: dstX, dstY: dstY, dstW: dstW, dstH: dstH)
    }

    /// The rectangle `resample` fills (`plan.resizedCount` floats in
    /// 0...255, the source's channels less alpha) converted, normalized and
    /// in channel order, into `output`.
    func write(_ plan: Plan, into output: UnsafeMutableBufferPointer<Float>, resample: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let resized = [Float](unsafeUninitializedCapacity: plan.resizedCount) { buffer, initialized in
            resample(buffer)
            initialized = plan.resizedCount
        }
        precondition(output.count >= sampleSize, "output holds \(output.count) floats, needs \(sampleSize)")
        let (dstX, dstY, dstW, dstH) = (plan.dstX, plan.dstY, plan.dstW, plan.dstH)
        let c = channels
        if mode == .pad && (dstW != width || dstH != height) {
            // White margins: 255 normalizes to 1.
            output.initialize(repeating: 1)
        }
        let srcC = plan.resize.outputChannels
        // Channels converted, normalized, in channel order, into the destination rectangle.
        let swapRB = c == 3 && channelOrder == .bgr
        resized.withUnsafeBufferPointer { r in
            for y in 0..<dstH {
                let outRow = ((dstY + y) * width + dstX) * c
                let inRow = y * dstW * srcC
                if srcC == c && !swapRB {
                    // Same channels, same order: one contiguous run per row (vector code).
                    let from = r.baseAddress! + inRow, to = output.baseAddress! + outRow
                    for i in 0..<(dstW * c) { to[i] = Self.normalized(from[i]) }
                    continue
                }
                for x in 0..<dstW {
                    let p = inRow + x * srcC
                    let o = outRow + x * c
                    if c == 3 {
                        let (red, green, blue) = srcC == 3 ? (r[p], r[p + 1], r[p + 2]) : (r[p], r[p], r[p])
                        output[o] = Self.normalized(swapRB ? blue : red)
                        output[o + 1] = Self.normalized(green)
                        output[o + 2] = Self.normalized(swapRB ? red : blue)
                    } else {
                        // ITU-R 601 luma, as Pillow's "L" conversion.
                        output[o] = Self.normalized(srcC == 3 ? 0.299 * r[p] + 0.587 * r[p + 1] + 0.114 * r[p + 2] : r[p])
                    }
                }
            }
        }
    }

    /// 0...255 to -1...1. Weights sum to 1 only up to rounding: clamped to the promised range.
    @inline(__always)
    static func normalized(_ value: Float) -> Float { Swift.min(1, Swift.max(-1, value / 127.5 - 1)) }
}
