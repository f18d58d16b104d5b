import CurbModel

/// int8 ADD with numpy broadcasting: TFLite's `reference_integer_ops::AddFunc`, double rounding.
///
/// Per element: `a = (x1 − zp1)·2^20`, `b = (x2 − zp2)·2^20`, each rescaled with
/// `MultiplyByQuantizedMultiplierSmallerThanOneExp`, summed, rescaled to the output, `+ zp_out`, clamped.
public struct Add: OperatorKernel {
    let input1: UnsafePointer<Int8>
    let input2: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let broadcast: ElementwiseBroadcast
    let input1Offset: Int32
    let input2Offset: Int32
    let outputOffset: Int32
    let leftShift: Int32
    let input1Requantization: Requantization
    let input2Requantization: Requantization
    let outputRequantization: Requantization
    let minimum: Int32
    let maximum: Int32

    /// Prepares the broadcast strides and offsets (the model has been validated).
    public init(options: AddOptions, input1: TensorView, input2: TensorView, output: TensorView) {
        self.input1 = UnsafePointer(input1.int8)
        self.input2 = UnsafePointer(input2.int8)
        self.output = output.int8
        broadcast = ElementwiseBroadcast(input1.shape, input2.shape, output: output.shape)
        input1Offset = -input1.zeroPoint
        input2Offset = -input2.zeroPoint
        outputOffset = output.zeroPoint
        leftShift = options.leftShift
        input1Requantization = options.input1
        input2Requantization = options.input2
        outputRequantization = options.output
        minimum = options.activation.minimum
        maximum = options.activation.maximum
    }

    @inline(__always)
    func add(_ x: Int8, _ y: Int8) -> Int8 {
        let shifted1 = (input1Offset + Int32(x)) &* (1 &<< leftShift)
        let shifted2 = (input2Offset + Int32(y)) &* (1 &<< leftShift)
        let scaled1 = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOne(shifted1, input1Requantization)
        let scaled2 = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOne(shifted2, input2Requantization)
        let sum = scaled1 &+ scaled2
        let result = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOne(sum, outputRequantization) &+ outputOffset
        return Int8(min(maximum, max(minimum, result)))
    }

    public func run() {
        broadcast.forEach { outputIndex, index1, index2 in
            output[outputIndex] = add(input1[index1], input2[index2])
        }
    }
}

extension AddOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Add(options: self, input1: inputs[0]!, input2: inputs[1]!, output: outputs[0])
    }
}

/// Walks the output of a binary elementwise operator in order, giving for each element the indices of
/// the two input elements numpy broadcasting pairs with it (shared by Add and Mul).
///
/// Shapes are aligned from the right and padded to rank 6; a broadcast axis gets stride 0.
struct ElementwiseBroadcast {
    let dimensions: [Int]
    let strides1: [Int]
    let strides2: [Int]
    /// True when both inputs have the output's shape (plain flat loop).
    let isElementwise: Bool
    let count: Int

    init(_ shape1: TensorShape, _ shape2: TensorShape, output: TensorShape) {
        let rank = TensorShape.maximumRank
        func padded(_ shape: TensorShape) -> [Int] {
            [Int](repeating: 1, count: rank - shape.rank) + shape.dimensions
        }
        func strides(_ dimensions: [Int], against output: [Int]) -> [Int] {
            var result = [Int](repeating: 0, count: rank)
            var step = 1
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                result[axis] = dimensions[axis] == output[axis] ? step : 0
                step *= dimensions[axis]
            }
            return result
        }
        let out = padded(output)
        dimensions = out
        strides1 = strides(padded(shape1), against: out)
        strides2 = strides(padded(shape2), against: out)
        isElementwise = shape1 == output && shape2 == output
        count = output.elementCount
    }

    /// Calls `body(outputIndex, input1Index, input2Index)` for every output element, in order.
    @inline(__always)
    func forEach(_ body: (Int, Int, Int) -> Void) {
        if isElementwise {
            for index in 0..<count { body(index, index, index) }
            return
        }
        var outputIndex = 0
        for i0 in 0..<dimensions[0] {
            let a0 = i0 * strides1[0], b0 = i0 * strides2[0]
            for i1 in 0..<dimensions[1] {
                let a1 = a0 + i1 * strides1[1], b1 = b0 + i1 * strides2[1]
                for i2 in 0..<dimensions[2] {
                    let a2 = a1 + i2 * strides1[2], b2 = b1 + i2 * strides2[2]
                    for i3 in 0..<dimensions[3] {
                        let a3 = a2 + i3 * strides1[3], b3 = b2 + i3 * strides2[3]
                        for i4 in 0..<dimensions[4] {
                            let a4 = a3 + i4 * strides1[4], b4 = b3 + i4 * strides2[4]
                            for i5 in 0..<dimensions[5] {
                                body(outputIndex, a4 + i5 * strides1[5], b4 + i5 * strides2[5])
                                outputIndex += 1
                            }
                        }
                    }
                }
            }
        }
    }
}
