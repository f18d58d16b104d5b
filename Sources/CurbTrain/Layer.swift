/// One step of a network with a forward and a backward pass.
///
/// `forward` caches what `backward` needs (its input, masks, statistics), so calls alternate:
/// `forward` then at most one `backward` for the same batch. `backward` takes dLoss/dOutput, **adds**
/// dLoss/dParameter to each parameter's gradient, and returns dLoss/dInput.
public protocol Layer: AnyObject {
    /// The output shape for an input of `inputShape` (batch axis included), or an error naming why the
    /// input does not fit this layer.
    func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int]
    /// The layer applied to a batch; `training` selects batch statistics and dropout.
    func forward(_ input: FloatTensor, training: Bool) -> FloatTensor
    /// The input gradient for `outputGradient` (same shape as the last output).
    func backward(_ outputGradient: FloatTensor) -> FloatTensor
    /// Trainable tensors, in a fixed order.
    var parameters: [Parameter] { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
}

/// Shape checks shared by the layers.
enum ShapeCheck {
    /// The input must be `[N, H, W, C]` with positive extents (and `channels` channels when given).
    static func image(_ shape: [Int], layer: String, channels: Int? = nil) throws(TrainingError) -> (n: Int, h: Int, w: Int, c: Int) {
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else {
            throw TrainingError("\(layer): input shape \(shape) is not [N, H, W, C]")
        }
        if let channels, shape[3] != channels {
            throw TrainingError("\(layer): input has \(shape[3]) channels, expected \(channels)")
        }
        return (shape[0], shape[1], shape[2], shape[3])
    }
}
