@testable import Pack
import Foundation
import Synchronization
import Testing

/// The ring of slots pack decodes into: every item once, in input order,
/// its own pixels, never more in flight than the ring holds, and a failing
/// consumer stops the workers.
@Suite struct PackPipelineTests {
    /// Item i fills its slot with i, after a pause that differs per item so
    /// the workers finish out of order.
    final class InFlight: @unchecked Sendable {
        private let lock = NSLock()
        private var now = 0
        private(set) var most = 0
        func enter() { lock.withLock { now += 1; most = max(most, now) } }
        func leave() { lock.withLock { now -= 1 } }
    }

    func work(size: Int, inFlight: InFlight) -> PackPipeline.Work {
        { index, slot in
            inFlight.enter()
            usleep(UInt32((index * 7919) % 5) * 300)
            for k in 0..<size { slot[k] = Float(index) }
            inFlight.leave()
            let item = PackItem(path: "\(index)", description: "", url: "", sha256: nil, name: "item \(index)", label: nil)
            return PackDecoded(item: item, outcome: index % 4 == 3 ? .failure(.blank, detail: "item \(index)", source: nil)
                                                                   : .success(sha256: "\(index)", source: (1, 1), hash: nil))
        }
    }

    @Test(arguments: [(37, 5, 3), (10, 64, 2), (9, 1, 4), (1, 8, 8)])
    func everyItemOnceInOrderWithItsOwnPixels(count: Int, capacity: Int, workers: Int) throws {
        let size = 6
        let inFlight = InFlight()
        let pipeline = PackPipeline(count: count, capacity: capacity, sampleSize: size, workers: workers,
                                    work: work(size: size, inFlight: inFlight))
        var seen: [Int] = []
        var failures = 0
        try pipeline.run { (start, outcomes, slots) throws(TestFailure) in
            guard slots.count == outcomes.count * size else { throw TestFailure("\(slots.count) floats for \(outcomes.count) items") }
            for (i, outcome) in outcomes.enumerated() {
                let index = start + i
                seen.append(index)
                if outcome.item.name != "item \(index)" { throw TestFailure("item \(index) came with \(outcome.item.name)") }
                if case .failure = outcome.outcome { failures += 1 }
                if case let .success(sha, _, _) = outcome.outcome, sha != "\(index)" { throw TestFailure("item \(index) got \(sha)") }
                for k in 0..<size where slots[i * size + k] != Float(index) {
                    throw TestFailure("slot of item \(index) holds \(slots[i * size + k])")
                }
            }
        }
        #expect(seen == Array(0..<count))
        #expect(failures == (0..<count).filter { $0 % 4 == 3 }.count)
        #expect(inFlight.most <= min(capacity, workers))
    }

    @Test func aFailingConsumerStopsTheWorkersAndItsErrorComesOut() {
        let started = Atomic<Int>(0)
        let pipeline = PackPipeline(count: 1000, capacity: 4, sampleSize: 1, workers: 2) { index, slot in
            started.wrappingAdd(1, ordering: .relaxed)
            slot[0] = Float(index)
            return PackDecoded(item: PackItem(path: "", description: "", url: "", sha256: nil, name: "", label: nil), outcome: .success(sha256: "", source: (1, 1), hash: nil))
        }
        #expect(throws: TestFailure.self) {
            try pipeline.run { (start, _, _) throws(TestFailure) in
                if start >= 4 { throw TestFailure("disk full") }
            }
        }
        // Workers stop once the ring is full: a few items past the failure, not the thousand.
        #expect(started.load(ordering: .relaxed) <= 4 + 4 + 2)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
