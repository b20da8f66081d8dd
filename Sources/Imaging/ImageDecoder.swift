import CImageCodecs
import Support

/// What an image's header says, read without decoding any pixels.
public struct ImageHeader: Sendable, Equatable {
    /// JPEG or PNG.
    public var format: ImageFormat
    /// Stored width and height at full size, before EXIF orientation.
    public var width: Int
    /// Height in pixels as stored (before EXIF orientation).
    public var height: Int
    /// Channels the decoder produces: 1 (gray) or 3 (RGB).
    public var channels: Int
    /// Source colour components (4 for CMYK/YCCK JPEGs).
    public var sourceComponents: Int
    /// A progressive JPEG.
    public var progressive: Bool
    /// A JPEG with arithmetic coding.
    public var arithmeticCoded: Bool
    /// Whether it carries transparency (a PNG's alpha or tRNS).
    public var hasAlpha: Bool
    /// Bits per sample as stored.
    public var bitDepth: Int
    /// An interlaced (Adam7) PNG.
    public var interlaced: Bool
    /// EXIF orientation 1...8.
    public var orientation: Int

    /// Width and height as displayed, after EXIF orientation (5...8 swap them).
    public var displaySize: (width: Int, height: Int) {
        orientation >= 5 ? (height, width) : (width, height)
    }
}

/// Decodes JPEG (libjpeg-turbo) and PNG (libpng) into 8-bit gray or RGB.
///
/// The format is judged by the bytes. The pixel limit is checked from the
/// header before any pixel buffer is allocated, so a tiny file that declares
/// a huge image is refused cheaply.
public struct ImageDecoder: Sendable {
    /// Largest accepted width x height at full size.
    public var maxPixels: Int
    /// Treat decoder warnings (e.g. "Premature end of JPEG file") as errors.
    public var strict: Bool
    /// Return a PNG's alpha channel (a 2- or 4-channel image) instead of
    /// compositing it over white: for a caller that composites only the
    /// pixels it uses (`ImagePreprocessor` does, in the resize). Off by default.
    public var keepsAlpha = false

    /// 100 megapixels unless told otherwise; strict by default.
    public init(maxPixels: Int = 100_000_000, strict: Bool = true) {
        self.maxPixels = maxPixels
        self.strict = strict
    }

    /// Reads the header only.
    public func header(of data: [UInt8]) throws(ImageError) -> ImageHeader {
        guard let format = ImageFormat(sniffingHead: data) else { throw .unsupportedFormat(found: nil) }
        var info = gp_image_info()
        let rc: Int32 = data.withUnsafeBufferPointer { buffer in
            switch format {
            case .jpeg: return gp_jpeg_read_header(buffer.baseAddress, buffer.count, 1, &info)
            case .png: return gp_png_read_header(buffer.baseAddress, buffer.count, &info)
            default: return -1
            }
        }
        if rc == -1 { throw .unsupportedFormat(found: format) }
        if rc != 0 { throw .corrupt(message(of: &info, default: "unreadable \(format.rawValue) header")) }
        return ImageHeader(
            format: format, width: Int(info.width), height: Int(info.height), channels: Int(info.channels),
            sourceComponents: Int(info.source_components), progressive: info.progressive != 0,
            arithmeticCoded: info.arithmetic != 0, hasAlpha: info.has_alpha != 0, bitDepth: Int(info.bit_depth),
            interlaced: info.interlaced != 0, orientation: Int(info.orientation))
    }

    /// The largest JPEG DCT scale denominator (1, 2, 4, 8) whose output is
    /// still at least `minimum` in both dimensions (display orientation).
    public static func scaleDenominator(for header: ImageHeader, minimum: (width: Int, height: Int)) -> Int {
        guard header.format == .jpeg else { return 1 }
        let stored = header.orientation >= 5 ? (minimum.height, minimum.width) : (minimum.width, minimum.height)
        for denominator in [8, 4, 2] {
            // libjpeg rounds the scaled size up.
            let w = (header.width + denominator - 1) / denominator
            let h = (header.height + denominator - 1) / denominator
            if w >= stored.0 && h >= stored.1 { return denominator }
        }
        return 1
    }

    /// Decodes the image, EXIF orientation applied.
    /// - Parameter minimum: when given, JPEGs are decoded at the smallest DCT
    ///   scale (1/2, 1/4, 1/8) that still covers this size: much faster for
    ///   downscaling, with the scaling done in the frequency domain.
    public func decode(_ data: [UInt8], minimum: (width: Int, height: Int)? = nil) throws(ImageError) -> DecodedImage {
        try decode(data, header: header(of: data), minimum: minimum)
    }

    /// Decodes with a header already read by `header(of:)`.
    public func decode(_ data: [UInt8], header: ImageHeader, minimum: (width: Int, height: Int)?) throws(ImageError) -> DecodedImage {
        try checkPixelLimit(header)
        let denominator = minimum.map { Self.scaleDenominator(for: header, minimum: $0) } ?? 1
        return try decode(data, header: header, scaleDenominator: denominator).applyingOrientation(header.orientation)
    }

    /// Decodes at 1/`scaleDenominator` (JPEG only), without applying orientation.
    public func decode(_ data: [UInt8], scaleDenominator: Int) throws(ImageError) -> DecodedImage {
        let header = try header(of: data)
        try checkPixelLimit(header)
        return try decode(data, header: header, scaleDenominator: scaleDenominator)
    }

    /// Decodes a PNG a row at a time (`gp_png_decode_rows`): `body` gets
    /// each row, top to bottom, as `decode` with `keepsAlpha` would have
    /// laid it out (gray or RGB, straight alpha last when the header has
    /// alpha), in a buffer valid for that call only. False, before any row,
    /// when this PNG must be decoded whole (interlaced).
    public func decodeRows(_ data: [UInt8], header: ImageHeader,
                           _ body: (UnsafePointer<UInt8>, Int) -> Void) throws(ImageError) -> Bool {
        try withoutActuallyEscaping(body) { (body) throws(ImageError) -> Bool in
            let sink = RowSink(body)
            return try withExtendedLifetime(sink) { () throws(ImageError) -> Bool in
                try decodeRows(data, header: header, context: Unmanaged.passUnretained(sink).toOpaque()) { context, row, y in
                    Unmanaged<RowSink>.fromOpaque(context!).takeUnretainedValue().body(row!, Int(y))
                }
            }
        }
    }

    /// The same into a resize: each row goes to `streaming.add` without
    /// reference counting at every row.
    func decodeRows(_ data: [UInt8], header: ImageHeader, into streaming: StreamingResize) throws(ImageError) -> Bool {
        try withExtendedLifetime(streaming) { () throws(ImageError) -> Bool in
            try decodeRows(data, header: header, context: Unmanaged.passUnretained(streaming).toOpaque()) { context, row, y in
                Unmanaged<StreamingResize>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.add(row!, y: Int(y)) }
            }
        }
    }

    private func decodeRows(_ data: [UInt8], header: ImageHeader, context: UnsafeMutableRawPointer,
                            sink: gp_png_row_sink) throws(ImageError) -> Bool {
        guard header.format == .png else { return false }
        try checkPixelLimit(header)
        var info = gp_image_info()
        let rc = data.withUnsafeBufferPointer { input in
            gp_png_decode_rows(input.baseAddress, input.count, sink, context, &info)
        }
        if rc == Int32(GP_ERR_UNSUPPORTED) { return false }
        if rc != 0 { throw failure(rc, &info) }
        guard Int(info.width) == header.width, Int(info.height) == header.height else {
            throw .sizeMismatch(width: Int(info.width), height: Int(info.height), expectedWidth: header.width, expectedHeight: header.height)
        }
        return true
    }

    private final class RowSink {
        let body: (UnsafePointer<UInt8>, Int) -> Void
        init(_ body: @escaping (UnsafePointer<UInt8>, Int) -> Void) { self.body = body }
    }

    private func checkPixelLimit(_ header: ImageHeader) throws(ImageError) {
        let (product, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        if overflow || product > maxPixels {
            throw .tooManyPixels(width: header.width, height: header.height, limit: maxPixels)
        }
    }

    private func decode(_ data: [UInt8], header: ImageHeader, scaleDenominator: Int) throws(ImageError) -> DecodedImage {
        let d = header.format == .jpeg ? scaleDenominator : 1
        let width = (header.width + d - 1) / d
        let height = (header.height + d - 1) / d
        let straight = keepsAlpha && header.hasAlpha && header.format == .png
        let channels = header.channels + (straight ? 1 : 0)
        let capacity = width * height * channels
        var info = gp_image_info()
        var rc: Int32 = 0
        let pixels = [UInt8](unsafeUninitializedCapacity: capacity) { out, initialized in
            rc = data.withUnsafeBufferPointer { input in
                header.format == .jpeg
                    ? gp_jpeg_decode(input.baseAddress, input.count, Int32(d), strict ? 1 : 0, out.baseAddress, capacity, &info)
                    : straight ? gp_png_decode_straight(input.baseAddress, input.count, out.baseAddress, capacity, &info)
                    : gp_png_decode(input.baseAddress, input.count, out.baseAddress, capacity, &info)
            }
            // On failure the buffer may be partly written; zero-fill so it is initialized.
            if rc != 0 { out.initialize(repeating: 0) }
            initialized = capacity
        }
        switch rc {
        case 0:
            guard Int(info.width) == width, Int(info.height) == height else {
                throw .sizeMismatch(width: Int(info.width), height: Int(info.height), expectedWidth: width, expectedHeight: height)
            }
            return DecodedImage(width: width, height: height, channels: channels, pixels: pixels)
        default:
            throw failure(rc, &info)
        }
    }

    /// The error for a failed decode: strict mode turns warnings (rc 4) into
    /// errors too; the text says which kind.
    private func failure(_ rc: Int32, _ info: inout gp_image_info) -> ImageError {
        let text = message(of: &info, default: rc == 4 ? "decoder warning" : "undecodable data")
        if text.localizedLowercase(contains: ["premature end", "not enough image data", "read error", "unexpected end", "beyond end"]) {
            return .truncated(text)
        }
        return .corrupt(text)
    }

    private func message(of info: inout gp_image_info, default fallback: String) -> String {
        let text = withUnsafeBytes(of: &info.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? fallback : text
    }
}

extension String {
    fileprivate func localizedLowercase(contains needles: [String]) -> Bool {
        let lower = self.lowercased()
        return needles.contains { lower.contains($0) }
    }
}
