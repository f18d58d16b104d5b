import CurbModel

/// Average pooling over `poolHeight × poolWidth` windows, NHWC. With SAME padding a window is divided by
/// the number of input pixels it covers (padding does not count), as TFLite does.
public final class AveragePool2D: Layer {
    public let poolHeight: Int, poolWidth: Int
    public let strideHeight: Int, strideWidth: Int
    public let padding: PaddingScheme

    private var inputShape: [Int] = []
    private var geometry: WindowGeometry?

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
        let geometry = try WindowGeometry.make(inputShape, layer: "AveragePool2D", filter: (poolHeight, poolWidth),
                                               stride: (strideHeight, strideWidth), padding: padding)
        return [inputShape[0], geometry.outputHeight, geometry.outputWidth, inputShape[3]]
    }

    /// The input rows and columns window (oy, ox) covers.
    private static func window(_ g: WindowGeometry, oy: Int, ox: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        let top = oy * g.strideHeight - g.padTop, left = ox * g.strideWidth - g.padLeft
        return (max(0, top)..<min(g.inputHeight, top + g.filterHeight), max(0, left)..<min(g.inputWidth, left + g.filterWidth))
    }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        let outputShape: [Int]
        do { outputShape = try self.outputShape(for: input.shape) } catch { preconditionFailure(error.message) }
        let g = WindowGeometry(inputHeight: input.shape[1], inputWidth: input.shape[2], filterHeight: poolHeight,
                               filterWidth: poolWidth, strideHeight: strideHeight, strideWidth: strideWidth, padding: padding)
        geometry = g
        inputShape = input.shape
        let channels = input.shape[3]
        var output = [Float](repeating: 0, count: outputShape.reduce(1, *))
        input.values.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                var out = 0
                for n in 0..<input.batch {
                    for oy in 0..<g.outputHeight {
                        for ox in 0..<g.outputWidth {
                            let window = Self.window(g, oy: oy, ox: ox)
                            for iy in window.rows {
                                for ix in window.columns {
                                    let pixel = ((n * g.inputHeight + iy) * g.inputWidth + ix) * channels
                                    for c in 0..<channels { y[out + c] += x[pixel + c] }
                                }
                            }
                            let inverse = 1 / Float(window.rows.count * window.columns.count)
                            for c in 0..<channels { y[out + c] *= inverse }
                            out += channels
                        }
                    }
                }
            }
        }
        return FloatTensor(shape: outputShape, values: output)
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        guard let g = geometry else { preconditionFailure("AveragePool2D.backward before forward") }
        let batch = inputShape[0], channels = inputShape[3]
        precondition(outputGradient.count == batch * g.outputHeight * g.outputWidth * channels,
                     "AveragePool2D: output gradient does not match the last output")
        var inputGradient = [Float](repeating: 0, count: inputShape.reduce(1, *))
        outputGradient.values.withUnsafeBufferPointer { dy in
            inputGradient.withUnsafeMutableBufferPointer { dx in
                var out = 0
                for n in 0..<batch {
                    for oy in 0..<g.outputHeight {
                        for ox in 0..<g.outputWidth {
                            let window = Self.window(g, oy: oy, ox: ox)
                            let inverse = 1 / Float(window.rows.count * window.columns.count)
                            for iy in window.rows {
                                for ix in window.columns {
                                    let pixel = ((n * g.inputHeight + iy) * g.inputWidth + ix) * channels
                                    for c in 0..<channels { dx[pixel + c] += dy[out + c] * inverse }
                                }
                            }
                            out += channels
                        }
                    }
                }
            }
        }
        return FloatTensor(shape: inputShape, values: inputGradient)
    }
}
