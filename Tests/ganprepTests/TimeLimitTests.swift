import Foundation
import Testing
import _TestSupport

@Suite struct TimeLimitTests {
    /// A run given only --time-limit trains until the limit, stops after the step that crosses it
    /// (losses.csv's seconds: the last step at or past it, the one before under it), writes the end
    /// checkpoint of that step and exits 0; config.json keeps the limit.
    @Test func aTimeLimitEndsTheRunAfterTheStepThatCrossesIt() throws {
        let dir = try TestPaths.temporaryDirectory("time-limit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(64, in: dir)
        let run = dir.appendingPathComponent("run").path
        let limit = 0.04  // minutes: 2.4 s
        let result = try runGANPrep(["train", data, "--model", "mlp", "--batch", "16", "--time-limit", "\(limit)", "--out", run])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("--time-limit \(limit) minutes reached"), "\(result.stdout)")
        let rows = try String(contentsOfFile: run + "/losses.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let seconds = rows.map { Double($0.split(separator: ",")[6])! }
        let steps = rows.map { Int($0.split(separator: ",").first!)! }
        #expect(seconds.count >= 2, "\(rows)")
        #expect(seconds.last! >= limit * 60 && seconds.dropLast().allSatisfy { $0 < limit * 60 }, "\(seconds)")
        let last = try #require(steps.last)
        #expect(try FileManager.default.contentsOfDirectory(atPath: run + "/checkpoints").contains(String(format: "step_%09d.h5", last)))
        #expect(try String(contentsOfFile: run + "/config.json", encoding: .utf8).contains("\"timeLimitMinutes\" : \(limit)"))
    }

    @Test(arguments: ["0", "-1", "nan", "inf", "abc"])
    func aLimitThatIsNotAPositiveNumberExitsTwoWithTheRange(value: String) throws {
        let result = try runGANPrep(["train", "unused.h5", "--time-limit=\(value)", "--out", "/nonexistent/run"])
        #expect(result.status == 2 && result.stderr.contains("--time-limit") && result.stderr.contains("above 0") && result.stderr.contains("5256000"),
                "\(result.stderr)")
    }
}
