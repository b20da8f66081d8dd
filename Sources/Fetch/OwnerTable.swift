/// Which record owns each stored file, by the file's SHA-256: the lowest
/// index that has those bytes. Open addressing over twelve bytes a slot
/// (64 bits of the hash and a 32-bit index), so that a million records'
/// owners take about 16 MB where a dictionary of hex strings took a hundred.
///
/// 64 bits of the hash make a candidate, not a proof: the caller confirms a
/// match against the full hash (the owner's file, named by it, or its
/// manifest line) before it calls two records the same bytes.
struct OwnerTable {
    private var keys: [UInt64]
    private var owners: [UInt32]
    private(set) var count = 0

    init(capacity: Int = 1024) {
        let slots = max(16, capacity + capacity / 3 + 1)
        keys = [UInt64](repeating: 0, count: slots)
        owners = [UInt32](repeating: 0, count: slots)
    }

    /// The 64 bits of a hex SHA-256 the table works with (its first 16 digits; never 0, the empty slot).
    static func key(_ sha256: String) -> UInt64 {
        var value: UInt64 = 0
        for byte in sha256.utf8.prefix(16) {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x61...0x66: digit = byte - 0x61 + 10
            case 0x41...0x46: digit = byte - 0x41 + 10
            default: digit = byte & 0x0F
            }
            value = value << 4 | UInt64(digit)
        }
        return value == 0 ? 1 : value
    }

    /// The owner recorded for `key`, if any.
    subscript(key: UInt64) -> Int? {
        let (slot, found) = find(key)
        return found ? Int(owners[slot]) : nil
    }

    /// Records `index` as the owner of `key` when it has none or a higher one.
    mutating func claim(_ key: UInt64, for index: Int) {
        precondition(index >= 0 && index <= Int(UInt32.max), "record index \(index) beyond the owner table's range")
        let (slot, found) = find(key)
        if found {
            owners[slot] = min(owners[slot], UInt32(index))
            return
        }
        keys[slot] = key
        owners[slot] = UInt32(index)
        count += 1
        if count * 4 > keys.count * 3 { grow() }
    }

    /// The slot of `key`, and whether it holds it (else the empty slot where it would go).
    private func find(_ key: UInt64) -> (Int, Bool) {
        var slot = Int(truncatingIfNeeded: (key ^ key >> 29) % UInt64(keys.count))
        while keys[slot] != 0 {
            if keys[slot] == key { return (slot, true) }
            slot = slot + 1 == keys.count ? 0 : slot + 1
        }
        return (slot, false)
    }

    private mutating func grow() {
        let (oldKeys, oldOwners) = (keys, owners)
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        owners = [UInt32](repeating: 0, count: oldKeys.count * 2)
        count = 0
        for (key, owner) in zip(oldKeys, oldOwners) where key != 0 { claim(key, for: Int(owner)) }
    }
}
