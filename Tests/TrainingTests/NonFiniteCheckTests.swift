import Testing
@testable import Training

/// The batch check before each step: the first NaN or infinite value,
/// wherever it lies (the eight-lane pass or the tail after it).
@Suite struct NonFiniteCheckTests {
    @Test(arguments: [0, 7, 8, 1000, 1021, 1022])
    func findsTheFirstNonFiniteValueAnywhere(position: Int) {
        var values = (0..<1023).map { Float($0 % 255) / 127 - 1 }
        #expect(TrainingRun.firstNonFinite(values, count: values.count) == nil)
        values[position] = -.infinity
        #expect(TrainingRun.firstNonFinite(values, count: values.count) == -.infinity)
        #expect(TrainingRun.firstNonFinite(values, count: position) == nil, "only the first count values")
        guard position + 1 < values.count else { return }
        values[position + 1] = .nan
        #expect(TrainingRun.firstNonFinite(values, count: values.count) == -.infinity, "the first one")
        values[position] = 0.5
        #expect(TrainingRun.firstNonFinite(values, count: values.count)?.isNaN == true)
    }
}
