import Testing
@testable import Training

/// The one axis model of the PNG plots and the report's SVG charts: round
/// ticks inside the range for ordinary data, and bounded, finite results
/// for any finite values (the cases that trapped or hung the report).
@Suite struct ChartAxisTests {
    @Test func ordinaryValuesGetRoundTicksAroundThem() {
        let axis = ChartAxis(values: [0.02, 0.98, 0.5], intervals: 4)
        #expect(axis.low == 0 && axis.high == 1 && axis.ticks == [0, 0.25, 0.5, 0.75, 1])
        let steps = ChartAxis(values: [1, 1000], intervals: 5, roundEnds: false)
        #expect(steps.low == 1 && steps.high == 1000 && steps.ticks == [200, 400, 600, 800, 1000])
        #expect(ChartAxis(values: [2, 3], intervals: 4, fromZero: true).low == 0)
    }

    @Test(arguments: [
        [-1e308, 1e308], [-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude], [1e16, 1e16, 1e16], [1e17],
        [Double(Int.max), Double(Int.min)], [1.4e17, 1.4e17 + 32], [1.6189e-319, 3.339037581887528e+160], [5e-324], [],
        [.nan, .infinity, 3], [-0.0, 0.0],
    ])
    func extremeValuesGiveAFiniteBoundedAxis(values: [Double]) {
        for (fromZero, roundEnds) in [(false, true), (true, true), (false, false)] {
            let axis = ChartAxis(values: values, intervals: 4, fromZero: fromZero, roundEnds: roundEnds)
            #expect(axis.low.isFinite && axis.high.isFinite && axis.low < axis.high, "\(values): \(axis)")
            #expect(!axis.ticks.isEmpty && axis.ticks.count <= ChartAxis.maxTicks, "\(values): \(axis.ticks)")
            #expect(axis.ticks.allSatisfy { $0.isFinite && $0 >= axis.low && $0 <= axis.high }, "\(values): \(axis)")
            #expect(zip(axis.ticks, axis.ticks.dropFirst()).allSatisfy { $0 < $1 }, "\(values): \(axis.ticks)")
            for value in values where value.isFinite { #expect((0...1).contains(axis.fraction(value)), "\(value) in \(axis)") }
        }
    }
}
