/// Options of a static strided slice, resolved by the writer (``resolve(shape:begin:end:strides:beginMask:endMask:shrinkAxisMask:ellipsisMask:newAxisMask:offset:)``)
/// into one `begin` (first index read), `end` (exclusive stop, −1 allowed for a negative stride) and
/// non-zero `stride` per input axis, as TFLite's `StartForAxis`/`EndForAxis` produce them.
///
/// Axes in `shrinkAxisMask` take one element and are dropped from the output shape. Any element type;
/// int8 input and output share scale and zero point.
public struct StridedSliceOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.stridedSlice

    public var begin: [Int32]
    public var end: [Int32]
    public var strides: [Int32]
    /// Bit `i` set: axis `i` is sliced to one element and removed from the output shape.
    public var shrinkAxisMask: Int32

    public init(begin: [Int32], end: [Int32], strides: [Int32], shrinkAxisMask: Int32 = 0) {
        self.begin = begin
        self.end = end
        self.strides = strides
        self.shrinkAxisMask = shrinkAxisMask
    }

    /// How many indices `begin, begin + stride, …` lie before `end` (TFLite's output-size rule).
    public static func count(begin: Int32, end: Int32, stride: Int32) -> Int {
        let span = Int64(end) - Int64(begin)
        if (span < 0) != (stride < 0) { return 0 }
        if stride < 0 { return Int((span + 1) / Int64(stride) + 1) }
        return span == 0 ? 0 : Int((span - 1) / Int64(stride) + 1)
    }

    /// Resolves TFLite STRIDED_SLICE parameters against the input shape exactly as `strided_slice.cc`
    /// (`BuildStridedSliceParams`, `StartForAxis`, `EndForAxis`, `ResizeOutputTensor`) does, and returns the
    /// options with the output shape they produce.
    ///
    /// `begin`, `end` and `strides` may be shorter than the rank (the remaining axes are taken whole).
    /// Ellipsis and new-axis masks are not supported (refused); an empty result is refused, since a
    /// `.curb` tensor has no zero-sized dimension.
    public static func resolve(shape: TensorShape, begin: [Int32], end: [Int32], strides: [Int32], beginMask: Int32 = 0,
                               endMask: Int32 = 0, shrinkAxisMask: Int32 = 0, ellipsisMask: Int32 = 0,
                               newAxisMask: Int32 = 0, offset: Bool = false)
        throws(ModelError) -> (options: StridedSliceOptions, outputShape: [Int]) {
        func fail(_ message: String, _ field: String) -> ModelError {
            ModelError(.invalidValue, "strided_slice: \(message)", field: field)
        }
        guard ellipsisMask == 0, newAxisMask == 0 else {
            throw fail("ellipsis and new-axis masks are not supported", ellipsisMask != 0 ? "ellipsis_mask" : "new_axis_mask")
        }
        let rank = shape.rank
        guard begin.count == end.count, begin.count == strides.count, begin.count <= rank else {
            throw fail("begin, end and strides need the same count, at most the rank \(rank)", "begin")
        }
        var resolvedBegin: [Int32] = [], resolvedEnd: [Int32] = [], resolvedStrides: [Int32] = []
        var outputShape: [Int] = []
        for axis in 0..<rank {
            let bit = Int32(1) << Int32(axis)
            let given = axis < begin.count
            let stride = given ? strides[axis] : 1
            guard stride != 0, stride != Int32.min else { throw fail("stride of axis \(axis) is \(stride)", "strides") }
            let size = Int32(shape[axis])
            let masksBegin = !given || beginMask & bit != 0
            let masksEnd = !given || endMask & bit != 0
            let shrinks = given && shrinkAxisMask & bit != 0

            // StartForAxis
            var start = given ? begin[axis] : 0
            if start < 0 { start = start &+ size }
            start = stride > 0 ? min(max(start, 0), size) : min(max(start, -1), size - 1)
            if masksBegin { start = stride > 0 ? 0 : size - 1 }

            // EndForAxis
            var stop: Int32
            if shrinks {
                stop = start >= size ? start : start + 1
            } else {
                stop = given ? end[axis] : 0
                if offset {
                    guard let narrowed = Int32(exactly: Int64(stop) + Int64(start)) else {
                        throw fail("end of axis \(axis) overflows", "end")
                    }
                    stop = narrowed
                }
                if stop < 0 { stop = stop &+ size }
                stop = stride > 0 ? min(max(stop, 0), size) : min(max(stop, -1), size - 1)
                if masksEnd { stop = stride > 0 ? size : -1 }
            }
            let elements = count(begin: start, end: stop, stride: stride)
            guard elements >= 1 else { throw fail("axis \(axis) selects no element", "end") }
            if offset && !shrinks {
                // ResizeOutputTensor sizes an offset slice from the raw end; it must agree with what is copied.
                let declared = count(begin: 0, end: end[axis], stride: stride)
                guard declared == elements else { throw fail("offset slice of axis \(axis) runs past the input", "end") }
            }
            resolvedBegin.append(start)
            resolvedEnd.append(stop)
            resolvedStrides.append(stride)
            if !shrinks { outputShape.append(elements) }
        }
        let mask = rank == 0 ? 0 : shrinkAxisMask & ((Int32(1) << Int32(rank)) - 1)
        return (StridedSliceOptions(begin: resolvedBegin, end: resolvedEnd, strides: resolvedStrides,
                                    shrinkAxisMask: mask), outputShape)
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32Array(begin)
        writer.int32Array(end)
        writer.int32Array(strides)
        writer.int32(shrinkAxisMask)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> StridedSliceOptions {
        StridedSliceOptions(begin: try reader.int32Array("begin", maximum: TensorShape.maximumRank),
                            end: try reader.int32Array("end", maximum: TensorShape.maximumRank),
                            strides: try reader.int32Array("strides", maximum: TensorShape.maximumRank),
                            shrinkAxisMask: try reader.int32("shrink_axis_mask", in: 0...((1 << TensorShape.maximumRank) - 1)))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
        let input = try context.requiredInput(0)
        let output = context.output(0)
        try context.requireType(output, input.type, output: 0)
        try context.requireCopiedQuantization(from: input, input: 0, to: output)
        let rank = input.shape.rank
        guard begin.count == rank, end.count == rank, strides.count == rank else {
            throw context.error(.invalidValue, "needs \(rank) begin, end and stride values", field: "begin")
        }
        guard shrinkAxisMask >= 0, shrinkAxisMask >> Int32(rank) == 0 else {
            throw context.error(.invalidValue, "shrink axis mask \(shrinkAxisMask) names axes beyond the rank \(rank)",
                                field: "shrink_axis_mask")
        }
        var expected: [Int] = []
        for axis in 0..<rank {
            let size = Int32(input.shape[axis])
            let stride = strides[axis], start = begin[axis], stop = end[axis]
            guard stride != 0, stride != Int32.min else {
                throw context.error(.invalidValue, "stride of axis \(axis) is \(stride)", field: "strides")
            }
            // A non-empty slice starts inside the axis; its stop is one step outside the visited range.
            guard start >= 0, start < size else {
                throw context.error(.invalidValue, "begin \(start) of axis \(axis) is outside 0..<\(size)", field: "begin")
            }
            guard stride > 0 ? (0...size).contains(stop) : (-1...(size - 1)).contains(stop) else {
                throw context.error(.invalidValue, "end \(stop) of axis \(axis) is out of range for stride \(stride)", field: "end")
            }
            let elements = Self.count(begin: start, end: stop, stride: stride)
            guard elements >= 1 else {
                throw context.error(.invalidValue, "axis \(axis) selects no element", field: "end")
            }
            if shrinkAxisMask & (Int32(1) << Int32(axis)) != 0 {
                guard elements == 1 else {
                    throw context.error(.invalidValue, "shrunk axis \(axis) must select one element, selects \(elements)",
                                        field: "end")
                }
            } else {
                expected.append(elements)
            }
        }
        try context.requireSameShape(output.shape, TensorShape(expected), output: 0)
    }
}
