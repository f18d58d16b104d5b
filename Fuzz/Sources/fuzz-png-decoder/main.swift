// libFuzzer target: PNGDecoder (libpng's simplified API) on arbitrary bytes, then preprocessing of
// whatever decodes. Must never crash or leak; errors are fine.
import CFuzzDriver
import CurbImage
import CurbModel
import Glibc

nonisolated(unsafe) let decoder = PNGDecoder()
nonisolated(unsafe) let limits = DecodeLimits(maximumPixels: 4_000_000, maximumFileBytes: 1 << 20)
nonisolated(unsafe) let image = RGBImage()
nonisolated(unsafe) let preprocessor = try! Preprocessor(
    recipe: PreprocessingRecipe(resizeMode: .letterbox, interpolation: .area),
    input: InputTensorDescription(width: 16, height: 12, element: .float32))
nonisolated(unsafe) let destination = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 12 * 3 * 4, alignment: 64)

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if (try? decoder.decode(bytes, limits: limits, into: image)) != nil {
        try? preprocessor.run(image, into: destination)
    }
    return 0
})
