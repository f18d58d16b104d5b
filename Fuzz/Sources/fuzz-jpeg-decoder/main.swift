// libFuzzer target: JPEGDecoder (libjpeg through the C shim) on arbitrary bytes, at every DCT scale,
// followed by orientation and preprocessing of whatever decodes. Must never crash or leak; errors are fine.
import CFuzzDriver
import CurbImage
import CurbModel
import Glibc

// 4 MP keeps each run fast and the RSS bounded; the limit check itself is part of what is fuzzed.
nonisolated(unsafe) let decoder = ImageDecoder(limits: DecodeLimits(maximumPixels: 4_000_000, maximumFileBytes: 1 << 20))
nonisolated(unsafe) let image = RGBImage()
nonisolated(unsafe) let preprocessor = try! Preprocessor(
    recipe: PreprocessingRecipe(resizeMode: .centerCrop, interpolation: .bilinear),
    input: InputTensorDescription(width: 16, height: 16, element: .int8(scale: 1.0 / 255, zeroPoint: -128)))
nonisolated(unsafe) let destination = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 16 * 3, alignment: 64)

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    // The last byte picks the DCT scale target (none, 1/2 .. 1/8 of a 64x64 source) and strict mode.
    let selector = size > 0 ? Int(bytes[size - 1]) : 0
    decoder.jpeg.strict = selector & 1 == 1
    let target: DecodeTarget? = selector & 6 == 0 ? nil : DecodeTarget(width: 64 >> (selector >> 1 & 3), height: 8)
    // Force the JPEG path even when the fuzzer mutates the magic (ImageDecoder would sniff it away).
    guard size >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
        _ = try? decoder.jpeg.decode(bytes, limits: decoder.limits, target: target, into: image)
        return 0
    }
    if (try? decoder.decode(bytes, target: target, into: image)) != nil {
        try? preprocessor.run(image, into: destination)
    }
    return 0
})
