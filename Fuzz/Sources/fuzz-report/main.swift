// The run report's readers and charts under libFuzzer. The first byte picks:
// even, the rest is numbers (8 bytes each, as doubles and as integers) for
// ChartAxis, whose ticks must be finite, ascending, within the range drawn
// and at most maxTicks; odd, the rest is a run directory's text files split
// at NUL bytes (losses.csv, metrics.csv, config.json, history.jsonl) for
// `report`, which must write a page (or throw) in bounded time, never trap.
import Foundation
import FuzzSupport
import Report
import Training
#if canImport(Glibc)
import Glibc
#endif

let scratch: String = {
    let path = NSTemporaryDirectory() + "/fuzz-report-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path + "/run", withIntermediateDirectories: true)
    return path
}()

func checkAxis(_ bytes: UnsafeBufferPointer<UInt8>) {
    var doubles: [Double] = [], integers: [Double] = []
    var i = 0
    while i + 8 <= bytes.count {
        let bits = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << (8 * UInt64($1)) }
        doubles.append(Double(bitPattern: bits))
        integers.append(Double(Int(bitPattern: UInt(bits))))
        i += 8
    }
    for values in [doubles, integers] {
        for intervals in [4, 5] {
            for (fromZero, roundEnds) in [(false, true), (true, true), (false, false)] {
                let axis = ChartAxis(values: values, intervals: intervals, fromZero: fromZero, roundEnds: roundEnds)
                guard axis.low.isFinite, axis.high.isFinite, axis.low < axis.high, axis.ticks.count <= ChartAxis.maxTicks else {
                    fatalError("axis \(axis) for \(values)")
                }
                for (k, tick) in axis.ticks.enumerated() where !tick.isFinite || tick < axis.low || tick > axis.high
                    || (k > 0 && tick <= axis.ticks[k - 1]) {
                    fatalError("tick \(tick) of \(axis.ticks) outside \(axis.low)...\(axis.high)")
                }
                for value in values where value.isFinite && !axis.fraction(value).isFinite { fatalError("fraction of \(value)") }
                _ = axis.ticks.map(ChartAxis.label)
            }
        }
    }
}

func checkReport(_ bytes: UnsafeBufferPointer<UInt8>) {
    let parts = bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
    let names = ["losses.csv", "metrics.csv", "config.json", "history.jsonl"]
    for (k, name) in names.enumerated() {
        let path = scratch + "/run/" + name
        if k < parts.count { FileManager.default.createFile(atPath: path, contents: Data(parts[k])) } else { unlink(path) }
    }
    // The dataset and fetch directory named as absent: the fuzzer's config must not send the report to other files.
    let options = RunReport.Options(run: scratch + "/run", out: scratch + "/report.html", dataset: scratch + "/absent.h5",
                                    fetched: scratch + "/absent")
    _ = try? RunReport.write(options)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReport(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let rest = UnsafeBufferPointer(start: data + 1, count: size - 1)
    if data[0] % 2 == 0 { checkAxis(rest) } else { checkReport(rest) }
    return 0
}

@_cdecl("fuzz_report_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv, fuzzReport)
}
