/// `max(0, x)`. The derivative at 0 is taken as 0.
public final class ReLU: ClippedReLU {
    public init() { super.init(name: "ReLU", upper: .infinity) }
}
