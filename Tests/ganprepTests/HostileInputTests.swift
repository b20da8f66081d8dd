import Foundation
import HDF5
import Records
import Testing
import Training
import _TestSupport

/// Files, option values and records a hostile user or a broken pipeline
/// hands over: each gets exit status 2 and a message naming what and where,
/// never a trap, a hang or an allocation of what the input claims.
@Suite struct HostileInputTests {
    /// A ganprep-layout file whose /images has `shape` (N extendable),
    /// `written` images of the given value actually stored.
    func hostileDataset(_ name: String, shape: [Int], written: Int = 0, value: Float = 0.5, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let file = try HDF5File.create(path)
        let chunk = [1] + shape.dropFirst().map { max($0, 1) }
        let images = try file.createDataset("images", of: Float.self, shape: [written] + shape.dropFirst(),
                                            maxShape: [nil] + shape.dropFirst().map { Optional($0) }, chunk: chunk)
        if written > 0 {
            let values = [Float](repeating: value, count: written * shape.dropFirst().reduce(1, *))
            try images.write(values, start: shape.map { _ in 0 }, count: [written] + shape.dropFirst())
        }
        if shape[0] != written { try images.extend(to: shape) }
        try file.setAttribute("format", .string("ganprep"))
        _ = try file.createStringDataset("descriptions", strings: Array(repeating: "Kleid", count: written))
        return path
    }

    @Test func hostileDatasetShapesAreRefusedByInspectAndTrain() throws {
        let dir = try TestPaths.temporaryDirectory("hostile-h5")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(path: String, mentions: String)] = [
            (try hostileDataset("empty.h5", shape: [0, 32, 32, 1], in: dir), "holds no images"),
            (try hostileDataset("zero-sized.h5", shape: [5, 0, 0, 3], in: dir), "a dimension is zero"),
            (try hostileDataset("huge-count.h5", shape: [1 << 62, 32, 32, 1], written: 1, in: dir), "overflows"),
            (try hostileDataset("declared-empty.h5", shape: [1_000_000_000, 32, 32, 1], written: 0, in: dir), "stores no data"),
            (try hostileDataset("mostly-missing.h5", shape: [1_000_000_000, 32, 32, 1], written: 3, in: dir), "stores only"),
        ]
        for c in cases {
            let inspect = try runGANPrep(["inspect", c.path])
            #expect(inspect.status == 2 && inspect.stderr.contains(c.path) && inspect.stderr.contains(c.mentions),
                    "inspect \(c.path): \(inspect.status) \(inspect.stderr)")
            let train = try runGANPrep(["train", c.path, "--stream", "--steps", "1", "--out", dir.appendingPathComponent("run-\(UUID())").path])
            #expect(train.status == 2 && train.stderr.contains(c.mentions), "train \(c.path): \(train.status) \(train.stderr)")
        }
    }

    /// Inputs the dataset fuzzer found that crash libhdf5 1.10.8 itself, make
    /// it allocate gigabytes or loop without end: ganprep opens files in a
    /// child process with bounded memory and time first, so each is an error.
    @Test func filesThatCrashLibhdf5AreRefusedNotFatal() throws {
        let folder = TestPaths.fixture("fuzz/regressions/fuzz-dataset")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!names.isEmpty)
        let binary = productsDirectory.appendingPathComponent("ganprep").path
        // Some of these make libhdf5 loop without end: a short deadline for the test.
        let environment = ["GANPREP_PROBE_SECONDS": "5"]
        for name in names {
            let path = folder.appendingPathComponent(name).path
            let inspect = try ProcessRunner.run(binary, ["inspect", path], environment: environment)
            #expect(inspect.status == 2 && inspect.stderr.contains(path), "inspect \(name): \(inspect.status) \(inspect.stderr)")
            let train = try ProcessRunner.run(binary, ["train", path, "--steps", "1", "--out",
                                                       FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID())").path],
                                              environment: environment)
            #expect(train.status == 2 && train.stderr.contains(path), "train \(name): \(train.status) \(train.stderr)")
            let sample = try ProcessRunner.run(binary, ["sample", path, "--out", FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID()).png").path],
                                               environment: environment)
            #expect(sample.status == 2 && sample.stderr.contains(path), "sample \(name): \(sample.status) \(sample.stderr)")
        }
    }

    @Test func checkpointsWithConfigurationsNoModelCanHaveAreRefused() throws {
        let dir = try TestPaths.temporaryDirectory("hostile-checkpoint")
        defer { try? FileManager.default.removeItem(at: dir) }
        func checkpoint(_ name: String, _ change: (inout TrainingConfig) -> Void = { _ in }, json edit: (String) -> String = { $0 }) throws -> String {
            var config = TrainingConfig(options: TrainingOptions(dataset: "d.h5", model: .dcgan), height: 32, width: 32, channels: 1)
            change(&config)
            let path = dir.appendingPathComponent(name).path
            try HDF5File.create(path).setAttribute("config", .string(edit(config.json)))
            return path
        }
        let cases: [(path: String, mentions: String)] = [
            (try checkpoint("odd-size.h5") { $0.height = 33 }, "dcgan at 33x32"),
            (try checkpoint("unknown-model.h5", json: { $0.replacingOccurrences(of: "\"dcgan\"", with: "\"resnet\"") }),
             "model resnet is neither dcgan nor mlp"),
            (try checkpoint("channels.h5") { $0.channels = 7 }, "7 channels"),
            (try checkpoint("huge.h5") { $0.height = 128; $0.width = 128; $0.featureMaps = 4096; $0.latent = 16_384 }, "needs about"),
        ]
        for c in cases {
            let result = try runGANPrep(["sample", c.path, "--out", dir.appendingPathComponent("grid.png").path])
            #expect(result.status == 2 && result.stderr.contains(c.path) && result.stderr.contains(c.mentions), "\(c.path): \(result.stderr)")
        }
    }

    @Test func nonFinitePixelsStopTrainingWithTheStep() throws {
        let dir = try TestPaths.temporaryDirectory("hostile-nan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try hostileDataset("nan.h5", shape: [8, 8, 8, 1], written: 8, value: .nan, in: dir)
        // In memory: refused when the array is loaded, before step 1.
        let run = dir.appendingPathComponent("run").path
        let loaded = try runGANPrep(["train", path, "--model", "mlp", "--batch", "8", "--steps", "3", "--out", run, "--threads", "1"])
        #expect(loaded.status == 2 && loaded.stderr.contains("image 0") && loaded.stderr.contains("NaN"), "\(loaded.stderr)")
        #expect(((try? String(contentsOfFile: run + "/losses.csv", encoding: .utf8)) ?? "").split(separator: "\n").count <= 1)
        // Streamed: stopped at the batch that holds them.
        let streamed = dir.appendingPathComponent("streamed").path
        let result = try runGANPrep(["train", path, "--model", "mlp", "--batch", "8", "--steps", "3", "--out", streamed, "--threads", "1", "--stream"])
        #expect(result.status == 2 && result.stderr.contains("step 1") && result.stderr.contains("NaN"), "\(result.stderr)")
        let csv = try String(contentsOfFile: streamed + "/losses.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 1, "no step was logged with NaN losses")
        let inspect = try runGANPrep(["inspect", path])
        #expect(inspect.status == 2 && inspect.stderr.contains("512 values are NaN or infinite"), "\(inspect.stderr)")
    }

    @Test(arguments: [
        (["fetch", "r.json", "--timeout", "inf"], "--timeout must be a number from 0.001 to 86400"),
        (["fetch", "r.json", "--timeout", "1e300"], "--timeout"),
        (["fetch", "r.json", "--timeout", "0.0009"], "--timeout must be a number from 0.001"),
        (["fetch", "r.json", "--retry-delay", "nan"], "--retry-delay"),
        (["fetch", "r.json", "--connect-timeout", "-1"], "--connect-timeout"),
        (["fetch", "r.json", "--parallel", "100000"], "--parallel must be an integer from 1 to 1024"),
        (["pack", "in", "--size", "9999999999"], "--size sides must be from 1 to 8192"),
        (["pack", "in", "--size", "64x"], "--size must be N or WIDTHxHEIGHT"),
        (["pack", "in", "--size", "x64"], "--size must be N or WIDTHxHEIGHT"),
        (["pack", "in", "--size", "64", "--chunk", "100000000"], "--chunk must be an integer from 1 to"),
        (["pack", "in", "--workers", "1000000"], "--workers"),
        (["train", "d.h5", "--epochs", "9000000000000000000"], "--epochs must be an integer from 1 to 1000000"),
        (["train", "d.h5", "--batch", "1000000000"], "--batch must be an integer from 1 to 65536"),
        (["train", "d.h5", "--latent", "1000000000"], "--latent"),
        (["train", "d.h5", "--feature-maps", "1000000"], "--feature-maps"),
        (["train", "d.h5", "--prefetch", "1000000000"], "--prefetch"),
        (["train", "d.h5", "--lr", "inf"], "--lr must be a number above 0"),
        (["train", "d.h5", "--real-label", "nan"], "--real-label"),
        (["train", "d.h5", "--beta1", "1"], "--beta1"),
        (["sample", "c.h5", "--out", "g.png", "--count", "1000000000"], "--count must be an integer from 1 to 10000"),
        (["inspect", "d.h5", "--grid-count", "0"], "--grid-count must be an integer from 1 to 10000"),
        (["inspect", "d.h5", "--grid-count=-1"], "--grid-count must be an integer from 1 to 10000"),
    ])
    func optionValuesOutOfRangeExitTwoWithTheRange(arguments: [String], message: String) throws {
        let result = try runGANPrep(arguments)
        #expect(result.status == 2, "\(arguments): exit \(result.status) \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }

    @Test func sizesTheMachineCannotHonourAreRefusedBeforeAllocating() throws {
        let dir = try TestPaths.temporaryDirectory("hostile-memory")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try hostileDataset("small.h5", shape: [4, 32, 32, 1], written: 4, in: dir)
        let result = try runGANPrep(["train", path, "--batch", "65536", "--feature-maps", "4096", "--latent", "16384", "--steps", "1",
                                     "--out", dir.appendingPathComponent("run").path])
        #expect(result.status == 2 && result.stderr.contains("needs about") && result.stderr.contains("lower --batch"), "\(result.stderr)")
    }

    @Test func recordsThatAreNotFilesOrTooLargeAreNamed() throws {
        let dir = try TestPaths.temporaryDirectory("hostile-records")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let directory = try runGANPrep(["fetch", dir.path, "--out", out])
        #expect(directory.status == 2 && directory.stderr.contains("is a directory"), "\(directory.stderr)")
        let device = try runGANPrep(["fetch", "/dev/zero", "--out", out])
        #expect(device.status == 2 && device.stderr.contains("/dev/zero") && device.stderr.contains("character device"), "\(device.stderr)")
        let binary = productsDirectory.appendingPathComponent("ganprep").path
        let stdin = try ProcessRunner.run("/bin/sh", ["-c", "exec '\(binary)' fetch - --out '\(out)' < /dev/zero"])
        #expect(stdin.status == 2 && stdin.stderr.contains("<stdin>") && stdin.stderr.contains("character device"), "\(stdin.stderr)")
    }

    /// One record over 1 MiB (a 1 MB URL, a 2 MB description) is that record's
    /// invalid_record, with the reason; the records around it are fetched, in every format.
    @Test func anOversizedRecordIsItsOwnInvalidRecordAndTheRestAreFetched() throws {
        let dir = try TestPaths.temporaryDirectory("hostile-big-record")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try CommandFixtures.imageServer()
        defer { server.stop() }
        let hugeURL = "\(server.baseURL)/delay/0/" + String(repeating: "a", count: 1_100_000)
        let rows = [("\(server.baseURL)/delay/0/1", "ok"), (hugeURL, "big url"), ("\(server.baseURL)/delay/0/2", String(repeating: "x", count: 2 << 20)),
                    ("\(server.baseURL)/delay/0/3", "ok")]
        let json = rows.map { "{\"url\": \"\($0.0)\", \"description\": \"\($0.1)\"}" }
        let files = [("r.json", "[" + json.joined(separator: ",\n") + "]"), ("r.jsonl", json.joined(separator: "\n") + "\n"),
                     ("r.csv", "url,description\n" + rows.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n")]
        for (name, text) in files {
            let records = dir.appendingPathComponent(name)
            try text.write(to: records, atomically: true, encoding: .utf8)
            let out = dir.appendingPathComponent("out-" + name).path
            let result = try runGANPrep(["fetch", records.path, "--out", out, "--quiet"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            let entries = try FetchManifest.read(path: out + "/manifest.jsonl").entries
            #expect(entries.count == 4, "\(name)")
            #expect(entries[0]?.status == .ok && entries[3]?.status == .ok, "\(name)")
            for index in [1, 2] {
                let entry = try #require(entries[index])
                #expect(entry.status == .invalidRecord && (entry.error ?? "").contains("bytes allowed for one record")
                        && (entry.error ?? "").contains("record \(index)") && entry.url.count < 1000, "\(name) \(index): \(entry.error ?? "")")
            }
        }
    }

    @Test func aURLTooLongForLibcurlIsAnInvalidRecordWithTheReason() throws {
        let dir = try TestPaths.temporaryDirectory("hostile-url")
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = dir.appendingPathComponent("r.json")
        let url = "http://127.0.0.1:9/" + String(repeating: "a", count: 500_000) + ".jpg"
        try "[{\"url\": \"\(url)\", \"description\": \"Rock\"}]".write(to: records, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let result = try runGANPrep(["fetch", records.path, "--out", out.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let entry = try #require(FetchManifest.read(path: out.appendingPathComponent("manifest.jsonl").path).entries[0])
        #expect(entry.status == .invalidRecord && entry.error?.contains("longer than the 65536 bytes") == true, "\(entry)")
    }
}
