/// How a converter or trainer states the padding of a window operator before it is made explicit.
public enum PaddingScheme: Sendable, Equatable {
    /// Output extent `ceil(input / stride)`; the window is centred, the odd pixel of padding goes after.
    case same
    /// No padding; only windows that fit entirely inside the input.
    case valid
}

/// The explicit padding and the output extent of one spatial axis of a window operator.
public struct WindowAxis: Sendable, Equatable {
    /// Padding before the first input element (top or left).
    public var before: Int
    /// Padding after the last input element (bottom or right).
    public var after: Int
    /// Output elements along the axis; 0 when no window fits.
    public var output: Int

    public init(before: Int, after: Int, output: Int) {
        self.before = before
        self.after = after
        self.output = output
    }
}

extension Padding2D {
    /// The extent of a window of `filter` taps spaced `dilation` apart: `(filter − 1) · dilation + 1`.
    public static func effectiveFilterSize(filter: Int, dilation: Int) -> Int {
        (filter - 1) * dilation + 1
    }

    /// TFLite's `ComputeOutSize` then `ComputePaddingWithOffset` for one axis.
    ///
    /// SAME: `out = (in + stride − 1) / stride`; VALID: `out = (in + stride − effective) / stride` (C++ truncating
    /// division, so a window larger than the input gives 0). Total padding is
    /// `max(0, (out − 1) · stride + effective − in)`; TFLite keeps `total / 2` before and adds the odd
    /// remainder (its "offset") after.
    public static func resolveAxis(_ scheme: PaddingScheme, input: Int, filter: Int, stride: Int, dilation: Int = 1) -> WindowAxis {
        precondition(input >= 1 && filter >= 1 && stride >= 1 && dilation >= 1, "window sizes must be positive")
        let effective = effectiveFilterSize(filter: filter, dilation: dilation)
        let output: Int
        switch scheme {
        case .same: output = (input + stride - 1) / stride
        case .valid: output = (input + stride - effective) / stride
        }
        guard output > 0 else { return WindowAxis(before: 0, after: 0, output: 0) }
        let total = max(0, (output - 1) * stride + effective - input)
        return WindowAxis(before: total / 2, after: total - total / 2, output: output)
    }

    /// Explicit padding and output size of a 2-D window operator, as TFLite's `ComputePaddingHeightWidth`.
    ///
    /// The padding reproduces the output size under ``outputExtent(input:filter:stride:dilation:before:after:)``,
    /// which the validators use.
    public static func resolve(_ scheme: PaddingScheme, inputHeight: Int, inputWidth: Int, filterHeight: Int, filterWidth: Int,
                               strideHeight: Int = 1, strideWidth: Int = 1, dilationHeight: Int = 1,
                               dilationWidth: Int = 1) -> (padding: Padding2D, outputHeight: Int, outputWidth: Int) {
        let height = resolveAxis(scheme, input: inputHeight, filter: filterHeight, stride: strideHeight, dilation: dilationHeight)
        let width = resolveAxis(scheme, input: inputWidth, filter: filterWidth, stride: strideWidth, dilation: dilationWidth)
        let padding = Padding2D(top: Int32(height.before), left: Int32(width.before), bottom: Int32(height.after),
                                right: Int32(width.after))
        return (padding, height.output, width.output)
    }

    /// The output extent of a window with explicit padding: `(in + before + after − effective) / stride + 1`
    /// (floor), or nil when the window does not fit in the padded input.
    public static func outputExtent(input: Int, filter: Int, stride: Int, dilation: Int = 1, before: Int, after: Int) -> Int? {
        guard input >= 1, filter >= 1, stride >= 1, dilation >= 1, before >= 0, after >= 0 else { return nil }
        let padded = input + before + after
        let effective = effectiveFilterSize(filter: filter, dilation: dilation)
        guard padded >= effective else { return nil }
        return (padded - effective) / stride + 1
    }
}
