import Pack
import DatasetFile
import Foundation
import Imaging
import Testing
import _TestSupport

/// Writes a ganprep dataset whose image i has every pixel equal to
/// `value(i)`, so a batch reveals which images it holds.
func indexedDataset(count: Int, size: Int = 8, chunk: Int, in dir: URL) throws -> String {
    let path = dir.appendingPathComponent("indexed.h5").path
    let writer = try DatasetWriter(path: path, options: DatasetWriterOptions(size: ImageSize(size), channels: 1, chunk: chunk))
    let sample = size * size
    var pixels = [Float](repeating: 0, count: count * sample)
    for i in 0..<count { for j in 0..<sample { pixels[i * sample + j] = encodeIndex(i, count: count) } }
    try pixels.withUnsafeBufferPointer { (b) throws(DatasetError) in
        try writer.append(b, infos: (0..<count).map { SampleInfo(description: "\($0)", url: "", sha256: "") })
    }
    _ = try writer.finish(seconds: 0, failed: 0)
    return path
}

func encodeIndex(_ i: Int, count: Int) -> Float { Float(i) / Float(count) * 2 - 1 }
func decodeIndex(_ v: Float, count: Int) -> Int { Int(((v + 1) / 2 * Float(count)).rounded()) }

/// All image indices of one epoch, batch by batch.
func epochIndices(_ source: BatchSource, epoch: Int, skip: Int = 0) throws -> [[Int]] {
    try source.startEpoch(epoch, skippingBatches: skip)
    var batches: [[Int]] = []
    var buffer = [Float](repeating: 0, count: source.batchSize * source.sampleSize)
    while true {
        let n = try buffer.withUnsafeMutableBufferPointer { try source.nextBatch(into: $0.baseAddress!) }
        if n == 0 { break }
        let indices = (0..<n).map { decodeIndex(buffer[$0 * source.sampleSize], count: source.count) }
        #expect(source.lastIndices == indices, "the batch's file indices, for its labels")
        batches.append(indices)
    }
    return batches
}

/// Packs the first `count` demo clothing images (Fashion-MNIST) into `dir`.
func demoDataset(count: Int, size: Int, in dir: URL) throws -> String {
    let input = try TestPaths.linkDemoImages(count, into: dir)
    let out = dir.appendingPathComponent("demo.h5").path
    let scanned = try PackInput.scan(input.path)
    let options = PackOptions(preprocessor: ImagePreprocessor(size: ImageSize(width: size, height: size), channels: 1, mode: .stretch),
                              writer: DatasetWriterOptions(size: ImageSize(size), channels: 1))
    _ = try Packer(options: options).run(items: scanned.items, outputPath: out)
    return out
}

/// Packs the first `count` demo images of `classes` (all when nil) from
/// class folders, so the file has labels: the class names sorted.
func labelledDemoDataset(count: Int, classes: Set<String>? = nil, size: Int, in dir: URL) throws -> String {
    let input = try TestPaths.labelledDemoFolder(count, classes: classes, into: dir)
    let out = dir.appendingPathComponent("labelled.h5").path
    let scanned = try PackInput.scan(input.path)
    let options = PackOptions(preprocessor: ImagePreprocessor(size: ImageSize(width: size, height: size), channels: 1, mode: .stretch),
                              writer: DatasetWriterOptions(size: ImageSize(size), channels: 1, labels: scanned.labels))
    _ = try Packer(options: options).run(items: scanned.items, outputPath: out)
    return out
}
