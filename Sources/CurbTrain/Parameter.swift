/// A trainable tensor and the gradient the last backward passes accumulated for it. Layers own their
/// parameters; optimizers update `value` from `gradient`.
public final class Parameter {
    /// For messages and checkpoints, e.g. "weights".
    public let name: String
    public var value: FloatTensor
    /// Same shape as `value`; backward passes add to it, ``zeroGradient()`` clears it.
    public var gradient: FloatTensor
    /// Whether weight decay applies (kernels yes; biases and batch-norm scale and offset no, as is usual).
    public let decays: Bool

    public init(name: String, value: FloatTensor, decays: Bool) {
        self.name = name
        self.value = value
        self.gradient = FloatTensor(shape: value.shape)
        self.decays = decays
    }

    /// Sets every gradient value to zero.
    public func zeroGradient() {
        gradient.values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
