#if canImport(Glibc)
import Glibc
#endif

/// A small, fast, seedable generator (xoshiro256**), so initialisation,
/// noise and shuffles are the same for the same seed on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// xoshiro256**'s four words (checkpointed).
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator seeded by SplitMix64 from `seed`.
    public init(seed: UInt64) {
        // SplitMix64 spreads the seed over the state.
        var s = seed
        func next() -> UInt64 {
            s &+= 0x9E3779B97F4A7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// Restores a generator from a saved state.
    public init(state: [UInt64]) {
        precondition(state.count == 4, "generator state has 4 words")
        self.state = (state[0], state[1], state[2], state[3])
    }

    /// The state as four words, for checkpoints.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Standard normal (Box-Muller).
    public mutating func nextNormal() -> Float {
        var u1 = nextUniform()
        while u1 <= 1e-7 { u1 = nextUniform() }
        let u2 = nextUniform()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * Float.pi * u2)
    }

    /// Uniform in 0..<n (n > 0).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// Fisher-Yates with `below`: the same order for the same state on every machine.
    public mutating func shuffle(_ values: inout [Int]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, below(i + 1)) }
    }
}
