import Foundation
import Imaging
import Testing
@testable import Training
import _TestSupport

/// When a run checkpoints by default, by step count, by time and across
/// replicas; and the grid writer's failures reaching the run.
@Suite struct CheckpointPolicyTests {
    @Test func byDefaultEpochEndsCheckpointWhileThatCostsAtMostOneHundredthOfTheRun() {
        // A 0.9 GB checkpoint, assumed to take 0.9 s before one was timed.
        var policy = CheckpointPolicy(everySteps: nil, minutes: nil, replicated: false, checkpointBytes: 900_000_000, now: 0)
        #expect(policy.decide(step: 10, epochEnded: true, isLast: false, now: 4) == .skip)
        #expect(policy.decide(step: 200, epochEnded: true, isLast: false, now: 89) == .skip, "0.9 s x 99 = 89.1 s")
        #expect(policy.decide(step: 210, epochEnded: true, isLast: false, now: 89.2) == .alone)
        #expect(policy.decide(step: 215, epochEnded: false, isLast: false, now: 95) == .skip, "only at an epoch's end")
        policy.wrote(started: 89.2, now: 90.2)  // It took 1 s: the next waits 99 s.
        #expect(policy.decide(step: 420, epochEnded: true, isLast: false, now: 189) == .skip)
        #expect(policy.decide(step: 430, epochEnded: true, isLast: false, now: 189.3) == .alone)
        #expect(policy.decide(step: 431, epochEnded: false, isLast: true, now: 189.4) == .together, "the last step always")
        // A small model's checkpoint costs little: 70 MB (0.07 s) after 6.93 s.
        let small = CheckpointPolicy(everySteps: nil, minutes: nil, replicated: false, checkpointBytes: 70_000_000, now: 0)
        #expect(small.decide(step: 5, epochEnded: true, isLast: false, now: 6.5) == .skip)
        #expect(small.decide(step: 10, epochEnded: true, isLast: false, now: 7) == .alone)
    }

    @Test func stepIntervalsAndReplicasAreDecidedTheSameEverywhere() {
        let every = CheckpointPolicy(everySteps: 3, minutes: nil, replicated: true, checkpointBytes: 1 << 30, now: 0)
        #expect((1...7).map { every.decide(step: $0, epochEnded: $0 == 5, isLast: false, now: 0.1) }
                == [.skip, .skip, .together, .skip, .skip, .together, .skip])
        // Data-parallel runs keep a checkpoint at every epoch's end, whatever it costs.
        let replicated = CheckpointPolicy(everySteps: nil, minutes: nil, replicated: true, checkpointBytes: 1 << 30, now: 0)
        #expect(replicated.decide(step: 5, epochEnded: true, isLast: false, now: 0.5) == .together)
        #expect(replicated.decide(step: 6, epochEnded: false, isLast: false, now: 0.6) == .skip)
    }

    @Test func minutesCountFromTheLastCheckpoint() {
        var policy = CheckpointPolicy(everySteps: 1000, minutes: 2, replicated: false, checkpointBytes: 0, now: 100)
        #expect(policy.decide(step: 7, epochEnded: false, isLast: false, now: 219) == .skip)
        #expect(policy.decide(step: 8, epochEnded: false, isLast: false, now: 220) == .alone)
        policy.wrote(started: 220, now: 221)
        #expect(policy.decide(step: 9, epochEnded: false, isLast: false, now: 300) == .skip)
        #expect(policy.decide(step: 10, epochEnded: false, isLast: false, now: 341) == .alone)
    }

    @Test func aGridThatCannotBeWrittenStopsTheNextOneAndTheDrain() throws {
        let writer = ImageWriter()
        let image = DecodedImage(width: 2, height: 2, channels: 1, pixels: [0, 64, 128, 255])
        let directory = try TestPaths.temporaryDirectory("image-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        try writer.write(image, to: directory.path + "/ok.png")
        try writer.write(image, to: directory.path + "/missing/grid.png")
        writer.wait()
        #expect(throws: TrainingError.self) { try writer.write(image, to: directory.path + "/later.png") }
        do {
            try writer.drain()
            Issue.record("drain did not report the failure")
        } catch {
            #expect(error.description.contains("missing/grid.png"), "names the file: \(error)")
        }
        let written = try ImageDecoder().decode([UInt8](Data(contentsOf: directory.appendingPathComponent("ok.png"))))
        #expect(written.pixels == image.pixels)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/later.png"))
    }
}
