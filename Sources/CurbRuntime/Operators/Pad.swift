import CurbModel

/// int8 PAD / PADV2: the output is filled with the pad value, then each innermost input row is copied to
/// its place (TFLite `reference_ops::Pad`).
public struct Pad: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let outputCount: Int
    let value: Int8
    /// Input dimensions padded in front to rank 6 (the last is the row length).
    let inputDimensions: [Int]
    /// Output element strides, rank 6.
    let outputStrides: [Int]
    /// Output index of the input's first element.
    let firstOffset: Int

    public init(options: PadOptions, input: TensorView, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        outputCount = output.elementCount
        value = Int8(truncatingIfNeeded: options.value)
        let rank = TensorShape.maximumRank
        let leading = rank - input.shape.rank
        var dimensions = [Int](repeating: 1, count: rank)
        var outputDimensions = [Int](repeating: 1, count: rank)
        var before = [Int](repeating: 0, count: rank)
        for axis in 0..<input.shape.rank {
            dimensions[leading + axis] = input.shape[axis]
            outputDimensions[leading + axis] = output.shape[axis]
            before[leading + axis] = Int(options.before[axis])
        }
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= outputDimensions[axis]
        }
        var offset = 0
        for axis in 0..<rank { offset += before[axis] * strides[axis] }
        inputDimensions = dimensions
        outputStrides = strides
        firstOffset = offset
    }

    public func run() {
        output.update(repeating: value, count: outputCount)
        let rowLength = inputDimensions[5]
        var source = input
        for i0 in 0..<inputDimensions[0] {
            let o0 = firstOffset + i0 * outputStrides[0]
            for i1 in 0..<inputDimensions[1] {
                let o1 = o0 + i1 * outputStrides[1]
                for i2 in 0..<inputDimensions[2] {
                    let o2 = o1 + i2 * outputStrides[2]
                    for i3 in 0..<inputDimensions[3] {
                        let o3 = o2 + i3 * outputStrides[3]
                        for i4 in 0..<inputDimensions[4] {
                            (output + o3 + i4 * outputStrides[4]).update(from: source, count: rowLength)
                            source += rowLength
                        }
                    }
                }
            }
        }
    }
}

extension PadOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Pad(options: self, input: inputs[0]!, output: outputs[0])
    }
}
