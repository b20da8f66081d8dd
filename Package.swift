// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ganprep",
    products: [
        .executable(name: "ganprep", targets: ["ganprep"]),
        .library(name: "GANPrepKit", targets: ["Support", "Storage", "Records", "Fetch", "Imaging", "Pack", "HDF5", "DatasetFile", "Export", "LinearAlgebra", "GAN", "Metrics", "Training", "Evaluation", "Report", "Distributed"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Property-based tests of the records readers and option parsing (tests only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: - System libraries (pkg-config names, Debian -dev packages)

        .systemLibrary(
            name: "CJPEG", pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CDeflate", pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(
            name: "CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),

        // MARK: - Libraries loaded when first used (dlopen; headers from libhdf5-dev, libcurl4-openssl-dev, libopenblas-dev and libopenmpi-dev)

        // What the four share: dlopen once, symbols by dlsym, a failure that names what is missing.
        .target(name: "CLoader"),
        // libhdf5 (and the libcurl it brings): loaded by the commands that read or write HDF5.
        .target(name: "CHDF5", dependencies: ["CLoader"]),
        // libcurl: loaded by fetch.
        .target(name: "CCurl", dependencies: ["CLoader"]),
        // OpenBLAS for the GAN and the metrics: the commands without linear algebra never load it.
        .target(name: "COpenBLAS", dependencies: ["CLoader"]),
        // Open MPI for data-parallel training (loaded and initialised under mpirun or srun only).
        .target(name: "CMPI", dependencies: ["CLoader"]),

        // MARK: - C code that must stay in C (libjpeg's longjmp, libpng's setjmp)

        .target(
            name: "CImageCodecs",
            dependencies: ["CJPEG", "CPNG", "CDeflate"],
            cSettings: [.unsafeFlags(["-O2"])]),

        // MARK: - Libraries

        // In the order the data flows: shared basics, records, fetch, images,
        // HDF5, the dataset file, GAN math, training.
        .target(name: "Support", dependencies: ["CCrypto"]),
        .target(name: "Storage"),
        .target(name: "Records", dependencies: ["Storage"]),
        .target(name: "Fetch", dependencies: ["CCurl", "Records", "Storage", "Support"]),
        .target(name: "Imaging", dependencies: ["CImageCodecs", "Support"]),
        .target(name: "HDF5", dependencies: ["CHDF5", "Storage"]),
        // Packing: input scan, filters, perceptual hashing and its index, ledger, pack manifest, pipeline.
        .target(name: "Pack", dependencies: ["Imaging", "Records", "Storage", "Support"]),
        // The dataset file: its layout, the writers behind Pack's DatasetSink, readers, batch streams, merge.
        .target(name: "DatasetFile", dependencies: ["Pack", "HDF5", "Imaging", "Storage", "Support"]),
        // Exports for other tools: StyleGAN's zip, WebDataset's tars, ImageFolder's folders.
        .target(name: "Export", dependencies: ["DatasetFile", "Imaging", "Records", "Storage", "Support", "CDeflate"]),
        // OpenBLAS for GAN and Metrics alike: loading, threads, the products, and the one lock around them.
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),
        .target(name: "GAN", dependencies: ["LinearAlgebra", "Support"]),
        .target(name: "Metrics", dependencies: ["LinearAlgebra", "Support"]),
        .target(name: "Training", dependencies: ["GAN", "LinearAlgebra", "DatasetFile", "Pack", "Imaging", "HDF5", "Storage", "Support"]),
        // Measuring samples: the classifier, its file, and FID/KID/PR runs of a generator.
        .target(name: "Evaluation", dependencies: ["Training", "GAN", "Metrics", "DatasetFile", "Imaging", "HDF5", "Storage", "Support"]),
        // The HTML page about a run.
        .target(name: "Report", dependencies: ["Evaluation", "Training", "DatasetFile", "HDF5", "Imaging", "Records", "Storage", "Support"]),
        .target(name: "Distributed", dependencies: ["CMPI", "GAN"]),

        // MARK: - Executable

        .executableTarget(
            name: "ganprep",
            dependencies: [
                "Support", "Storage", "Records", "Fetch", "Imaging", "Pack", "HDF5", "DatasetFile", "Export", "LinearAlgebra", "GAN", "Metrics", "Training",
                "Evaluation", "Report", "Distributed", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: - Benchmarks (built by `make bench` only)

        .executableTarget(
            name: "fetch-bench-server", dependencies: ["_TestSupport"], path: "benchmarks/fetch/server"),
        .executableTarget(name: "soak-server", dependencies: ["Imaging", "Support", "_TestSupport"], path: "benchmarks/soak/server"),
        .executableTarget(name: "gan-bench", dependencies: ["GAN", "LinearAlgebra", "Support"], path: "benchmarks/gan/swift"),
        .executableTarget(name: "hash-bench", dependencies: ["Support"], path: "benchmarks/hash/swift"),
        .executableTarget(name: "dedup-bench", dependencies: ["Pack", "Imaging", "Support"], path: "benchmarks/dedup/swift"),
        .executableTarget(name: "eval-bench", dependencies: ["GAN", "LinearAlgebra", "Support"], path: "benchmarks/eval/swift"),

        // MARK: - Tests

        .target(name: "_TestSupport", path: "Tests/_TestSupport"),
        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "CLoaderTests", dependencies: ["CLoader"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "_TestSupport"]),
        .testTarget(name: "FetchTests", dependencies: ["Fetch", "CCurl", "Records", "Support", "_TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "CImageCodecs", "CDeflate", "Support", "_TestSupport"]),
        .testTarget(name: "GANTests", dependencies: ["GAN", "LinearAlgebra", "Support"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Support", "_TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Pack", "GAN", "DatasetFile", "HDF5", "Imaging", "Support", "_TestSupport"]),
        .testTarget(name: "PackTests", dependencies: ["Pack", "Records", "Support", "_TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "Records", "_TestSupport"]),
        .testTarget(name: "DatasetFileTests", dependencies: ["DatasetFile", "Pack", "Imaging", "HDF5", "Records", "Support", "_TestSupport"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "ganprepTests", dependencies: [
            "_TestSupport", "Records", "Pack", "DatasetFile", "HDF5", "Imaging", "GAN", "Metrics", "Support", "Training", "Evaluation", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
