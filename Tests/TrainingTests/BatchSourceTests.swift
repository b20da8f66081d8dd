import DatasetFile
import Foundation
import Testing
import _TestSupport

@Suite struct BatchSourceTests {
    @Test func streamedEpochsVisitEveryImageExactlyOnceInANewOrder() throws {
        let dir = try TestPaths.temporaryDirectory("stream-once")
        defer { try? FileManager.default.removeItem(at: dir) }
        let count = 1000
        let reader = try DatasetReader(path: indexedDataset(count: count, chunk: 16, in: dir))
        #expect(reader.chunkLength == 16)
        let stream = ChunkedBatchStream(reader: reader, batchSize: 64, seed: 3, prefetch: 3, shuffleChunks: 4)
        let first = try epochIndices(stream, epoch: 0)
        let second = try epochIndices(stream, epoch: 1)
        for epoch in [first, second] {
            #expect(epoch.count == 16 && epoch.last?.count == 1000 - 15 * 64)
            #expect(epoch.flatMap { $0 }.sorted() == Array(0..<count), "each image exactly once per epoch")
        }
        #expect(first.flatMap { $0 } != Array(0..<count), "shuffled")
        #expect(first != second, "a new order each epoch")
        #expect(try epochIndices(stream, epoch: 0) == first, "the order depends only on seed and epoch")
        #expect(try epochIndices(stream, epoch: 0, skip: 5) == Array(first.dropFirst(5)), "skipping resumes mid-epoch")
        // Batches mix several chunks: the shuffle buffer, not chunk-sized runs.
        let chunksInFirstBatch = Set(first[0].map { $0 / 16 })
        #expect(chunksInFirstBatch.count >= 3)
    }

    @Test func inMemoryEpochsVisitEveryImageExactlyOnce() throws {
        let dir = try TestPaths.temporaryDirectory("memory-once")
        defer { try? FileManager.default.removeItem(at: dir) }
        let reader = try DatasetReader(path: indexedDataset(count: 300, chunk: 32, in: dir))
        let memory = try InMemoryBatches(reader: reader, batchSize: 50, seed: 3)
        let first = try epochIndices(memory, epoch: 0)
        #expect(first.flatMap { $0 }.sorted() == Array(0..<300) && first.count == 6)
        #expect(try epochIndices(memory, epoch: 1) != first)
        #expect(try epochIndices(memory, epoch: 0, skip: 2) == Array(first.dropFirst(2)))
    }

    @Test func streamAndMemoryGiveTheSameEpochStatistics() throws {
        let dir = try TestPaths.temporaryDirectory("stream-stats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let reader = try DatasetReader(path: demoDataset(count: 400, size: 16, in: dir))
        func statistics(_ source: BatchSource) throws -> (mean: Double, std: Double, batches: Int, batchMeans: [Double]) {
            try source.startEpoch(0, skippingBatches: 0)
            var buffer = [Float](repeating: 0, count: source.batchSize * source.sampleSize)
            var sum = 0.0, sumSq = 0.0, n = 0, batches = 0
            var batchMeans: [Double] = []
            while true {
                let k = try buffer.withUnsafeMutableBufferPointer { try source.nextBatch(into: $0.baseAddress!) }
                if k == 0 { break }
                batches += 1
                var batchSum = 0.0
                for v in buffer.prefix(k * source.sampleSize) { sum += Double(v); sumSq += Double(v) * Double(v); batchSum += Double(v) }
                batchMeans.append(batchSum / Double(k * source.sampleSize))
                n += k * source.sampleSize
            }
            let mean = sum / Double(n)
            return (mean, (sumSq / Double(n) - mean * mean).squareRoot(), batches, batchMeans)
        }
        let memory = try statistics(InMemoryBatches(reader: reader, batchSize: 32, seed: 1))
        let stream = try statistics(ChunkedBatchStream(reader: reader, batchSize: 32, seed: 1))
        #expect(memory.batches == stream.batches && memory.batches == 13)
        #expect(abs(memory.mean - stream.mean) < 1e-6 && abs(memory.std - stream.std) < 1e-6)
        // Batch means spread alike around the data mean (both are shuffled samples).
        func spread(_ values: [Double]) -> Double {
            let m = values.reduce(0, +) / Double(values.count)
            return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count)).squareRoot()
        }
        #expect(spread(stream.batchMeans) < 3 * spread(memory.batchMeans) + 1e-3)
    }

    @Test func datasetTooLargeForMemorySuggestsStreaming() throws {
        let dir = try TestPaths.temporaryDirectory("memory-limit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let reader = try DatasetReader(path: indexedDataset(count: 100, chunk: 10, in: dir))
        #expect { try InMemoryBatches(reader: reader, batchSize: 10, seed: 0, memoryLimit: 1000) } throws: { error in
            "\(error)".contains("--stream")
        }
    }
}
