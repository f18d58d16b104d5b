/// An integer tensor whose contents are known at import time: an int32/int64 constant, or the result of
/// shape arithmetic (SHAPE, STRIDED_SLICE, PACK) folded by the importer, since `.curb` shapes are static.
struct TFLiteStaticValue: Equatable {
    var shape: [Int]
    /// Row-major.
    var values: [Int64]

    /// A scalar or a vector's elements; nil when a value does not fit an Int32.
    var int32Values: [Int32]? {
        var result: [Int32] = []
        result.reserveCapacity(values.count)
        for value in values {
            guard let narrow = Int32(exactly: value) else { return nil }
            result.append(narrow)
        }
        return result
    }

    /// PACK: stacks equally shaped values along a new `axis` (0...rank).
    static func pack(_ inputs: [TFLiteStaticValue], axis: Int) -> TFLiteStaticValue? {
        guard let first = inputs.first, inputs.allSatisfy({ $0.shape == first.shape }),
              (0...first.shape.count).contains(axis) else { return nil }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[axis...].reduce(1, *)
        var values: [Int64] = []
        values.reserveCapacity(outer * inner * inputs.count)
        for block in 0..<outer {
            for input in inputs {
                values.append(contentsOf: input.values[(block * inner)..<(block * inner + inner)])
            }
        }
        var shape = first.shape
        shape.insert(inputs.count, at: axis)
        return TFLiteStaticValue(shape: shape, values: values)
    }

    /// STRIDED_SLICE with resolved per-axis `begin` and `strides` and the per-axis element `counts` (1 for
    /// shrunk axes); `outputShape` drops the shrunk axes.
    func slice(begin: [Int32], strides: [Int32], counts: [Int], outputShape: [Int]) -> TFLiteStaticValue {
        let rank = shape.count
        var elementStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { elementStrides[axis] = elementStrides[axis + 1] * shape[axis + 1] }
        var result: [Int64] = []
        var index = [Int](repeating: 0, count: rank)
        let total = counts.reduce(1, *)
        for _ in 0..<total {
            var offset = 0
            for axis in 0..<rank { offset += (Int(begin[axis]) + index[axis] * Int(strides[axis])) * elementStrides[axis] }
            result.append(values[offset])
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < counts[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return TFLiteStaticValue(shape: outputShape, values: result)
    }
}
