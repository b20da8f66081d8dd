// swift-tools-version:6.0
// libFuzzer harnesses for ganprep's parsers and decoders. Built and run by
// `make fuzz` (Fuzz/run.sh) with -sanitize=fuzzer,address; a package of its
// own so that the main package's products never link libFuzzer.
import PackageDescription

let kit: Target.Dependency = .product(name: "GANPrepKit", package: "ganprep")

let package = Package(
    name: "ganprep-fuzz",
    dependencies: [.package(path: "ganprep")],
    targets: [
        .executableTarget(name: "fuzz-records", dependencies: [kit]),
        .executableTarget(name: "fuzz-images", dependencies: [kit]),
        .executableTarget(name: "fuzz-dataset", dependencies: [kit]),
    ],
    swiftLanguageModes: [.v6]
)
