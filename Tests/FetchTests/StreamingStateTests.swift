import Foundation
@testable import Fetch
import PropertyBased
import Records
import Testing

/// The state a streaming fetch keeps per record, checked against the
/// obvious implementations it replaces.
@Suite struct StreamingStateTests {
    /// The owner table answers as a dictionary of the lowest index per key
    /// does, through its growth, for keys that collide in their slots.
    @Test func ownerTableKeepsTheLowestIndexLikeADictionary() async {
        let claims = zip(Gen.int(in: 0...300), Gen.int(in: 0...5000)).array(of: 0...2000)
        await propertyCheck(count: 60, input: claims) { claims in
            var table = OwnerTable(capacity: 4)
            var reference: [UInt64: Int] = [:]
            for (k, index) in claims {
                let key = UInt64(k) &* 0x9E37_79B9_7F4A_7C15 | 1
                table.claim(key, for: index)
                reference[key] = min(reference[key] ?? index, index)
            }
            #expect(table.count == reference.count)
            for (key, owner) in reference { #expect(table[key] == owner) }
            #expect(table[0xDEAD_BEEF_0000_0001] == reference[0xDEAD_BEEF_0000_0001])
        }
    }

    @Test func ownerKeysAreTheHashsFirstSixtyFourBits() {
        let sha = "0123456789abcdef" + String(repeating: "f", count: 48)
        #expect(OwnerTable.key(sha) == 0x0123_4567_89AB_CDEF)
        #expect(OwnerTable.key(String(repeating: "0", count: 64)) == 1, "0 marks an empty slot")
    }

    /// A host queue fed as fast as it drains holds what is waiting, not every job it ever held.
    @Test func aHostQueueDropsTheJobsItHandedOut() {
        var queue = HostQueue()
        var taken = 0
        for i in 0..<100_000 {
            queue.jobs.append(FetchJob(record: Record(index: i, url: "http://h/\(i)", description: ""), host: "h"))
            if i % 2 == 1 {
                for _ in 0..<2 { #expect(queue.pop().record.index == taken); taken += 1 }
            }
        }
        #expect(queue.isEmpty && taken == 100_000)
        #expect(queue.jobs.count < 2048, "\(queue.jobs.count) jobs kept")
    }
}
