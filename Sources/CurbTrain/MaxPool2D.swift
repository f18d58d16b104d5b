import CurbModel

/// Max pooling over `poolHeight × poolWidth` windows, NHWC. Padding (SAME) positions never win: only
/// input pixels are compared, as TFLite does. The gradient goes to the first maximum of each window.
public final class MaxPool2D: Layer {
    public let poolHeight: Int, poolWidth: Int
    public let strideHeight: Int, strideWidth: Int
    public let padding: PaddingScheme

    private var inputShape: [Int] = []
    /// For each output value, the index of the input value it copied.
    private var winners: [Int32] = []

    public init(pool: (height: Int, width: Int) = (2, 2), stride: (height: Int, width: Int)? = nil, padding: PaddingScheme = .valid) {
        let stride = stride ?? pool
        precondition(pool.height > 0 && pool.width > 0 && stride.height > 0 && stride.width > 0)
        poolHeight = pool.height
        poolWidth = pool.width
        strideHeight = stride.height
        strideWidth = stride.width
        self.padding = padding
    }

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] {
        let geometry = try WindowGeometry.make(inputShape, layer: "MaxPool2D", filter: (poolHeight, poolWidth),
                                               stride: (strideHeight, strideWidth), padding: padding)
        return [inputShape[0], geometry.outputHeight, geometry.outputWidth, inputShape[3]]
    }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        let outputShape: [Int]
        do { outputShape = try self.outputShape(for: input.shape) } catch { preconditionFailure(error.message) }
        precondition(input.count <= Int(Int32.max), "MaxPool2D: input too large")
        let g = WindowGeometry(inputHeight: input.shape[1], inputWidth: input.shape[2], filterHeight: poolHeight,
                               filterWidth: poolWidth, strideHeight: strideHeight, strideWidth: strideWidth, padding: padding)
        inputShape = input.shape
        let channels = input.shape[3], count = outputShape.reduce(1, *)
        var output = [Float](repeating: -.infinity, count: count)
        winners = [Int32](repeating: -1, count: count)
        input.values.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                winners.withUnsafeMutableBufferPointer { winners in
                    var out = 0
                    for n in 0..<input.batch {
                        for oy in 0..<g.outputHeight {
                            for ox in 0..<g.outputWidth {
                                for ky in 0..<g.filterHeight {
                                    let iy = oy * g.strideHeight - g.padTop + ky
                                    if iy < 0 || iy >= g.inputHeight { continue }
                                    for kx in 0..<g.filterWidth {
                                        let ix = ox * g.strideWidth - g.padLeft + kx
                                        if ix < 0 || ix >= g.inputWidth { continue }
                                        let pixel = ((n * g.inputHeight + iy) * g.inputWidth + ix) * channels
                                        for c in 0..<channels where x[pixel + c] > y[out + c] || winners[out + c] < 0 {
                                            y[out + c] = x[pixel + c]
                                            winners[out + c] = Int32(pixel + c)
                                        }
                                    }
                                }
                                out += channels
                            }
                        }
                    }
                }
            }
        }
        return FloatTensor(shape: outputShape, values: output)
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        precondition(outputGradient.count == winners.count, "MaxPool2D: output gradient does not match the last output")
        var inputGradient = [Float](repeating: 0, count: inputShape.reduce(1, *))
        outputGradient.values.withUnsafeBufferPointer { dy in
            winners.withUnsafeBufferPointer { winners in
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    for index in dy.indices { dx[Int(winners[index])] += dy[index] }
                }
            }
        }
        return FloatTensor(shape: inputShape, values: inputGradient)
    }
}
