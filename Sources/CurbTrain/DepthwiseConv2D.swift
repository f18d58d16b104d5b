import CurbModel

/// A depthwise 2-D convolution with depth multiplier 1, NHWC, weights `[1, filterHeight, filterWidth,
/// channels]` (the model file's layout), optional bias.
///
/// Direct loops with the channel loop innermost: each tap is a contiguous multiply-add over the channels,
/// which the compiler vectorizes.
public final class DepthwiseConv2D: Layer {
    public let channels: Int
    public let filterHeight: Int, filterWidth: Int
    public let strideHeight: Int, strideWidth: Int
    public let padding: PaddingScheme
    public let weights: Parameter
    public let bias: Parameter?

    private var geometry: WindowGeometry?
    private var input = FloatTensor(shape: [0])

    /// Weights are He-uniform over the `filterHeight · filterWidth` taps each output sees; bias zero.
    public init(channels: Int, filter: (height: Int, width: Int) = (3, 3), stride: (height: Int, width: Int) = (1, 1),
                padding: PaddingScheme = .same, useBias: Bool = true, generator: inout RandomSource) {
        precondition(channels > 0 && filter.height > 0 && filter.width > 0 && stride.height > 0 && stride.width > 0)
        self.channels = channels
        filterHeight = filter.height
        filterWidth = filter.width
        strideHeight = stride.height
        strideWidth = stride.width
        self.padding = padding
        let limit = (6 / Float(filter.height * filter.width)).squareRoot()
        weights = Parameter(name: "weights", value: .random(shape: [1, filter.height, filter.width, channels],
                                                            in: -limit...limit, using: &generator), decays: true)
        bias = useBias ? Parameter(name: "bias", value: FloatTensor(shape: [channels]), decays: false) : nil
    }

    public var parameters: [Parameter] { bias.map { [weights, $0] } ?? [weights] }

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] {
        _ = try ShapeCheck.image(inputShape, layer: "DepthwiseConv2D", channels: channels)
        let geometry = try WindowGeometry.make(inputShape, layer: "DepthwiseConv2D", filter: (filterHeight, filterWidth),
                                               stride: (strideHeight, strideWidth), padding: padding)
        return [inputShape[0], geometry.outputHeight, geometry.outputWidth, channels]
    }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        let outputShape: [Int]
        do { outputShape = try self.outputShape(for: input.shape) } catch { preconditionFailure(error.message) }
        let g = WindowGeometry(inputHeight: input.shape[1], inputWidth: input.shape[2], filterHeight: filterHeight,
                               filterWidth: filterWidth, strideHeight: strideHeight, strideWidth: strideWidth, padding: padding)
        geometry = g
        self.input = input
        var output = [Float](repeating: 0, count: outputShape.reduce(1, *))
        let channels = channels
        input.values.withUnsafeBufferPointer { inputBuffer in
            weights.value.values.withUnsafeBufferPointer { weightBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    let source = inputBuffer.baseAddress!, kernel = weightBuffer.baseAddress!
                    var out = outputBuffer.baseAddress!
                    for n in 0..<input.batch {
                        let image = source + n * g.inputHeight * g.inputWidth * channels
                        for oy in 0..<g.outputHeight {
                            for ox in 0..<g.outputWidth {
                                for ky in 0..<g.filterHeight {
                                    let iy = oy * g.strideHeight - g.padTop + ky
                                    if iy < 0 || iy >= g.inputHeight { continue }
                                    for kx in 0..<g.filterWidth {
                                        let ix = ox * g.strideWidth - g.padLeft + kx
                                        if ix < 0 || ix >= g.inputWidth { continue }
                                        let pixel = image + (iy * g.inputWidth + ix) * channels
                                        let tap = kernel + (ky * g.filterWidth + kx) * channels
                                        for c in 0..<channels { out[c] += pixel[c] * tap[c] }
                                    }
                                }
                                out += channels
                            }
                        }
                    }
                }
            }
        }
        if let bias {
            bias.value.values.withUnsafeBufferPointer { bias in
                output.withUnsafeMutableBufferPointer { output in
                    Conv2D.addRowVector(bias.baseAddress!, to: output.baseAddress!, rows: output.count / channels, columns: channels)
                }
            }
        }
        return FloatTensor(shape: outputShape, values: output)
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        guard let g = geometry else { preconditionFailure("DepthwiseConv2D.backward before forward") }
        let batch = input.batch, channels = channels
        precondition(outputGradient.count == batch * g.outputHeight * g.outputWidth * channels,
                     "DepthwiseConv2D: output gradient does not match the last output")
        var inputGradient = [Float](repeating: 0, count: input.count)
        outputGradient.values.withUnsafeBufferPointer { gradientBuffer in
            if let bias {
                bias.gradient.values.withUnsafeMutableBufferPointer { dBias in
                    Conv2D.addColumnSums(gradientBuffer.baseAddress!, rows: gradientBuffer.count / channels, columns: channels,
                                         to: dBias.baseAddress!)
                }
            }
            input.values.withUnsafeBufferPointer { inputBuffer in
                weights.value.values.withUnsafeBufferPointer { weightBuffer in
                    weights.gradient.values.withUnsafeMutableBufferPointer { weightGradientBuffer in
                        inputGradient.withUnsafeMutableBufferPointer { inputGradientBuffer in
                            let source = inputBuffer.baseAddress!, kernel = weightBuffer.baseAddress!
                            let dKernel = weightGradientBuffer.baseAddress!, dSource = inputGradientBuffer.baseAddress!
                            var dOut = gradientBuffer.baseAddress!
                            for n in 0..<batch {
                                let offset = n * g.inputHeight * g.inputWidth * channels
                                let image = source + offset, dImage = dSource + offset
                                for oy in 0..<g.outputHeight {
                                    for ox in 0..<g.outputWidth {
                                        for ky in 0..<g.filterHeight {
                                            let iy = oy * g.strideHeight - g.padTop + ky
                                            if iy < 0 || iy >= g.inputHeight { continue }
                                            for kx in 0..<g.filterWidth {
                                                let ix = ox * g.strideWidth - g.padLeft + kx
                                                if ix < 0 || ix >= g.inputWidth { continue }
                                                let pixelOffset = (iy * g.inputWidth + ix) * channels
                                                let pixel = image + pixelOffset, dPixel = dImage + pixelOffset
                                                let tapOffset = (ky * g.filterWidth + kx) * channels
                                                let tap = kernel + tapOffset, dTap = dKernel + tapOffset
                                                for c in 0..<channels {
                                                    dPixel[c] += dOut[c] * tap[c]
                                                    dTap[c] += dOut[c] * pixel[c]
                                                }
                                            }
                                        }
                                        dOut += channels
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return FloatTensor(shape: input.shape, values: inputGradient)
    }
}
