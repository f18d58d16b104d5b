/// `[N, d1, d2, …]` → `[N, d1 · d2 · …]`, keeping the row-major order (exported as a Reshape).
public final class Flatten: Layer {
    private var inputShape: [Int] = []

    public init() {}

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] {
        guard inputShape.count >= 2, inputShape.allSatisfy({ $0 > 0 }) else {
            throw TrainingError("Flatten: input shape \(inputShape) has no feature axes")
        }
        return [inputShape[0], inputShape.dropFirst().reduce(1, *)]
    }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        inputShape = input.shape
        return input.reshaped([input.batch, input.featuresPerExample])
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        outputGradient.reshaped(inputShape)
    }
}
