// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets. Separate from the root package because `LLVMFuzzerRunDriver` only exists when
// linking with `-sanitize=fuzzer`; build and run with `Fuzz/run-images.sh`.
let package = Package(
    name: "CurbsideFuzz",
    dependencies: [.package(name: "Curbside", path: "..")],
    targets: [
        .target(name: "CFuzzDriver", path: "Sources/CFuzzDriver"),
        .executableTarget(
            name: "FuzzJPEGDecoder",
            dependencies: [
                "CFuzzDriver", .product(name: "CurbImage", package: "Curbside"), .product(name: "CurbModel", package: "Curbside"),
            ],
            path: "Sources/FuzzJPEGDecoder"
        ),
        .executableTarget(
            name: "FuzzPNGDecoder",
            dependencies: [
                "CFuzzDriver", .product(name: "CurbImage", package: "Curbside"), .product(name: "CurbModel", package: "Curbside"),
            ],
            path: "Sources/FuzzPNGDecoder"
        ),
    ],
    swiftLanguageModes: [.v6]
)
