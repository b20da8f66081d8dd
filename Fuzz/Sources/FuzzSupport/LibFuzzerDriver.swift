// SwiftPM links an executable's entry point as `<module>_main`; built with
// -parse-as-library a harness has none, so each defines that symbol and
// hands over to libFuzzer's driver here.

/// libFuzzer's callback for one input.
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ target: FuzzTarget) -> Int32

/// Runs libFuzzer over `target` with the process's arguments.
public func runLibFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ target: FuzzTarget) -> Int32 {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, target)
}
