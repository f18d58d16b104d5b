/// A fully connected layer: `[N, inputs]` → `[N, outputs]`, `y = x · Wᵀ + b`, weights `[outputs, inputs]`
/// (the model file's FullyConnected layout).
public final class Dense: Layer {
    public let inputs: Int
    public let outputs: Int
    public let weights: Parameter
    public let bias: Parameter?

    private var input = FloatTensor(shape: [0])

    /// Weights are Glorot-uniform (`±sqrt(6 / (inputs + outputs))`, Keras's default); bias zero.
    public init(inputs: Int, outputs: Int, useBias: Bool = true, generator: inout RandomSource) {
        precondition(inputs > 0 && outputs > 0)
        self.inputs = inputs
        self.outputs = outputs
        let limit = (6 / Float(inputs + outputs)).squareRoot()
        weights = Parameter(name: "weights", value: .random(shape: [outputs, inputs], in: -limit...limit, using: &generator),
                            decays: true)
        bias = useBias ? Parameter(name: "bias", value: FloatTensor(shape: [outputs]), decays: false) : nil
    }

    public var parameters: [Parameter] { bias.map { [weights, $0] } ?? [weights] }

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] {
        guard inputShape.count == 2, inputShape[0] > 0 else {
            throw TrainingError("Dense: input shape \(inputShape) is not [N, features] (flatten or pool first)")
        }
        guard inputShape[1] == inputs else {
            throw TrainingError("Dense: input has \(inputShape[1]) features, expected \(inputs)")
        }
        return [inputShape[0], outputs]
    }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        let outputShape: [Int]
        do { outputShape = try self.outputShape(for: input.shape) } catch { preconditionFailure(error.message) }
        self.input = input
        let batch = input.batch
        var output = [Float](repeating: 0, count: batch * outputs)
        input.values.withUnsafeBufferPointer { x in
            weights.value.values.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    OpenBLAS.gemm(transposeB: true, m: batch, n: outputs, k: inputs, a: x.baseAddress!, lda: inputs,
                                  b: w.baseAddress!, ldb: inputs, beta: 0, c: y.baseAddress!, ldc: outputs)
                    if let bias {
                        bias.value.values.withUnsafeBufferPointer { b in
                            Conv2D.addRowVector(b.baseAddress!, to: y.baseAddress!, rows: batch, columns: outputs)
                        }
                    }
                }
            }
        }
        return FloatTensor(shape: outputShape, values: output)
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        let batch = input.batch
        precondition(outputGradient.shape == [batch, outputs], "Dense: output gradient does not match the last output")
        var inputGradient = [Float](repeating: 0, count: batch * inputs)
        outputGradient.values.withUnsafeBufferPointer { dy in
            input.values.withUnsafeBufferPointer { x in
                weights.gradient.values.withUnsafeMutableBufferPointer { dW in
                    // dW (outputs × inputs) += dyᵀ (outputs × N) · x (N × inputs).
                    OpenBLAS.gemm(transposeA: true, m: outputs, n: inputs, k: batch, a: dy.baseAddress!, lda: outputs,
                                  b: x.baseAddress!, ldb: inputs, beta: 1, c: dW.baseAddress!, ldc: inputs)
                }
            }
            if let bias {
                bias.gradient.values.withUnsafeMutableBufferPointer { dB in
                    Conv2D.addColumnSums(dy.baseAddress!, rows: batch, columns: outputs, to: dB.baseAddress!)
                }
            }
            weights.value.values.withUnsafeBufferPointer { w in
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    // dx (N × inputs) = dy (N × outputs) · W (outputs × inputs).
                    OpenBLAS.gemm(m: batch, n: inputs, k: outputs, a: dy.baseAddress!, lda: outputs,
                                  b: w.baseAddress!, ldb: inputs, beta: 0, c: dx.baseAddress!, ldc: inputs)
                }
            }
        }
        return FloatTensor(shape: input.shape, values: inputGradient)
    }
}
