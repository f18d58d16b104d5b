/// The mean over height and width: `[N, H, W, C]` → `[N, C]` (exported as a Mean over axes 1 and 2).
public final class GlobalAveragePool: Layer {
    private var inputShape: [Int] = []

    public init() {}

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] {
        let input = try ShapeCheck.image(inputShape, layer: "GlobalAveragePool")
        return [input.n, input.c]
    }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        let outputShape: [Int]
        do { outputShape = try self.outputShape(for: input.shape) } catch { preconditionFailure(error.message) }
        inputShape = input.shape
        let pixels = input.shape[1] * input.shape[2], channels = input.shape[3]
        var output = [Float](repeating: 0, count: input.batch * channels)
        let inverse = 1 / Float(pixels)
        input.values.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for n in 0..<input.batch {
                    let out = y.baseAddress! + n * channels
                    for p in 0..<pixels {
                        let pixel = x.baseAddress! + (n * pixels + p) * channels
                        for c in 0..<channels { out[c] += pixel[c] }
                    }
                    for c in 0..<channels { out[c] *= inverse }
                }
            }
        }
        return FloatTensor(shape: outputShape, values: output)
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        let batch = inputShape[0], pixels = inputShape[1] * inputShape[2], channels = inputShape[3]
        precondition(outputGradient.shape == [batch, channels], "GlobalAveragePool: output gradient does not match the last output")
        var inputGradient = [Float](repeating: 0, count: inputShape.reduce(1, *))
        let inverse = 1 / Float(pixels)
        outputGradient.values.withUnsafeBufferPointer { dy in
            inputGradient.withUnsafeMutableBufferPointer { dx in
                for n in 0..<batch {
                    let gradient = dy.baseAddress! + n * channels
                    for p in 0..<pixels {
                        let pixel = dx.baseAddress! + (n * pixels + p) * channels
                        for c in 0..<channels { pixel[c] = gradient[c] * inverse }
                    }
                }
            }
        }
        return FloatTensor(shape: inputShape, values: inputGradient)
    }
}
