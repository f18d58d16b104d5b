// swift-tools-version:6.1
import PackageDescription

// Fuzz targets live in their own package: `LLVMFuzzerRunDriver` exists only when linking with
// `-sanitize=fuzzer`, which the root package's plain builds do not use. Build and run:
//   swift build -c release --product fuzz-tflite-reader -Xswiftc -sanitize=fuzzer,address \
//     -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld --scratch-path .build-fuzz
//   .build-fuzz/release/fuzz-tflite-reader -max_total_time=60 corpus/tflite
let package = Package(
    name: "CurbsideFuzz",
    products: [
        .executable(name: "fuzz-tflite-reader", targets: ["FuzzTFLiteReader"]),
    ],
    dependencies: [
        .package(name: "Curbside", path: ".."),
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "FuzzTFLiteReader",
            dependencies: ["CFuzzerDriver", .product(name: "CurbTFLite", package: "Curbside")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
