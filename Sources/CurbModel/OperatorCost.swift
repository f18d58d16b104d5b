/// Multiply-accumulates of an operator, counted as the peers count them: convolution, depthwise and fully
/// connected layers only (one MAC per weight tap per output element; padding taps included).
public enum OperatorCost {
    /// The MACs of `op` in a model whose tensors are `tensors` (indices already validated).
    public static func multiplyAccumulates(of op: Operator, tensors: [Tensor]) -> Int {
        guard let outputIndex = op.outputs.first, op.inputs.count >= 2, op.inputs[1] >= 0 else { return 0 }
        let output = tensors[Int(outputIndex)].shape
        let filter = tensors[Int(op.inputs[1])].shape
        switch op.kind {
        case .conv2D:
            // filter [O, KH, KW, C / groups]
            guard filter.rank == 4 else { return 0 }
            return output.elementCount * filter[1] * filter[2] * filter[3]
        case .depthwiseConv2D:
            // filter [1, KH, KW, O]
            guard filter.rank == 4 else { return 0 }
            return output.elementCount * filter[1] * filter[2]
        case .fullyConnected:
            // filter [O, D]
            guard filter.rank == 2 else { return 0 }
            return output.elementCount * filter[1]
        default:
            return 0
        }
    }
}
