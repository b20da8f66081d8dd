import Foundation
import PropertyBased
import Testing
import _TestSupport

/// The command line's option parsing against an oracle written here: every
/// generated value is accepted exactly when the oracle says so, and refused
/// with exit 2 and a message that names the option.
@Suite struct OptionPropertyTests {
    /// Whether `--size` should accept `text`: N or WxH (x or X), each side 1...8192.
    static func sizeIsValid(_ text: String) -> Bool {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && Int(part).map { (1...8192).contains($0) } == true
        }
    }

    @Test func sizeIsAcceptedExactlyWhenItIsNOrWidthByHeight() async throws {
        let alphabet = Gen.element(of: Array("0123456789xX -")).map { $0 ?? "x" }
        let sizes = alphabet.array(of: 1...7).map { String($0) }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-input-\(UUID())").path
        await propertyCheck(count: 60, input: sizes) { size in
            let result = try runGANPrep(["pack", missing, "--size=\(size)", "--out", missing + ".h5"])
            #expect(result.status == 2)
            if Self.sizeIsValid(size) {
                #expect(!result.stderr.contains("--size") && result.stderr.contains(missing), "\(size): \(result.stderr)")
            } else {
                #expect(result.stderr.contains("--size"), "\(size): \(result.stderr)")
            }
        }
    }

    @Test func timeoutIsAcceptedExactlyWhenFiniteFromOneMillisecondToADay() async throws {
        // NaN, infinities and huge values, anything from -10 to 100000, and values around 1 ms.
        let values = zip(Gen.int(in: 0...5), Gen.double(in: -10...100_000), Gen.double(in: 0...0.002)).map { choice -> Double in
            switch choice.0 {
            case 0: return .nan
            case 1: return .infinity
            case 2: return -.infinity
            case 3: return 1e300
            case 4: return choice.1
            default: return choice.2
            }
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-records-\(UUID()).json").path
        await propertyCheck(count: 60, input: values) { value in
            let result = try runGANPrep(["fetch", missing, "--timeout=\(value)", "--out", missing + ".d"])
            #expect(result.status == 2)
            if value.isFinite && value >= 0.001 && value <= 86_400 {
                #expect(!result.stderr.contains("--timeout") && result.stderr.contains("no such file"), "\(value): \(result.stderr)")
            } else {
                #expect(result.stderr.contains("--timeout must be a number from 0.001 to 86400 seconds"), "\(value): \(result.stderr)")
            }
        }
    }
}
