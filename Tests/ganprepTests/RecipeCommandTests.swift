import Foundation
import Testing
import _TestSupport

/// train's recipes through the binary: what each writes, and the option values it refuses.
@Suite struct RecipeCommandTests {
    /// The datasets of a checkpoint, by h5py.
    static func members(_ checkpoint: String) throws -> [String] {
        let listed = try ProcessRunner.run("/usr/bin/python3", ["-c", """
            import h5py, sys
            names = []
            h5py.File(sys.argv[1], "r").visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
            print("\\n".join(names))
            """, checkpoint])
        #expect(listed.status == 0, "\(listed.stderr)")
        return listed.stdout.split(separator: "\n").map(String.init)
    }

    @Test func theModernRecipeAndTheClassicOneWriteWhatTheySay() throws {
        let dir = try TestPaths.temporaryDirectory("recipe-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(48, in: dir)
        func train(_ name: String, _ extra: [String]) throws -> String {
            let run = dir.appendingPathComponent(name).path
            let result = try runGANPrep(["train", data, "--feature-maps", "8", "--batch", "16", "--steps", "5", "--ada-kimg", "0.1",
                                         "--out", run, "--threads", "1"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            return run
        }
        let modern = try train("modern", [])
        let config = try String(contentsOfFile: modern + "/config.json", encoding: .utf8)
        #expect(config.contains("\"name\" : \"modern\"") && config.contains("\"loss\" : \"bce\"") && config.contains("\"spectralNorm\" : false")
                && config.contains("\"generatorLearningRate\" : 0.0008") && config.contains("\"discriminatorLearningRate\" : 0.0002")
                && config.contains("\"emaKimg\" : 10")
                && config.contains("\"augment\" : \"ada\"") && config.contains("\"adaTarget\" : 0.8"), "modern is the default")
        #expect(try String(contentsOfFile: modern + "/history.jsonl", encoding: .utf8).contains("\"recipe\": \"modern: bce, lr G 0.0008 D 0.0002,"))
        let modernMembers = try Self.members(modern + "/checkpoints/step_000000005.h5")
        #expect(modernMembers.contains("ema/generator/deconv_1/kernel") && modernMembers.contains("discriminator/batch_norm_1/gamma"))

        // Every piece on: p logged in every row, u vectors, no BatchNorm in D.
        let pieces = try train("pieces", ["--loss", "hinge", "--spectral-norm", "--augment", "ada"])
        let rows = try String(contentsOfFile: pieces + "/losses.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count == 5 && rows.allSatisfy { (0...1).contains(Float($0.split(separator: ",")[7]) ?? -1) }, "p in every row")
        let piecesMembers = try Self.members(pieces + "/checkpoints/step_000000005.h5")
        #expect(piecesMembers.contains("ema/generator/deconv_1/kernel") && piecesMembers.contains("discriminator/conv_1/kernel_sn_u"))
        #expect(!piecesMembers.contains { $0.hasPrefix("discriminator/batch_norm") }, "no BatchNorm in D under spectral norm")

        let classic = try train("classic", ["--recipe", "classic"])
        let classicMembers = try Self.members(classic + "/checkpoints/step_000000005.h5")
        #expect(classicMembers.contains("discriminator/batch_norm_1/gamma"))
        #expect(!classicMembers.contains { $0.hasPrefix("ema/") || $0.hasSuffix("_sn_u") })
        #expect(try String(contentsOfFile: classic + "/losses.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .allSatisfy { $0.hasSuffix(",0.0") }, "no augmentation in the classic recipe")

        // One option overrides the preset; the others stay the preset's.
        let overridden = try train("overridden", ["--recipe", "classic", "--ema-kimg", "5", "--ema-rampup", "0.25", "--lr-d", "0.0004", "--lr-decay", "0.3"])
        let overriddenConfig = try String(contentsOfFile: overridden + "/config.json", encoding: .utf8)
        #expect(overriddenConfig.contains("\"emaKimg\" : 5") && overriddenConfig.contains("\"emaRampup\" : 0.25") && overriddenConfig.contains("\"discriminatorLearningRate\" : 0.0004")
            && overriddenConfig.contains("\"loss\" : \"bce\"") && overriddenConfig.contains("\"learningRateDecay\" : 0.3"))
        #expect(try String(contentsOfFile: overridden + "/history.jsonl", encoding: .utf8).contains("rates decay to 0 over the last 30% of the budget"))

        // Resuming with another recipe is refused and names it.
        let resumed = try runGANPrep(["train", data, "--recipe", "modern", "--feature-maps", "8", "--batch", "16", "--steps", "7", "--out", classic,
                                      "--threads", "1", "--resume"])
        #expect(resumed.status == 2 && resumed.stderr.contains("recipe"), "\(resumed.stderr)")
    }

    @Test func classBatchNormGivesEachGeneratorNormAGainAndBiasPerClass() throws {
        let dir = try TestPaths.temporaryDirectory("recipe-cbn")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        let folder = try TestPaths.labelledDemoFolder(60, classes: ["Trouser", "Sneaker"], into: dir)
        let packed = try runGANPrep(["pack", folder.path, "--out", path("two.h5"), "--size", "32", "--channels", "1", "--quiet"])
        #expect(packed.status == 0, "\(packed.stderr)")
        func train(_ steps: Int, _ extra: [String]) throws {
            let result = try runGANPrep(["train", path("two.h5"), "--conditional", "--class-batch-norm", "--feature-maps", "8", "--batch", "16",
                                         "--steps", "\(steps)", "--out", path("run"), "--threads", "1", "--quiet"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
        }
        try train(5, [])
        #expect(try String(contentsOfFile: path("run/config.json"), encoding: .utf8).contains("\"classBatchNorm\" : true"))
        #expect(try String(contentsOfFile: path("run/history.jsonl"), encoding: .utf8).contains("class BatchNorm in G"))
        try train(7, ["--resume"])
        // The gains and biases (and their moving averages) are [classes, features] in the checkpoint, by h5py.
        let shapes = try ProcessRunner.run("/usr/bin/python3", ["-c", """
            import h5py, sys
            f = h5py.File(sys.argv[1], "r")
            names = ["generator/batch_norm_0/gamma", "ema/generator/batch_norm_2/beta", "generator/batch_norm_0/moving_mean",
                     "discriminator/batch_norm_1/gamma"]
            print(" ".join(str(list(f[n].shape)) for n in names))
            """, path("run/checkpoints/step_000000007.h5")])
        #expect(shapes.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[2, 32] [2, 8] [32] [16]", "\(shapes.stdout)\(shapes.stderr)")
        // sample rebuilds the same generator from the checkpoint alone.
        let sampled = try runGANPrep(["sample", path("run"), "--label", "Sneaker", "--count", "4", "--out", path("s.png")])
        #expect(sampled.status == 0 && sampled.stdout.contains("wrote 4 samples"), "\(sampled.stderr)")
    }

    @Test(arguments: [
        (["--class-batch-norm"], "--class-batch-norm needs --conditional"),
        (["--model", "mlp", "--loss", "hinge"], "--loss hinge needs --model dcgan"),
        (["--adam-betas", "0.5"], "--adam-betas takes two numbers"),
        (["--adam-betas", "0.5,1"], "--adam-betas takes two numbers"),
        (["--augment-policy", "color,blur"], "--augment-policy takes"),
        (["--augment-policy", "color,color"], "--augment-policy takes"),
        (["--d-steps", "0"], "--d-steps"),
        (["--ema-kimg", "-1"], "--ema-kimg"),
        (["--ema-rampup", "2"], "--ema-rampup"),
        (["--ada-target", "1.5"], "--ada-target"),
        (["--lr-g", "0"], "--lr-g"),
        (["--lr-decay", "1.5"], "--lr-decay must be a number from 0 to 1"),
        (["--lr-decay", "nan"], "--lr-decay must be a number from 0 to 1"),
        (["--recipe", "fancy"], "--recipe"),
    ])
    func aBadRecipeValueExitsTwoAndSaysWhy(arguments: [String], message: String) throws {
        let dir = try TestPaths.temporaryDirectory("recipe-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try runGANPrep(["train", dir.appendingPathComponent("missing.h5").path, "--out", dir.appendingPathComponent("run").path]
                                    + arguments)
        #expect(result.status == 2 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run").path))
    }
}
