import CurbModel

/// Where a window operator (convolution, pooling) reads: output size and the padding before the first
/// row and column, from the same SAME/VALID arithmetic the model file and runtime use
/// (`Padding2D.resolveAxis`, TFLite's), so the trained layer and the exported one agree.
struct WindowGeometry: Equatable {
    var inputHeight: Int, inputWidth: Int
    var filterHeight: Int, filterWidth: Int
    var strideHeight: Int, strideWidth: Int
    var outputHeight: Int, outputWidth: Int
    var padTop: Int, padLeft: Int

    init(inputHeight: Int, inputWidth: Int, filterHeight: Int, filterWidth: Int, strideHeight: Int, strideWidth: Int,
         padding: PaddingScheme) {
        let vertical = Padding2D.resolveAxis(padding, input: inputHeight, filter: filterHeight, stride: strideHeight)
        let horizontal = Padding2D.resolveAxis(padding, input: inputWidth, filter: filterWidth, stride: strideWidth)
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.filterHeight = filterHeight
        self.filterWidth = filterWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        outputHeight = vertical.output
        outputWidth = horizontal.output
        padTop = vertical.before
        padLeft = horizontal.before
    }

    /// The geometry for an `[N, H, W, C]` input, or an error when no window fits.
    static func make(_ shape: [Int], layer: String, filter: (Int, Int), stride: (Int, Int),
                     padding: PaddingScheme) throws(TrainingError) -> WindowGeometry {
        let input = try ShapeCheck.image(shape, layer: layer)
        let geometry = WindowGeometry(inputHeight: input.h, inputWidth: input.w, filterHeight: filter.0, filterWidth: filter.1,
                                      strideHeight: stride.0, strideWidth: stride.1, padding: padding)
        guard geometry.outputHeight > 0, geometry.outputWidth > 0 else {
            throw TrainingError("\(layer): a \(filter.0)x\(filter.1) window does not fit the \(input.h)x\(input.w) input")
        }
        return geometry
    }
}
