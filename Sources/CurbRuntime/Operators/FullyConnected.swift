import CurbModel

/// The reference int8 fully connected layer: TFLite's `reference_integer_ops::FullyConnected` (one filter
/// scale) and `FullyConnectedPerChannel` (one per output unit), which LiteRT's `kReference` FC runs for int8.
///
/// The input is read as `B = elements / D` rows of depth `D`, whatever its rank. For each `(b, o)`:
/// `acc = Σ_d w[o, d] · (in[b, d] − zp_in)` (the filter's zero point is 0, so TFLite's filter offset
/// vanishes), `+ bias[o]`, `MultiplyByQuantizedMultiplier(acc, q, shift) + zp_out` with `q, shift` per unit
/// or shared, clamped. The int32 accumulator wraps (`&+`) where the C++ would overflow.
public struct FullyConnected: OperatorKernel {
    let input: UnsafePointer<Int8>
    let filter: UnsafePointer<Int8>
    let bias: UnsafePointer<Int32>?
    let output: UnsafeMutablePointer<Int8>
    let batches: Int, depth: Int, units: Int
    let inputOffset: Int32, outputOffset: Int32
    let activationMinimum: Int32, activationMaximum: Int32
    /// One per unit: a single stored requantization is repeated here at prepare.
    let requantization: [Requantization]

    /// Prepares the layer over validated views (see ``FullyConnectedOptions/validate(_:)``).
    public init(options: FullyConnectedOptions, input: TensorView, filter: TensorView, bias: TensorView?, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.filter = UnsafePointer(filter.int8)
        self.bias = bias.map { UnsafePointer($0.int32) }
        self.output = output.int8
        units = filter.shape[0]
        depth = filter.shape[1]
        batches = input.elementCount / depth
        inputOffset = -input.zeroPoint
        outputOffset = output.zeroPoint
        activationMinimum = options.activation.minimum
        activationMaximum = options.activation.maximum
        precondition(options.requantization.count == 1 || options.requantization.count == units,
                     "one requantization, or one per unit")
        requantization = options.requantization.count == units
            ? options.requantization : [Requantization](repeating: options.requantization[0], count: units)
    }

    public func run() {
        for batch in 0..<batches {
            let inputRow = input + batch * depth
            for unit in 0..<units {
                let filterRow = filter + unit * depth
                var accumulator: Int32 = 0
                for index in 0..<depth {
                    accumulator &+= Int32(filterRow[index]) * (Int32(inputRow[index]) + inputOffset)
                }
                if let bias { accumulator &+= bias[unit] }
                var result = FixedPoint.multiplyByQuantizedMultiplier(accumulator, requantization[unit]) &+ outputOffset
                result = min(max(result, activationMinimum), activationMaximum)
                output[batch * units + unit] = Int8(truncatingIfNeeded: result)
            }
        }
    }
}

extension FullyConnectedOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        FullyConnected(options: self, input: inputs[0]!, filter: inputs[1]!, bias: inputs.count > 2 ? inputs[2] : nil,
                       output: outputs[0])
    }
}
