// swift-tools-version:6.1
import PackageDescription

// Dependencies point down (docs/architecture in README): CurbModel ← CurbRuntime ← tools.
// The runtime core (CurbModel, CurbRuntime) imports nothing but the standard library and libc.
let package = Package(
    name: "Curbside",
    products: [
        .library(name: "CurbModel", targets: ["CurbModel"]),
        .library(name: "CurbRuntime", targets: ["CurbRuntime"]),
        .library(name: "CurbTFLite", targets: ["CurbTFLite"]),
        .library(name: "CurbImage", targets: ["CurbImage"]),
        .executable(name: "curbside", targets: ["curbside"]),
        .executable(name: "curbside-train", targets: ["curbside-train"]),
        .executable(name: "curbside-collector", targets: ["curbside-collector"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // The collector only (`curbside-collector`): HTTP server and SQLite. No other target depends on them.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        .target(name: "CurbModel"),
        // The fast int8 micro-kernels and the thread pool (C: AVX2/NEON intrinsics chosen at run time, no flags).
        .target(name: "CKernels"),
        .target(name: "CurbRuntime", dependencies: ["CurbModel", "CKernels"]),
        // Camera frames in: libjpeg and libpng (Debian packages) behind a Swift API; the C shim keeps
        // libjpeg's setjmp/longjmp error handling inside C.
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .target(name: "CJPEGShim", dependencies: ["CJPEG"]),
        .target(name: "CurbImage", dependencies: ["CJPEG", "CJPEGShim", "CPNG", "CurbModel"]),
        // JSON values with ordered keys, a writer and a strict parser (no Foundation): records, reports, tool output.
        .target(name: "CurbJSON"),
        // NumPy .npy arrays: how tools exchange tensors with other runtimes.
        .target(name: "CurbNumpy"),
        // The TFLite flatbuffer reader (untrusted input) and its import into .curb.
        .target(name: "CurbTFLite", dependencies: ["CurbModel"]),
        // Frames to classifications: read, decode, preprocess, invoke, score (shared by classify and the agent).
        .target(name: "CurbPipeline", dependencies: ["CurbModel", "CurbRuntime", "CurbImage"]),
        // Float training for the companion trainer: OpenBLAS (Debian's libopenblas-dev) for the GEMMs.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "CurbTrain", dependencies: ["COpenBLAS", "CurbModel", "CurbImage", "CurbRuntime"]),
        // Times one training epoch with a per-layer breakdown (not a product; run with -c release).
        .executableTarget(name: "curbtrain-benchmark", dependencies: ["CurbTrain", "CurbModel"]),
        // The edge agent (`curbside watch`): inotify, a bounded frame queue, the durable record store, the
        // config file, systemd notification. No Foundation: libc through Glibc plus a few lines of C
        // (the signal self-pipe and the kernel's clock-sync status, which Glibc does not import).
        .target(name: "CAgentSystem"),
        .target(name: "CurbAgent", dependencies: ["CAgentSystem", "CurbJSON", "CurbPipeline", "CurbModel", "CurbRuntime", "CurbImage"]),
        // Reports upload: the acknowledgement cursor over the agent's spool, batching, gzip (zlib), backoff, and the
        // HTTP transport over libcurl (Debian's libcurl4-openssl-dev, zlib1g-dev). No Foundation.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CurbGzip", dependencies: ["CZlib"]),
        .target(name: "CurbReports", dependencies: ["CurbGzip", "CCurl", "CurbJSON", "CurbAgent"]),
        // The collector service: Hummingbird + SQLite (GRDB), storage behind a protocol.
        .target(
            name: "CurbCollector",
            dependencies: [
                "CurbGzip",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(name: "curbside-collector", dependencies: ["CurbCollector"]),
        // What the command-line tools share: one-line failures and exit codes, file I/O through libc, JSON output.
        .target(name: "CurbToolSupport", dependencies: ["CurbJSON", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "curbside",
            dependencies: [
                "CurbModel", "CurbRuntime", "CurbNumpy", "CurbImage", "CurbPipeline", "CurbToolSupport", "CurbJSON",
                "CurbAgent", "CurbReports",
                // `bench` counts heap allocations per invoke with the interposer (it forwards every call to glibc).
                "CMallocCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The companion trainer's command-line tool: import (TFLite), train (float training, int8 export), evaluate.
        .executableTarget(
            name: "curbside-train",
            dependencies: [
                "CurbModel", "CurbTFLite", "CurbTrain", "CurbRuntime", "CurbImage", "CurbPipeline", "CurbToolSupport", "CurbJSON", "CPNG",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test support: counts every malloc in the process (ELF interposition), per thread.
        .target(name: "CMallocCounter", path: "Sources/CMallocCounter"),
        .target(name: "CurbTestKit", dependencies: ["CurbModel", "CurbRuntime", "CMallocCounter"]),
        .testTarget(name: "CurbModelTests", dependencies: ["CurbModel", "CurbTestKit"]),
        .testTarget(name: "CurbRuntimeTests", dependencies: ["CurbModel", "CurbRuntime", "CurbTestKit", "CMallocCounter"]),
        .testTarget(
            name: "CurbImageTests", dependencies: ["CurbImage", "CurbModel", "CMallocCounter"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "CurbTrainTests", dependencies: ["CurbTrain", "CurbImage", "CurbModel", "CurbRuntime", "CurbPipeline", "CurbToolSupport", "curbside-train"]),
        .testTarget(name: "CurbAgentTests", dependencies: ["CurbAgent", "CurbJSON", "CurbPipeline", "curbside", "CurbModel", "CurbTestKit"]),
        .testTarget(name: "CurbReportsTests", dependencies: ["CurbReports", "CurbGzip", "CurbJSON", "CurbAgent", "CurbTestKit"]),
        .testTarget(name: "CurbCollectorTests", dependencies: ["CurbCollector", "CurbReports", "CurbGzip", "curbside-collector", "curbside", "CurbTestKit"]),
        .testTarget(name: "CurbNumpyTests", dependencies: ["CurbNumpy"]),
        .testTarget(name: "CurbTFLiteTests", dependencies: ["CurbTFLite", "CurbModel", "CurbRuntime", "CurbNumpy", "CurbTestKit"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CurbTrainCommandTests", dependencies: ["curbside-train", "CurbModel", "CurbTestKit"]),
        .testTarget(name: "CurbsideTests", dependencies: ["curbside", "CurbModel", "CurbRuntime", "CurbNumpy", "CurbTestKit"],
                    exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
