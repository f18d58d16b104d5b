import CurbModel

/// int8 LOGISTIC: a lookup in the 256-entry table the writer built with TFLite's `LUTPopulate<int8_t>`
/// (TFLite's reference and optimized kernels both use that float table; TFLM's fixed-point kernel can
/// differ by one).
public struct Logistic: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let count: Int
    let table: [Int8]

    public init(options: LookupTableOptions, input: TensorView, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        count = input.elementCount
        table = options.table
    }

    public func run() {
        table.withUnsafeBufferPointer { table in
            for index in 0..<count {
                output[index] = table[Int(UInt8(bitPattern: input[index]))]
            }
        }
    }
}

extension LookupTableOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Logistic(options: self, input: inputs[0]!, output: outputs[0])
    }
}
