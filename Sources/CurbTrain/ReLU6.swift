/// `min(max(0, x), 6)`, the activation int8 mobile models fuse into their convolutions. The derivative is
/// 1 strictly inside (0, 6) and 0 elsewhere (including both ends).
public final class ReLU6: ClippedReLU {
    public init() { super.init(name: "ReLU6", upper: 6) }
}
