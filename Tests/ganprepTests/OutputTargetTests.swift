import Foundation
import Support
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Outputs never replace inputs, devices, FIFOs or directories, and a bad
/// output path is the user's error (exit 2) that says what is wrong.
@Suite struct OutputTargetTests {
    /// A labelled 16x16 dataset, a classifier on it, and a two-step mlp run.
    struct Setup {
        let dir: URL
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        var data: String { path("d.h5") }
        var classifier: String { path("c.h5") }
        var run: String { path("run") }
        var checkpoint: String { path("run/checkpoints/step_000000002.h5") }

        init() throws {
            dir = try TestPaths.temporaryDirectory("outputs")
            try CommandFixtures.packClassifyTrain(in: dir)
        }
    }

    func digest(_ path: String) -> String {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { SHA256.hex([UInt8]($0)) } ?? "missing"
    }

    /// Runs `arguments`, which name one of the inputs as output: exit 2, the message names it, every input unchanged.
    func expectRefused(_ arguments: [String], _ setup: Setup, mentioning text: String) throws {
        let inputs = [setup.data, setup.classifier, setup.checkpoint, setup.path("run/config.json")]
        let before = inputs.map(digest)
        let result = try runGANPrep(arguments)
        #expect(result.status == 2 && result.stderr.contains(text), "\(arguments): \(result.status) \(result.stderr)")
        #expect(inputs.map(digest) == before, "\(arguments) changed an input")
    }

    @Test func anOutputThatIsAnInputThroughAnyPathIsRefused() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(at: setup.dir) }
        #expect(symlink(setup.data, setup.path("link.h5")) == 0 && link(setup.data, setup.path("hard.h5")) == 0)
        let eval = ["eval", setup.run, "--data", setup.data, "--classifier", setup.classifier, "--count", "20", "--kid-subset-size", "10", "--features-out"]
        for alias in [setup.data, setup.path("link.h5"), setup.path("hard.h5"), setup.dir.path + "/./d.h5"] {
            try expectRefused(eval + [alias], setup, mentioning: "is also an input")
        }
        try expectRefused(eval + [setup.classifier], setup, mentioning: "is also an input")
        try expectRefused(["classifier", "train", setup.data, "--out", setup.path("hard.h5"), "--epochs", "1"], setup, mentioning: "is also an input")
        try expectRefused(["sample", setup.checkpoint, "--out", setup.checkpoint], setup, mentioning: "is also an input")
        try expectRefused(["sample", setup.run, "--out-h5", setup.checkpoint], setup, mentioning: "is also an input")
        try expectRefused(["report", setup.run, "--out", setup.path("run/config.json")], setup, mentioning: "is also an input")
        try expectRefused(["merge", setup.data, "--out", setup.path("link.h5")], setup, mentioning: "is also an input")
        // A fresh name next to them is fine.
        let written = try runGANPrep(eval + [setup.path("features.h5")])
        #expect(written.status == 0, "\(written.stderr)")
    }

    @Test func devicesFIFOsAndDirectoriesAreNeverReplaced() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(at: setup.dir) }
        let fifo = setup.path("fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        var targets = [(fifo, "a FIFO"), (setup.dir.path, "a directory")]
        // A device node like /dev/full, made in the test's own folder where this user may (root).
        let device = setup.path("full")
        if mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 { targets.append((device, "a device")) }
        for (target, kind) in targets {
            for arguments in [["report", setup.run, "--out", target], ["sample", setup.run, "--out", target],
                              ["sample", setup.run, "--out-h5", target],
                              ["eval", setup.run, "--data", setup.data, "--classifier", setup.classifier, "--count", "20",
                               "--kid-subset-size", "10", "--features-out", target],
                              ["classifier", "train", setup.data, "--out", target, "--epochs", "1", "--quiet"],
                              ["pack", setup.path("classes"), "--out", target, "--size", "8", "--channels", "1", "--quiet"]] {
                let result = try runGANPrep(arguments)
                #expect(result.status == 2 && result.stderr.contains(kind), "\(arguments[0]) \(kind): \(result.status) \(result.stderr)")
                var info = stat()
                #expect(lstat(target, &info) == 0 && info.st_mode & S_IFMT != S_IFREG, "\(target) was replaced by \(arguments[0])")
            }
        }
    }

    @Test func aMissingDirectoryOrADirectoryAsOutputExitsTwoWithTheReason() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(at: setup.dir) }
        let missing = setup.path("no/such/dir/out.file")
        let commands: [[String]] = [
            ["report", setup.run, "--out"], ["sample", setup.run, "--out"], ["sample", setup.run, "--out-h5"],
            ["eval", setup.run, "--data", setup.data, "--classifier", setup.classifier, "--count", "20", "--kid-subset-size", "10", "--features-out"],
        ]
        for command in commands {
            let absent = try runGANPrep(command + [missing])
            #expect(absent.status == 2 && absent.stderr.contains("does not exist") && absent.stderr.contains(setup.path("no/such/dir")),
                    "\(command): \(absent.status) \(absent.stderr)")
            let directory = try runGANPrep(command + [setup.run])
            #expect(directory.status == 2 && directory.stderr.contains("is a directory") && !directory.stderr.contains("NSCocoaErrorDomain"),
                    "\(command): \(directory.status) \(directory.stderr)")
        }
    }
}
