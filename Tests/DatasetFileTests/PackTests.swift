import Pack
import DatasetFile
import Foundation
import HDF5
import Imaging
import Records
import Support
import Testing
import _TestSupport

@Suite struct PackTests {
    func options(format: DatasetFormat = .ganprep, size: Int = 32, channels: Int = 3, workers: Int = 2, chunk: Int? = nil,
                 gzip: Int? = nil) -> PackOptions {
        PackOptions(
            preprocessor: ImagePreprocessor(size: ImageSize(width: size, height: size), channels: channels),
            format: format,
            writer: DatasetWriterOptions(size: ImageSize(size), channels: channels, chunk: chunk, compression: gzip.map { .gzip(level: $0) } ?? .none),
            workers: workers, batch: 5)
    }

    func pack(_ options: PackOptions, to path: String) throws -> PackSummary {
        let scanned = try PackInput.scan(TestPaths.fixture("images").path)
        return try Packer(options: options).run(items: scanned.items, preSkipped: scanned.skipped, outputPath: path)
    }

    @Test func roundTripKeepsShapesValuesAndDescriptionsInOrder() throws {
        let dir = try TestPaths.temporaryDirectory("pack-roundtrip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fixtures.h5").path
        let summary = try pack(options(), to: path)
        // 22 fixture files: 15 decodable, 7 broken (2 bombs, 2 corrupt, 2 truncated, 1 not an image).
        #expect(summary.written == 15)
        #expect(summary.skippedByReason == ["too many pixels": 2, "corrupt": 2, "truncated": 2, "unsupported format": 1])
        // Only the finished file and its pack manifest: no temporary file, no lock file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["fixtures.h5", "fixtures.h5.pack.jsonl"])
        let reader = try DatasetReader(path: path)
        #expect(reader.format == .ganprep && reader.count == 15 && reader.height == 32 && reader.width == 32 && reader.channels == 3)
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.fixture("images").path).sorted()
        let broken: Set = ["bomb.jpg", "bomb.png", "corrupt.jpg", "corrupt.png", "truncated.jpg", "truncated.png", "not-an-image.jpg"]
        let expected = names.filter { !broken.contains($0) }.map { ($0 as NSString).deletingPathExtension }
        #expect(try reader.descriptions() == expected)
        var all = [Float](repeating: 0, count: reader.count * reader.sampleSize)
        try all.withUnsafeMutableBufferPointer { try reader.read(start: 0, count: reader.count, into: $0) }
        #expect(all.min()! >= -1 && all.max()! <= 1 && all.min()! < -0.5 && all.max()! > 0.9)
        // Image 0 is chelsea-arithmetic.jpg: it must equal packing that file alone.
        let single = ImagePreprocessor(size: ImageSize(width: 32, height: 32), channels: 3)
        var alone = [Float](repeating: 0, count: single.sampleSize)
        try alone.withUnsafeMutableBufferPointer { try single.process(TestPaths.fixtureBytes("images/chelsea-arithmetic.jpg"), into: $0) }
        #expect(Array(all.prefix(single.sampleSize)) == alone)
        // Attributes of the ganprep layout.
        let file = try HDF5File.open(path)
        #expect(try file.attribute("format") == .string("ganprep"))
        #expect(try file.attribute("count").intValue == 15)
        #expect(try file.attribute("value_range") == .doubles([-1, 1]))
        let sha = try file.openDataset("sha256").readStrings()
        #expect(try sha[0] == SHA256Hex.of(TestPaths.fixtureBytes("images/chelsea-arithmetic.jpg")))
    }

    @Test func outputIsTheSameWhateverTheWorkerCount() throws {
        let dir = try TestPaths.temporaryDirectory("pack-workers")
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = dir.appendingPathComponent("one.h5").path, four = dir.appendingPathComponent("four.h5").path
        _ = try pack(options(workers: 1), to: one)
        _ = try pack(options(workers: 4), to: four)
        let a = try HDF5File.open(one).openDataset("images").readAll(Float.self)
        let b = try HDF5File.open(four).openDataset("images").readAll(Float.self)
        #expect(a == b)
    }

    @Test func chunksAreWholeImagesAlongN() throws {
        let dir = try TestPaths.temporaryDirectory("pack-chunks")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.h5").path
        _ = try pack(options(size: 16, chunk: 4, gzip: 6), to: path)
        let images = try HDF5File.open(path).openDataset("images")
        #expect(images.chunkShape == [4, 16, 16, 3])
        #expect(images.maxShape == [nil, 16, 16, 3])
        #expect(images.filters.contains("gzip"))
        #expect(DatasetLayout.defaultChunk(height: 64, width: 64, channels: 3) == 21)
    }

    @Test func gapcvLayoutHasGAPCVsAttributesAndGroups() throws {
        let dir = try TestPaths.temporaryDirectory("pack-gapcv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cats.h5").path
        _ = try pack(options(format: .gapcv, channels: 1), to: path)
        let file = try HDF5File.open(path)
        for name in ["name", "author", "source", "description", "license", "date", "dtype", "channel", "count", "time", "shape", "class", "color", "fail"] {
            #expect(file.hasAttribute(name), "missing GAPCV attribute \(name)")
        }
        #expect(try file.attribute("name") == .string("cats"))
        #expect(try file.attribute("channel") == .string("['K']"))
        #expect(try file.attribute("color").intValue == 0)
        #expect(try file.attribute("fail").intValue == 7)
        #expect(try file.attribute("shape") == .integers([32, 32]))
        let classes = try #require(try file.attribute("class").stringValue)
        #expect(classes.hasPrefix("{'chelsea-arithmetic': 0, "))
        let group = try file.openGroup("chelsea-arithmetic")
        let data = try group.openDataset("data")
        #expect(data.shape == [1, 32, 32])
        #expect(try data.attribute("label").intValue == 0)
        #expect(try data.attribute("count").intValue == 1)
        let reader = try DatasetReader(path: path)
        #expect(reader.format == .gapcv && reader.count == 15 && reader.channels == 1)
        #expect(reader.scale == 1 && reader.offset == 0, "ganprep's GAPCV files hold [-1, 1]")
    }

    @Test func noDecodableImageLeavesNoFile() throws {
        let dir = try TestPaths.temporaryDirectory("pack-none")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for name in ["truncated.jpg", "corrupt.png"] {
            try FileManager.default.copyItem(at: TestPaths.fixture("images/" + name), to: input.appendingPathComponent(name))
        }
        let out = dir.appendingPathComponent("none.h5").path
        let scanned = try PackInput.scan(input.path)
        #expect(throws: PackError.self) { try Packer(options: options()).run(items: scanned.items, outputPath: out) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["in"], "no file, no temporary, no lock left")
    }

    @Test func foreignHDF5FilesAreRefusedWithWhatTheyHold() throws {
        let dir = try TestPaths.temporaryDirectory("pack-foreign")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("weights.h5").path
        do {
            let file = try HDF5File.create(path)
            _ = try file.createDataset("kernel", of: Float.self, shape: [3, 3])
            try file.setAttribute("keras_version", .string("2.15"))
        }
        #expect { try DatasetReader(path: path) } throws: { error in
            guard case let DatasetError.unknownLayout(_, found) = error else { return false }
            return found.contains("kernel") && found.contains("keras_version")
        }
    }
}

/// Hex SHA-256 through the project's implementation (Records), for expectations.
enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }
}
