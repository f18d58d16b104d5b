// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for the model reader. Separate from the root package because `LLVMFuzzerRunDriver`
// only exists when linking with `-sanitize=fuzzer`; build with `Fuzz/run.sh`.
let package = Package(
    name: "CurbsideFuzz",
    dependencies: [.package(name: "Curbside", path: "..")],
    targets: [
        .target(name: "CFuzzDriver", path: "Sources/CFuzzDriver"),
        .executableTarget(
            name: "fuzz-model-reader",
            dependencies: ["CFuzzDriver", .product(name: "CurbModel", package: "Curbside")],
            path: "Sources/fuzz-model-reader"
        ),
    ],
    swiftLanguageModes: [.v6]
)
