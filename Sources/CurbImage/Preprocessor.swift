import CurbModel

/// Turns an upright ``RGBImage`` into a model's input tensor, following the model's
/// ``PreprocessingRecipe``, writing straight into the caller's memory (e.g. the interpreter's input).
///
/// Steps, in order (each one reproducible with Pillow, so a trainer can match it exactly):
/// 1. **Region of interest** (optional, in full-resolution upright pixels): cropped first; everything
///    below treats it as the whole image. When the image was decoded at a DCT scale, the region is
///    scaled to the decoded pixels, start rounded down and end up.
/// 2. **Geometry** — `stretch`: the region fills the input (`im.resize((W, H), f)`); `centerCrop`: the
///    largest centred box of the input's aspect ratio is resized to fill it (`ImageOps.fit(im, (W, H),
///    f)`, a fractional box); `letterbox`: the region is resized to fit inside the input keeping its aspect
///    ratio (the resized side is `round(W · h / w)` or `round(H · w / h)`, Python's round half to even),
///    centred (offset `round((W − w′) / 2)`), and the rest is filled with **black, pixel value 0 in every
///    channel**, which then goes through the pixel mapping like any pixel (Pillow: `ImageOps.pad` with its
///    default black, except that Pillow skips the resize when the rounded size already equals the input).
/// 3. **Resize** — `bilinear` is Pillow's `Image.BILINEAR` and `area` Pillow's `Image.BOX`: half-pixel
///    centres, filters widened by the shrink factor (antialiasing), two passes (horizontal, then vertical)
///    with an 8-bit rounded intermediate. Bit-exact with Pillow 13 (tolerance 0: see
///    ``ResampleCoefficients``). Note this is not OpenCV's `INTER_LINEAR` (2 taps, aliasing when shrinking)
///    nor TF's `resize_bilinear`.
/// 4. **Colour order** — RGB, or BGR (channels written in reverse order).
/// 5. **Pixel mapping** — for output channel `c` (in the model's order): `real = (p − mean[c]) / std[c]`
///    in 32-bit float; for int8 inputs `q = clamp(round_half_away(real / scale) + zeroPoint, −128, 127)`,
///    also in 32-bit float. Computed once per channel and pixel value into lookup tables.
///
/// `run` allocates nothing once its buffers have grown to the largest frame seen. Not thread-safe.
public final class Preprocessor {
    public let recipe: PreprocessingRecipe
    public let input: InputTensorDescription

    private let horizontal = ResampleCoefficients()
    private let vertical = ResampleCoefficients()
    /// The horizontally resized rows: `input.width * 3` bytes each.
    private var intermediate: UnsafeMutablePointer<UInt8>
    private var intermediateCapacity = 0
    /// 3 × 256 entries: the input value for (output channel, pixel value).
    private let int8Table: UnsafeMutablePointer<Int8>
    private let floatTable: UnsafeMutablePointer<Float>

    public init(recipe: PreprocessingRecipe, input: InputTensorDescription) throws(ImageError) {
        guard recipe.mean.count == 3, recipe.standardDeviation.count == 3 else {
            throw ImageError(.invalidArgument, "preprocessing needs 3 means and 3 standard deviations")
        }
        guard recipe.standardDeviation.allSatisfy({ $0 > 0 && $0.isFinite }), recipe.mean.allSatisfy({ $0.isFinite }) else {
            throw ImageError(.invalidArgument, "preprocessing standard deviations must be finite and > 0")
        }
        guard input.width > 0, input.height > 0 else {
            throw ImageError(.invalidArgument, "input size \(input.width)x\(input.height) is empty")
        }
        if case .int8(let scale, let zeroPoint) = input.element {
            guard scale > 0, scale.isFinite, (-128...127).contains(zeroPoint) else {
                throw ImageError(.invalidArgument, "int8 input needs scale > 0 and zero point in -128...127")
            }
        }
        self.recipe = recipe
        self.input = input
        intermediate = .allocate(capacity: 0)
        int8Table = .allocate(capacity: 3 * 256)
        floatTable = .allocate(capacity: 3 * 256)
        for channel in 0..<3 {
            for pixel in 0..<256 {
                let real = (Float(pixel) - recipe.mean[channel]) / recipe.standardDeviation[channel]
                floatTable[channel * 256 + pixel] = real
                if case .int8(let scale, let zeroPoint) = input.element {
                    let quantized = (real / scale).rounded(.toNearestOrAwayFromZero) + Float(zeroPoint)
                    int8Table[channel * 256 + pixel] = Int8(min(127, max(-128, quantized)))
                } else {
                    int8Table[channel * 256 + pixel] = 0
                }
            }
        }
    }

    deinit {
        intermediate.deallocate()
        int8Table.deallocate()
        floatTable.deallocate()
    }

    /// What to tell ``ImageDecoder`` so a JPEG is decoded at the smallest DCT scale that still covers
    /// this input (and region).
    public func decodeTarget(regionOfInterest: PixelRegion? = nil) -> DecodeTarget {
        DecodeTarget(width: input.width, height: input.height,
                     coverage: recipe.resizeMode == .letterbox ? .either : .both, regionOfInterest: regionOfInterest)
    }

    /// Writes the input tensor for `image` into `destination` (at least ``InputTensorDescription/byteCount``
    /// bytes; float32 destinations must be 4-byte aligned). Throws only for a region of interest that
    /// does not fit the image.
    public func run(_ image: RGBImage, regionOfInterest: PixelRegion? = nil, into destination: UnsafeMutableRawBufferPointer) throws(ImageError) {
        precondition(destination.count >= input.byteCount, "destination is smaller than the input tensor")
        var region = PixelRegion(x: 0, y: 0, width: image.width, height: image.height)
        if let regionOfInterest {
            guard regionOfInterest.fits(width: image.originalWidth, height: image.originalHeight) else {
                throw ImageError(.invalidArgument, "region of interest \(regionOfInterest.width)x\(regionOfInterest.height)+\(regionOfInterest.x)+\(regionOfInterest.y) is outside the \(image.originalWidth)x\(image.originalHeight) image")
            }
            region = regionOfInterest.scaled(fromWidth: image.originalWidth, height: image.originalHeight,
                                             toWidth: image.width, height: image.height)
        }
        guard region.width > 0, region.height > 0 else {
            throw ImageError(.invalidArgument, "cannot preprocess an empty image")
        }
        let placement = Self.placement(mode: recipe.resizeMode, regionWidth: region.width, regionHeight: region.height,
                                       inputWidth: input.width, inputHeight: input.height)
        if placement.content != PixelRegion(x: 0, y: 0, width: input.width, height: input.height) {
            fill(destination)
        }
        let source = image.storage.baseAddress!.assumingMemoryBound(to: UInt8.self) + (region.y * image.width + region.x) * 3
        resize(source: source, stride: image.width * 3, width: region.width, height: region.height,
               box: placement.box, content: placement.content, into: destination)
    }

    /// Where the resized region goes in the input (`content`) and which part of the region is resized
    /// (`box`, fractional, in region pixels).
    static func placement(mode: PreprocessingRecipe.ResizeMode, regionWidth: Int, regionHeight: Int,
                          inputWidth: Int, inputHeight: Int) -> (box: (Float, Float, Float, Float), content: PixelRegion) {
        let full = PixelRegion(x: 0, y: 0, width: inputWidth, height: inputHeight)
        let whole = (Float(0), Float(0), Float(regionWidth), Float(regionHeight))
        let regionRatio = Double(regionWidth) / Double(regionHeight)
        let inputRatio = Double(inputWidth) / Double(inputHeight)
        switch mode {
        case .stretch:
            return (whole, full)
        case .centerCrop:
            // ImageOps.fit's arithmetic, in Double, then the box in Float as Pillow passes it to C.
            var cropWidth = Double(regionWidth), cropHeight = Double(regionHeight)
            if regionRatio == inputRatio {
            } else if regionRatio >= inputRatio {
                cropWidth = inputRatio * Double(regionHeight)
            } else {
                cropHeight = Double(regionWidth) / inputRatio
            }
            let left = (Double(regionWidth) - cropWidth) * 0.5
            let top = (Double(regionHeight) - cropHeight) * 0.5
            return ((Float(left), Float(top), Float(left + cropWidth), Float(top + cropHeight)), full)
        case .letterbox:
            if regionRatio == inputRatio { return (whole, full) }
            if regionRatio > inputRatio {
                let height = max(1, Int((Double(inputWidth) / regionRatio).rounded(.toNearestOrEven)))
                let top = Int((Double(inputHeight - height) * 0.5).rounded(.toNearestOrEven))
                return (whole, PixelRegion(x: 0, y: top, width: inputWidth, height: height))
            }
            let width = max(1, Int((Double(inputHeight) * regionRatio).rounded(.toNearestOrEven)))
            let left = Int((Double(inputWidth - width) * 0.5).rounded(.toNearestOrEven))
            return (whole, PixelRegion(x: left, y: 0, width: width, height: inputHeight))
        }
    }

    /// Writes the letterbox fill (pixel value 0 through the mapping) everywhere.
    private func fill(_ destination: UnsafeMutableRawBufferPointer) {
        let pixels = input.width * input.height
        switch input.element {
        case .int8:
            let out = destination.baseAddress!.assumingMemoryBound(to: Int8.self)
            for pixel in 0..<pixels {
                for channel in 0..<3 { out[pixel * 3 + channel] = int8Table[channel * 256] }
            }
        case .float32:
            let out = destination.baseAddress!.assumingMemoryBound(to: Float.self)
            for pixel in 0..<pixels {
                for channel in 0..<3 { out[pixel * 3 + channel] = floatTable[channel * 256] }
            }
        }
    }

    private func resize(source: UnsafePointer<UInt8>, stride: Int, width: Int, height: Int, box: (Float, Float, Float, Float),
                        content: PixelRegion, into destination: UnsafeMutableRawBufferPointer) {
        horizontal.compute(inputSize: width, start: box.0, end: box.2, outputSize: content.width, interpolation: recipe.interpolation)
        vertical.compute(inputSize: height, start: box.1, end: box.3, outputSize: content.height, interpolation: recipe.interpolation)
        let (firstRow, endRow) = vertical.inputSpan
        let rows = endRow - firstRow
        let rowBytes = content.width * 3
        if intermediateCapacity < rows * rowBytes {
            intermediate.deallocate()
            intermediateCapacity = rows * rowBytes
            intermediate = .allocate(capacity: intermediateCapacity)
        }
        // Sums stay below 2^31: 255 · 2^22 · (1 + rounding) + 2^21, so wrapping arithmetic never wraps.
        let half: Int32 = 1 << Int32(ResampleCoefficients.fractionBits - 1)
        let shift = Int32(ResampleCoefficients.fractionBits)
        let horizontalBounds = horizontal.bounds, horizontalWeights = horizontal.weights, horizontalSize = horizontal.kernelSize
        for row in 0..<rows {
            let input = source + (firstRow + row) * stride
            let output = intermediate + row * rowBytes
            for column in 0..<content.width {
                let first = Int(horizontalBounds[2 * column]), count = Int(horizontalBounds[2 * column + 1])
                let weights = horizontalWeights + column * horizontalSize
                var red = half, green = half, blue = half
                var pixel = input + first * 3
                for tap in 0..<count {
                    let weight = weights[tap]
                    red = red &+ Int32(pixel[0]) &* weight
                    green = green &+ Int32(pixel[1]) &* weight
                    blue = blue &+ Int32(pixel[2]) &* weight
                    pixel += 3
                }
                output[column * 3] = Self.clip8(red >> shift)
                output[column * 3 + 1] = Self.clip8(green >> shift)
                output[column * 3 + 2] = Self.clip8(blue >> shift)
            }
        }
        // Vertical pass, fused with colour order and the pixel mapping.
        let swapped = recipe.colorOrder == .bgr
        let verticalBounds = vertical.bounds, verticalWeights = vertical.weights, verticalSize = vertical.kernelSize
        let int8Out = destination.baseAddress!.assumingMemoryBound(to: Int8.self)
        let floatOut = destination.baseAddress!.assumingMemoryBound(to: Float.self)
        let isInt8 = if case .int8 = input.element { true } else { false }
        let table0 = swapped ? 2 * 256 : 0, table2 = swapped ? 0 : 2 * 256
        let out0 = swapped ? 2 : 0, out2 = swapped ? 0 : 2
        for outputRow in 0..<content.height {
            let first = Int(verticalBounds[2 * outputRow]) - firstRow, count = Int(verticalBounds[2 * outputRow + 1])
            let weights = verticalWeights + outputRow * verticalSize
            var index = ((content.y + outputRow) * input.width + content.x) * 3
            for column in 0..<content.width {
                var red = half, green = half, blue = half
                var pixel = intermediate + first * rowBytes + column * 3
                for tap in 0..<count {
                    let weight = weights[tap]
                    red = red &+ Int32(pixel[0]) &* weight
                    green = green &+ Int32(pixel[1]) &* weight
                    blue = blue &+ Int32(pixel[2]) &* weight
                    pixel += rowBytes
                }
                // Source channel r goes to output channel out0 using that channel's table, and so on.
                let r = Int(Self.clip8(red >> shift)), g = Int(Self.clip8(green >> shift)), b = Int(Self.clip8(blue >> shift))
                if isInt8 {
                    int8Out[index + out0] = int8Table[table0 + r]
                    int8Out[index + 1] = int8Table[256 + g]
                    int8Out[index + out2] = int8Table[table2 + b]
                } else {
                    floatOut[index + out0] = floatTable[table0 + r]
                    floatOut[index + 1] = floatTable[256 + g]
                    floatOut[index + out2] = floatTable[table2 + b]
                }
                index += 3
            }
        }
    }

    @inline(__always)
    private static func clip8(_ value: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: min(255, max(0, value)))
    }
}
