import CurbModel

/// STRIDED_SLICE with resolved per-axis begin/end/stride (TFLite `reference_ops::StridedSlice`): visits
/// `begin, begin + stride, …` before `end` on every axis, outermost first, writing the output in order.
public struct StridedSlice: OperatorKernel {
    let input: UnsafeRawPointer
    let output: UnsafeMutableRawPointer
    let elementWidth: Int
    /// Rank-6 (padded in front with whole size-1 axes) starts, stops and steps, and input byte strides.
    let starts: [Int]
    let stops: [Int]
    let steps: [Int]
    let inputStrides: [Int]

    public init(options: StridedSliceOptions, input: TensorView, output: TensorView) {
        self.input = UnsafeRawPointer(input.data)
        self.output = output.data
        elementWidth = input.type.byteWidth
        let rank = TensorShape.maximumRank
        let leading = rank - input.shape.rank
        var starts = [Int](repeating: 0, count: rank)
        var stops = [Int](repeating: 1, count: rank)
        var steps = [Int](repeating: 1, count: rank)
        var strides = [Int](repeating: 0, count: rank)
        var step = elementWidth
        for axis in stride(from: input.shape.rank - 1, through: 0, by: -1) {
            starts[leading + axis] = Int(options.begin[axis])
            stops[leading + axis] = Int(options.end[axis])
            steps[leading + axis] = Int(options.strides[axis])
            strides[leading + axis] = step
            step *= input.shape[axis]
        }
        self.starts = starts
        self.stops = stops
        self.steps = steps
        inputStrides = strides
    }

    public func run() {
        var destination = output
        for i0 in stride(from: starts[0], to: stops[0], by: steps[0]) {
            let a0 = i0 * inputStrides[0]
            for i1 in stride(from: starts[1], to: stops[1], by: steps[1]) {
                let a1 = a0 + i1 * inputStrides[1]
                for i2 in stride(from: starts[2], to: stops[2], by: steps[2]) {
                    let a2 = a1 + i2 * inputStrides[2]
                    for i3 in stride(from: starts[3], to: stops[3], by: steps[3]) {
                        let a3 = a2 + i3 * inputStrides[3]
                        for i4 in stride(from: starts[4], to: stops[4], by: steps[4]) {
                            let a4 = a3 + i4 * inputStrides[4]
                            for i5 in stride(from: starts[5], to: stops[5], by: steps[5]) {
                                destination.copyMemory(from: input + a4 + i5 * inputStrides[5], byteCount: elementWidth)
                                destination += elementWidth
                            }
                        }
                    }
                }
            }
        }
    }
}

extension StridedSliceOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        StridedSlice(options: self, input: inputs[0]!, output: outputs[0])
    }
}
