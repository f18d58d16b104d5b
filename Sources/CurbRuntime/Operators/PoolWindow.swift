import CurbModel

/// The geometry both int8 pools share: shapes, strides and padding, and the input window of an output
/// position clipped to the input (padded taps are excluded, as TFLite's reference pools do).
struct PoolWindow {
    let batches: Int, inputHeight: Int, inputWidth: Int, channels: Int
    let outputHeight: Int, outputWidth: Int
    let filterHeight: Int, filterWidth: Int, strideHeight: Int, strideWidth: Int
    let paddingTop: Int, paddingLeft: Int

    init(options: Pool2DOptions, input: TensorView, output: TensorView) {
        batches = input.shape[0]
        inputHeight = input.shape[1]
        inputWidth = input.shape[2]
        channels = input.shape[3]
        outputHeight = output.shape[1]
        outputWidth = output.shape[2]
        filterHeight = Int(options.filterHeight)
        filterWidth = Int(options.filterWidth)
        strideHeight = Int(options.strideHeight)
        strideWidth = Int(options.strideWidth)
        paddingTop = Int(options.padding.top)
        paddingLeft = Int(options.padding.left)
    }

    /// For output row `outY`: the input row of the window's first tap, and the filter rows inside the input.
    @inline(__always)
    func rows(outY: Int) -> (origin: Int, taps: Range<Int>) {
        let origin = outY * strideHeight - paddingTop
        let start = max(0, -origin)
        return (origin, start..<max(start, min(filterHeight, inputHeight - origin)))
    }

    /// For output column `outX`: the input column of the window's first tap, and the filter columns inside
    /// the input.
    @inline(__always)
    func columns(outX: Int) -> (origin: Int, taps: Range<Int>) {
        let origin = outX * strideWidth - paddingLeft
        let start = max(0, -origin)
        return (origin, start..<max(start, min(filterWidth, inputWidth - origin)))
    }
}
