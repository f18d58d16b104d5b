import CurbModel

/// A 2-D convolution, NHWC, weights `[outputChannels, filterHeight, filterWidth, inputChannels]` (the
/// model file's OHWI layout), optional bias.
///
/// Forward and backward are GEMMs over an im2col matrix: one row per output pixel of the batch, one
/// column per (ky, kx, input channel) tap, zero where the window hangs over the padding. A 1x1 stride-1
/// convolution uses its input as that matrix directly.
public final class Conv2D: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    public let filterHeight: Int, filterWidth: Int
    public let strideHeight: Int, strideWidth: Int
    public let padding: PaddingScheme
    public let weights: Parameter
    public let bias: Parameter?

    private var geometry: WindowGeometry?
    private var inputShape: [Int] = []
    /// The im2col matrix of the last forward pass (or its input, for 1x1 stride-1).
    private var columns: [Float] = []
    private var columnGradient: [Float] = []

    /// Weights are He-uniform (`±sqrt(6 / fanIn)`), suited to ReLU networks; the bias starts at zero.
    public init(inputChannels: Int, outputChannels: Int, filter: (height: Int, width: Int), stride: (height: Int, width: Int) = (1, 1),
                padding: PaddingScheme = .same, useBias: Bool = true, generator: inout RandomSource) {
        precondition(inputChannels > 0 && outputChannels > 0 && filter.height > 0 && filter.width > 0 && stride.height > 0 && stride.width > 0)
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        filterHeight = filter.height
        filterWidth = filter.width
        strideHeight = stride.height
        strideWidth = stride.width
        self.padding = padding
        let fanIn = Float(filter.height * filter.width * inputChannels)
        let limit = (6 / fanIn).squareRoot()
        weights = Parameter(name: "weights", value: .random(shape: [outputChannels, filter.height, filter.width, inputChannels],
                                                            in: -limit...limit, using: &generator), decays: true)
        bias = useBias ? Parameter(name: "bias", value: FloatTensor(shape: [outputChannels]), decays: false) : nil
    }

    public var parameters: [Parameter] { bias.map { [weights, $0] } ?? [weights] }

    /// Whether the input itself is the im2col matrix.
    private var isPointwise: Bool {
        filterHeight == 1 && filterWidth == 1 && strideHeight == 1 && strideWidth == 1
    }

    private var tapsPerOutput: Int { filterHeight * filterWidth * inputChannels }

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] {
        _ = try ShapeCheck.image(inputShape, layer: "Conv2D", channels: inputChannels)
        let geometry = try WindowGeometry.make(inputShape, layer: "Conv2D", filter: (filterHeight, filterWidth),
                                               stride: (strideHeight, strideWidth), padding: padding)
        return [inputShape[0], geometry.outputHeight, geometry.outputWidth, outputChannels]
    }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        let outputShape: [Int]
        do { outputShape = try self.outputShape(for: input.shape) } catch { preconditionFailure(error.message) }
        let geometry = WindowGeometry(inputHeight: input.shape[1], inputWidth: input.shape[2], filterHeight: filterHeight,
                                      filterWidth: filterWidth, strideHeight: strideHeight, strideWidth: strideWidth, padding: padding)
        self.geometry = geometry
        inputShape = input.shape
        let rows = input.batch * geometry.outputHeight * geometry.outputWidth
        let taps = tapsPerOutput
        if isPointwise {
            columns = input.values
        } else {
            if columns.count != rows * taps { columns = [Float](repeating: 0, count: rows * taps) }
            input.values.withUnsafeBufferPointer { source in
                columns.withUnsafeMutableBufferPointer { destination in
                    Self.im2col(source.baseAddress!, batch: input.batch, channels: inputChannels, geometry: geometry,
                                into: destination.baseAddress!)
                }
            }
        }
        var output = [Float](repeating: 0, count: rows * outputChannels)
        columns.withUnsafeBufferPointer { columns in
            weights.value.values.withUnsafeBufferPointer { weights in
                output.withUnsafeMutableBufferPointer { output in
                    let out = output.baseAddress!
                    OpenBLAS.gemm(transposeB: true, m: rows, n: outputChannels, k: taps, a: columns.baseAddress!, lda: taps,
                                  b: weights.baseAddress!, ldb: taps, beta: 0, c: out, ldc: outputChannels)
                    if let bias {
                        bias.value.values.withUnsafeBufferPointer { bias in
                            Self.addRowVector(bias.baseAddress!, to: out, rows: rows, columns: outputChannels)
                        }
                    }
                }
            }
        }
        return FloatTensor(shape: outputShape, values: output)
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        guard let geometry else { preconditionFailure("Conv2D.backward before forward") }
        let rows = inputShape[0] * geometry.outputHeight * geometry.outputWidth
        let taps = tapsPerOutput
        precondition(outputGradient.count == rows * outputChannels, "Conv2D: output gradient does not match the last output")
        if columnGradient.count != rows * taps { columnGradient = [Float](repeating: 0, count: rows * taps) }
        outputGradient.values.withUnsafeBufferPointer { gradient in
            let dOut = gradient.baseAddress!
            columns.withUnsafeBufferPointer { columns in
                // dW (outC × taps) += dOutᵀ (outC × rows) · columns (rows × taps).
                weights.gradient.values.withUnsafeMutableBufferPointer { dWeights in
                    OpenBLAS.gemm(transposeA: true, m: outputChannels, n: taps, k: rows, a: dOut, lda: outputChannels,
                                  b: columns.baseAddress!, ldb: taps, beta: 1, c: dWeights.baseAddress!, ldc: taps)
                }
            }
            if let bias {
                bias.gradient.values.withUnsafeMutableBufferPointer { dBias in
                    Self.addColumnSums(dOut, rows: rows, columns: outputChannels, to: dBias.baseAddress!)
                }
            }
            // dColumns (rows × taps) = dOut (rows × outC) · W (outC × taps).
            weights.value.values.withUnsafeBufferPointer { weights in
                columnGradient.withUnsafeMutableBufferPointer { dColumns in
                    OpenBLAS.gemm(m: rows, n: taps, k: outputChannels, a: dOut, lda: outputChannels,
                                  b: weights.baseAddress!, ldb: taps, beta: 0, c: dColumns.baseAddress!, ldc: taps)
                }
            }
        }
        if isPointwise {
            return FloatTensor(shape: inputShape, values: columnGradient)
        }
        var inputGradient = [Float](repeating: 0, count: inputShape.reduce(1, *))
        columnGradient.withUnsafeBufferPointer { dColumns in
            inputGradient.withUnsafeMutableBufferPointer { dInput in
                Self.col2im(dColumns.baseAddress!, batch: inputShape[0], channels: inputChannels, geometry: geometry,
                            into: dInput.baseAddress!)
            }
        }
        return FloatTensor(shape: inputShape, values: inputGradient)
    }

    /// Writes the im2col matrix: row `(n, oy, ox)`, column `(ky, kx, c)`.
    static func im2col(_ input: UnsafePointer<Float>, batch: Int, channels: Int, geometry g: WindowGeometry,
                       into columns: UnsafeMutablePointer<Float>) {
        let rowLength = g.filterHeight * g.filterWidth * channels
        var row = columns
        for n in 0..<batch {
            let image = input + n * g.inputHeight * g.inputWidth * channels
            for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                    var tap = row
                    for ky in 0..<g.filterHeight {
                        let iy = oy * g.strideHeight - g.padTop + ky
                        if iy < 0 || iy >= g.inputHeight {
                            tap.update(repeating: 0, count: g.filterWidth * channels)
                            tap += g.filterWidth * channels
                            continue
                        }
                        for kx in 0..<g.filterWidth {
                            let ix = ox * g.strideWidth - g.padLeft + kx
                            if ix < 0 || ix >= g.inputWidth {
                                tap.update(repeating: 0, count: channels)
                            } else {
                                tap.update(from: image + (iy * g.inputWidth + ix) * channels, count: channels)
                            }
                            tap += channels
                        }
                    }
                    row += rowLength
                }
            }
        }
    }

    /// Adds each im2col entry's gradient back to the input pixel it was copied from (the adjoint of
    /// ``im2col``); padding taps are dropped.
    static func col2im(_ columns: UnsafePointer<Float>, batch: Int, channels: Int, geometry g: WindowGeometry,
                       into input: UnsafeMutablePointer<Float>) {
        let rowLength = g.filterHeight * g.filterWidth * channels
        var row = columns
        for n in 0..<batch {
            let image = input + n * g.inputHeight * g.inputWidth * channels
            for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                    for ky in 0..<g.filterHeight {
                        let iy = oy * g.strideHeight - g.padTop + ky
                        if iy < 0 || iy >= g.inputHeight { continue }
                        for kx in 0..<g.filterWidth {
                            let ix = ox * g.strideWidth - g.padLeft + kx
                            if ix < 0 || ix >= g.inputWidth { continue }
                            let source = row + (ky * g.filterWidth + kx) * channels
                            let destination = image + (iy * g.inputWidth + ix) * channels
                            for c in 0..<channels { destination[c] += source[c] }
                        }
                    }
                    row += rowLength
                }
            }
        }
    }

    /// `matrix[r][c] += vector[c]` for every row.
    static func addRowVector(_ vector: UnsafePointer<Float>, to matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for r in 0..<rows {
            let row = matrix + r * columns
            for c in 0..<columns { row[c] += vector[c] }
        }
    }

    /// `sums[c] += Σ_r matrix[r][c]`.
    static func addColumnSums(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int, to sums: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = matrix + r * columns
            for c in 0..<columns { sums[c] += row[c] }
        }
    }
}
