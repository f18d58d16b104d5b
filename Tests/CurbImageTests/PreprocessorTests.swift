import CMallocCounter
import CurbImage
import CurbModel
import Testing

@Suite struct PreprocessorTests {
    /// Runs `recipe` on the 97x71 resize source into a float32 W x H input with mean 0 and std 1, so
    /// the output values are the resized pixel values themselves.
    func resizedPixels(_ mode: PreprocessingRecipe.ResizeMode, _ interpolation: PreprocessingRecipe.Interpolation,
                       width: Int, height: Int, region: PixelRegion? = nil) throws -> [UInt8] {
        let image = try decodeFixture("resize_source.png")
        let recipe = PreprocessingRecipe(resizeMode: mode, interpolation: interpolation, mean: [0, 0, 0], standardDeviation: [1, 1, 1])
        let preprocessor = try Preprocessor(recipe: recipe, input: InputTensorDescription(width: width, height: height, element: .float32))
        var output = [Float](repeating: -1, count: width * height * 3)
        try output.withUnsafeMutableBytes { try preprocessor.run(image, regionOfInterest: region, into: $0) }
        return output.map { value in
            precondition(value == value.rounded() && value >= 0 && value <= 255, "not a pixel value: \(value)")
            return UInt8(value)
        }
    }

    /// Every resize mode and filter against Pillow 13 (`Image.resize` with BILINEAR / BOX,
    /// `ImageOps.fit`, `ImageOps.pad`-style letterbox). Measured maximum absolute difference: 0.
    @Test(arguments: [
        (PreprocessingRecipe.ResizeMode.stretch, "stretch", 32, 24), (.stretch, "stretch", 150, 110),
        (.centerCrop, "crop", 24, 24), (.centerCrop, "crop", 40, 16),
        (.letterbox, "letterbox", 24, 24), (.letterbox, "letterbox", 20, 40),
    ])
    func matchesPillow(mode: PreprocessingRecipe.ResizeMode, label: String, width: Int, height: Int) throws {
        for (interpolation, filter) in [(PreprocessingRecipe.Interpolation.bilinear, "bilinear"), (.area, "area")] {
            let ours = try resizedPixels(mode, interpolation, width: width, height: height)
            let pillow = Fixture.bytes("\(label)_\(filter)_\(width)x\(height).rgb")
            #expect(maximumDifference(ours, pillow) == 0, "\(label) \(filter) \(width)x\(height)")
        }
    }

    @Test func regionOfInterestIsCroppedFirst() throws {
        for (interpolation, filter) in [(PreprocessingRecipe.Interpolation.bilinear, "bilinear"), (.area, "area")] {
            let ours = try resizedPixels(.centerCrop, interpolation, width: 16, height: 16,
                                         region: PixelRegion(x: 10, y: 5, width: 60, height: 50))
            #expect(maximumDifference(ours, Fixture.bytes("roi_crop_\(filter)_16x16.rgb")) == 0)
        }
    }

    @Test func refusesRegionOutsideImage() throws {
        let image = try decodeFixture("resize_source.png")
        let preprocessor = try Preprocessor(recipe: .unitRange, input: InputTensorDescription(width: 8, height: 8, element: .float32))
        var output = [Float](repeating: 0, count: 8 * 8 * 3)
        #expect(throws: ImageError(.invalidArgument, "region of interest 20x20+90+0 is outside the 97x71 image")) {
            try output.withUnsafeMutableBytes { try preprocessor.run(image, regionOfInterest: PixelRegion(x: 90, y: 0, width: 20, height: 20), into: $0) }
        }
    }

    /// int8 mapping with BGR order against a naive reference written from the recipe's formula:
    /// output channel c takes source channel 2 − c; real = (p − mean[c]) / std[c];
    /// q = clamp(round_half_away(real / scale) + zp, −128, 127), all in Float.
    @Test func quantizesWithMeanStdIntoInt8() throws {
        let mean: [Float] = [103.53, 116.28, 123.675]  // model order: B, G, R
        let std: [Float] = [57.375, 57.12, 58.395]
        let scale: Float = 0.015, zeroPoint: Int32 = -14
        let recipe = PreprocessingRecipe(colorOrder: .bgr, resizeMode: .stretch, interpolation: .bilinear, mean: mean, standardDeviation: std)
        let preprocessor = try Preprocessor(recipe: recipe, input: InputTensorDescription(width: 32, height: 24, element: .int8(scale: scale, zeroPoint: zeroPoint)))
        let image = try decodeFixture("resize_source.png")
        var output = [Int8](repeating: 0, count: 32 * 24 * 3)
        try output.withUnsafeMutableBytes { try preprocessor.run(image, into: $0) }
        let pillow = Fixture.bytes("stretch_bilinear_32x24.rgb")
        var expected = [Int8](repeating: 0, count: output.count)
        var clamped = 0
        for pixel in 0..<(32 * 24) {
            for channel in 0..<3 {
                let value = Float(pillow[pixel * 3 + (2 - channel)])
                let real = (value - mean[channel]) / std[channel]
                let q = (real / scale).rounded(.toNearestOrAwayFromZero) + Float(zeroPoint)
                if q > 127 || q < -128 { clamped += 1 }
                expected[pixel * 3 + channel] = Int8(Swift.max(-128, Swift.min(127, q)))
            }
        }
        #expect(output == expected)
        #expect(clamped > 0)  // the clamp is exercised
    }

    @Test func letterboxFillIsBlackThroughTheMapping() throws {
        // 97x71 into 8x40: content 8 wide, round(8 * 71 / 97) = round(5.86) = 6 high, top round(17) = 17.
        let preprocessor = try Preprocessor(recipe: PreprocessingRecipe(resizeMode: .letterbox, mean: [10, 20, 30], standardDeviation: [2, 4, 5]),
                                            input: InputTensorDescription(width: 8, height: 40, element: .float32))
        let image = try decodeFixture("resize_source.png")
        var output = [Float](repeating: -1000, count: 8 * 40 * 3)
        try output.withUnsafeMutableBytes { try preprocessor.run(image, into: $0) }
        // Fill: (0 − mean) / std = −5, −5, −6.
        #expect(Array(output[0..<3]) == [-5, -5, -6])
        #expect(Array(output[(16 * 8 * 3)..<(16 * 8 * 3 + 3)]) == [-5, -5, -6])  // row 16: still fill
        #expect(output[(17 * 8 * 3)..<(23 * 8 * 3)].allSatisfy { $0 != -1000 })
        #expect(Array(output[(23 * 8 * 3)..<(23 * 8 * 3 + 3)]) == [-5, -5, -6])  // row 23: fill again
        #expect(!output.contains(-1000))
    }

    @Test func rejectsUnusableRecipes() {
        let input = InputTensorDescription(width: 8, height: 8, element: .int8(scale: 0.1, zeroPoint: 0))
        #expect(throws: ImageError.self) { try Preprocessor(recipe: PreprocessingRecipe(mean: [0, 0], standardDeviation: [1, 1]), input: input) }
        #expect(throws: ImageError.self) { try Preprocessor(recipe: PreprocessingRecipe(standardDeviation: [1, 0, 1]), input: input) }
        #expect(throws: ImageError.self) {
            try Preprocessor(recipe: .unitRange, input: InputTensorDescription(width: 8, height: 8, element: .int8(scale: 0, zeroPoint: 0)))
        }
    }

    /// After the first call has sized the buffers, preprocessing allocates nothing.
    @Test func steadyPathDoesNotAllocate() throws {
        let image = try decodeFixture("scaled.jpg")
        let preprocessor = try Preprocessor(recipe: PreprocessingRecipe(resizeMode: .letterbox, interpolation: .area),
                                            input: InputTensorDescription(width: 24, height: 24, element: .int8(scale: 1.0 / 255, zeroPoint: -128)))
        let destination = UnsafeMutableRawBufferPointer.allocate(byteCount: 24 * 24 * 3, alignment: 64)
        defer { destination.deallocate() }
        try preprocessor.run(image, into: destination)
        let before = malloc_counter_thread_allocations()
        for _ in 0..<5 { try preprocessor.run(image, into: destination) }
        #expect(malloc_counter_thread_allocations() - before == 0)
    }
}
