// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets. Separate from the root package because `LLVMFuzzerRunDriver` only exists when linking
// with `-sanitize=fuzzer`; build and run with `Fuzz/run.sh SECONDS [TARGET ...]`.
let package = Package(
    name: "CurbsideFuzz",
    dependencies: [.package(name: "Curbside", path: "..")],
    targets: [
        .target(name: "CFuzzDriver", path: "Sources/CFuzzDriver"),
        .executableTarget(
            name: "fuzz-model-reader",
            dependencies: ["CFuzzDriver", .product(name: "CurbModel", package: "Curbside"),
                           .product(name: "CurbRuntime", package: "Curbside")],
            path: "Sources/fuzz-model-reader"
        ),
        .executableTarget(
            name: "fuzz-tflite-reader",
            dependencies: ["CFuzzDriver", .product(name: "CurbTFLite", package: "Curbside")],
            path: "Sources/fuzz-tflite-reader"
        ),
        .executableTarget(
            name: "fuzz-jpeg-decoder",
            dependencies: ["CFuzzDriver", .product(name: "CurbImage", package: "Curbside"),
                           .product(name: "CurbModel", package: "Curbside")],
            path: "Sources/fuzz-jpeg-decoder"
        ),
        .executableTarget(
            name: "fuzz-png-decoder",
            dependencies: ["CFuzzDriver", .product(name: "CurbImage", package: "Curbside"),
                           .product(name: "CurbModel", package: "Curbside")],
            path: "Sources/fuzz-png-decoder"
        ),
    ],
    swiftLanguageModes: [.v6]
)
