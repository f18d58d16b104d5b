/// A 32-bit float tensor for training: a shape and its values, row-major (NHWC for images, `[N, features]`
/// for dense layers). Named apart from `CurbModel.Tensor`, which describes a tensor in a model file.
public struct FloatTensor: Sendable, Equatable {
    /// The extent of each axis, outermost first; the first axis is the batch.
    public var shape: [Int]
    /// `shape.reduce(1, *)` values, row-major.
    public var values: [Float]

    /// A tensor holding `values`, whose count must match the shape.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "tensor extents must be non-negative")
        precondition(values.count == shape.reduce(1, *), "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
    }

    /// A tensor of `shape` with every value `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, values: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of `shape` with values drawn uniformly from `range`.
    public static func random(shape: [Int], in range: ClosedRange<Float>, using generator: inout RandomSource) -> FloatTensor {
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count { values[index] = generator.uniform(in: range) }
        return FloatTensor(shape: shape, values: values)
    }

    /// Number of values.
    public var count: Int { values.count }

    /// The first axis: how many examples.
    public var batch: Int { shape[0] }

    /// Values per example (the product of every axis but the first).
    public var featuresPerExample: Int { shape.dropFirst().reduce(1, *) }

    /// The same values under another shape with the same count.
    public func reshaped(_ newShape: [Int]) -> FloatTensor {
        FloatTensor(shape: newShape, values: values)
    }
}
