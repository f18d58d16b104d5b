/// When each activation tensor is alive, in operator steps, and which tensors share one buffer.
///
/// A tensor is alive from the step that writes it (step 0 for graph inputs) to the last step that reads
/// it (the last step for graph outputs). A reshape's output shares its input's bytes (in-place reshape),
/// so the two form one buffer whose lifetime is the union of both.
public struct TensorLifetimes: Sendable {
    /// One per tensor: the buffer it belongs to, or −1 for constants and unused tensors.
    public private(set) var bufferOfTensor: [Int]
    /// One per buffer: its first and last step, and its size in bytes.
    public private(set) var buffers: [Buffer]

    public struct Buffer: Sendable, Equatable {
        public var firstStep: Int
        public var lastStep: Int
        public var byteCount: Int
        /// The tensors stored in this buffer (more than one for reshape chains).
        public var tensors: [Int]

        public func overlapsInTime(_ other: Buffer) -> Bool {
            !(firstStep > other.lastStep || other.firstStep > lastStep)
        }
    }

    /// Computes lifetimes for a graph whose indices have been checked to be in range.
    public init(tensors: [Tensor], operators: [Operator], inputs: [Int32], outputs: [Int32]) {
        let lastStep = max(operators.count - 1, 0)
        var first = [Int](repeating: Int.max, count: tensors.count)
        var last = [Int](repeating: -1, count: tensors.count)
        func touch(_ index: Int32, _ step: Int) {
            guard index >= 0, !tensors[Int(index)].isConstant else { return }
            first[Int(index)] = min(first[Int(index)], step)
            last[Int(index)] = max(last[Int(index)], step)
        }
        for index in inputs { touch(index, 0) }
        for (step, op) in operators.enumerated() {
            for index in op.inputs { touch(index, step) }
            for index in op.outputs { touch(index, step) }
        }
        for index in outputs { touch(index, lastStep) }

        // Union reshape outputs with their inputs (in place).
        var parent = Array(0..<tensors.count)
        func root(_ index: Int) -> Int {
            var current = index
            while parent[current] != current { current = parent[current] }
            return current
        }
        for op in operators where op.kind == .reshape {
            guard let input = op.inputs.first, let output = op.outputs.first, input >= 0,
                  !tensors[Int(input)].isConstant, !tensors[Int(output)].isConstant,
                  tensors[Int(input)].byteCount == tensors[Int(output)].byteCount else { continue }
            parent[root(Int(output))] = root(Int(input))
        }

        bufferOfTensor = [Int](repeating: -1, count: tensors.count)
        buffers = []
        var bufferOfRoot: [Int: Int] = [:]
        for index in tensors.indices where last[index] >= 0 {
            let rootIndex = root(index)
            if let buffer = bufferOfRoot[rootIndex] {
                bufferOfTensor[index] = buffer
                buffers[buffer].firstStep = min(buffers[buffer].firstStep, first[index])
                buffers[buffer].lastStep = max(buffers[buffer].lastStep, last[index])
                buffers[buffer].byteCount = max(buffers[buffer].byteCount, tensors[index].byteCount)
                buffers[buffer].tensors.append(index)
            } else {
                bufferOfRoot[rootIndex] = buffers.count
                bufferOfTensor[index] = buffers.count
                buffers.append(Buffer(firstStep: first[index], lastStep: last[index], byteCount: tensors[index].byteCount,
                                      tensors: [index]))
            }
        }
    }
}
