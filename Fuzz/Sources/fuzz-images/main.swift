// The JPEG/PNG decode path under libFuzzer: sniffing, header, pixel limit,
// DCT-scaled decode in CImageCodecs (strict and lenient), orientation,
// resize and normalization. Any input must end in a sample or an ImageError.
// Pack's path (PNG alpha kept, rows streamed into the resize) must give the
// whole-image path's sample, or fail where it fails.
import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif
import Imaging

private let strictSmall = ImagePreprocessor(size: ImageSize(width: 16, height: 12), channels: 3, mode: .centerCrop,
                                            decoder: ImageDecoder(maxPixels: 4_000_000, strict: true))
private let lenientGray = ImagePreprocessor(size: ImageSize(width: 9, height: 9), channels: 1, mode: .pad,
                                            decoder: ImageDecoder(maxPixels: 4_000_000, strict: false))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImages(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for preprocessor in [strictSmall, lenientGray] {
        var output = [Float](repeating: .nan, count: preprocessor.sampleSize)
        do {
            try output.withUnsafeMutableBufferPointer { (buffer) throws(ImageError) in
                try preprocessor.process(bytes, into: buffer)
            }
            // A decoded sample is finite and in [-1, 1], whatever the bytes were.
            for value in output where !(value >= -1 && value <= 1) {
                fatalError("sample value \(value) outside [-1, 1]")
            }
        } catch {
            _ = "\(error)"
        }
    }
    var streaming = ImagePreprocessor(size: ImageSize(width: 11, height: 7), channels: 3, mode: .centerCrop,
                                      decoder: ImageDecoder(maxPixels: 4_000_000, strict: true))
    streaming.decoder.keepsAlpha = true
    var whole = [Float](repeating: .nan, count: streaming.sampleSize), streamed = whole
    let wholeOK = (try? whole.withUnsafeMutableBufferPointer { (buffer) throws(ImageError) in
        try streaming.process(bytes, into: buffer)
    }) != nil
    let streamedOK = (try? streamed.withUnsafeMutableBufferPointer { (buffer) throws(ImageError) in
        try streaming.render(bytes, header: try streaming.decoder.header(of: bytes), into: buffer)
    }) != nil
    if wholeOK != streamedOK || (wholeOK && whole != streamed) {
        fatalError("streamed decode \(streamedOK ? "succeeded" : "failed") where the whole decode \(wholeOK ? "succeeded" : "failed")"
                   + (wholeOK && streamedOK ? " with another sample" : ""))
    }
    return 0
}

@_cdecl("fuzz_images_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv, fuzzImages)
}
