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
        .executable(name: "curbside", targets: ["curbside"]),
        .executable(name: "curbside-train", targets: ["curbside-train"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "CurbModel"),
        .target(name: "CurbRuntime", dependencies: ["CurbModel"]),
        // NumPy .npy arrays: how tools exchange tensors with other runtimes.
        .target(name: "CurbNumpy"),
        // The TFLite flatbuffer reader (untrusted input) and its import into .curb.
        .target(name: "CurbTFLite", dependencies: ["CurbModel"]),
        // What the command-line tools share: one-line failures and exit codes, file I/O through libc, JSON output.
        .target(name: "CurbToolSupport", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "curbside",
            dependencies: [
                "CurbModel", "CurbRuntime", "CurbNumpy", "CurbToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "curbside-train",
            dependencies: [
                "CurbModel", "CurbTFLite", "CurbToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test support: counts every malloc in the process (ELF interposition), per thread.
        .target(name: "CMallocCounter", path: "Sources/CMallocCounter"),
        .target(name: "CurbTestKit", dependencies: ["CurbModel", "CurbRuntime", "CMallocCounter"]),
        .testTarget(name: "CurbModelTests", dependencies: ["CurbModel", "CurbTestKit"]),
        .testTarget(name: "CurbRuntimeTests", dependencies: ["CurbModel", "CurbRuntime", "CurbTestKit", "CMallocCounter"]),
        .testTarget(name: "CurbNumpyTests", dependencies: ["CurbNumpy"]),
        .testTarget(name: "CurbTFLiteTests", dependencies: ["CurbTFLite", "CurbModel", "CurbRuntime", "CurbNumpy", "CurbTestKit"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CurbTrainCommandTests", dependencies: ["curbside-train", "CurbModel", "CurbTestKit"]),
        .testTarget(name: "CurbsideTests", dependencies: ["curbside", "CurbModel", "CurbTestKit"]),
    ],
    swiftLanguageModes: [.v6]
)
