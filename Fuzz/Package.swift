// swift-tools-version:6.0
// libFuzzer harnesses for ganprep's parsers and decoders. Built and run by
// `make fuzz` (Fuzz/run.sh) with -sanitize=fuzzer,address; a package of its
// own so that the main package's products never link libFuzzer.
import PackageDescription

let kit: Target.Dependency = .product(name: "GANPrepKit", package: "ganprep")
let support: Target.Dependency = "FuzzSupport"

let package = Package(
    name: "ganprep-fuzz",
    dependencies: [.package(path: "ganprep")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "fuzz-records", dependencies: [kit, support]),
        .executableTarget(name: "fuzz-images", dependencies: [kit, support]),
        .executableTarget(name: "fuzz-dataset", dependencies: [kit, support]),
        // Builds its PNGs around the input (CRCs right): png_rows.c against libpng.
        .executableTarget(name: "fuzz-png-rows", dependencies: [kit, support]),
        // The report's CSV/JSON readers and the charts' axis code (ChartAxis).
        .executableTarget(name: "fuzz-report", dependencies: [kit, support]),
    ],
    swiftLanguageModes: [.v6]
)
