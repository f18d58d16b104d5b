import CurbModel

/// A trained network rewritten as the int8 model's operators: batch norm folded into the convolution
/// before it, activations fused into the operator before them, dropout dropped. Each stage keeps float
/// layers that compute exactly what it means (for calibration and for checking the fold).
public struct FoldedNetwork {
    /// One operator of the exported model.
    public enum Operation {
        case conv2D(Conv2D)
        case depthwiseConv2D(DepthwiseConv2D)
        case dense(Dense)
        case maxPool(MaxPool2D)
        case averagePool(AveragePool2D)
        case globalAveragePool
        case flatten
    }

    public struct Stage {
        public var operation: Operation
        /// The fused clamp (convolutions and dense only).
        public var activation: FusedActivation
        /// Float layers computing the stage (the operation, then its activation when there is one).
        public var layers: [Layer]
        /// Whether the stage's output gets its own quantization (weighted operators) or copies its input's
        /// (pools, reshapes; mean keeps its input's scale too).
        public var hasOwnQuantization: Bool {
            switch operation {
            case .conv2D, .depthwiseConv2D, .dense: true
            default: false
            }
        }
    }

    public var stages: [Stage]

    /// Folds `network` (inference mode). Throws for layer orders the int8 model cannot express, naming the layer.
    public init(_ network: Sequential) throws(TrainingError) {
        var stages: [Stage] = []
        let layers = network.layers
        var index = 0
        var dummy = RandomSource(seed: 0)
        while index < layers.count {
            let layer = layers[index]
            var next = index + 1
            var operation: Operation
            switch layer {
            case let conv as Conv2D:
                let folded = Conv2D(inputChannels: conv.inputChannels, outputChannels: conv.outputChannels,
                                    filter: (conv.filterHeight, conv.filterWidth), stride: (conv.strideHeight, conv.strideWidth),
                                    padding: conv.padding, useBias: true, generator: &dummy)
                var weights = conv.weights.value.values, bias = conv.bias?.value.values ?? [Float](repeating: 0, count: conv.outputChannels)
                if next < layers.count, let norm = layers[next] as? BatchNorm {
                    Self.fold(norm, weights: &weights, bias: &bias, channelIsLastAxis: false)
                    next += 1
                }
                folded.weights.value.values = weights
                folded.bias!.value.values = bias
                operation = .conv2D(folded)
            case let depthwise as DepthwiseConv2D:
                let folded = DepthwiseConv2D(channels: depthwise.channels, filter: (depthwise.filterHeight, depthwise.filterWidth),
                                             stride: (depthwise.strideHeight, depthwise.strideWidth), padding: depthwise.padding,
                                             useBias: true, generator: &dummy)
                var weights = depthwise.weights.value.values, bias = depthwise.bias?.value.values ?? [Float](repeating: 0, count: depthwise.channels)
                if next < layers.count, let norm = layers[next] as? BatchNorm {
                    Self.fold(norm, weights: &weights, bias: &bias, channelIsLastAxis: true)
                    next += 1
                }
                folded.weights.value.values = weights
                folded.bias!.value.values = bias
                operation = .depthwiseConv2D(folded)
            case let dense as Dense:
                let folded = Dense(inputs: dense.inputs, outputs: dense.outputs, useBias: true, generator: &dummy)
                var weights = dense.weights.value.values, bias = dense.bias?.value.values ?? [Float](repeating: 0, count: dense.outputs)
                if next < layers.count, let norm = layers[next] as? BatchNorm {
                    Self.fold(norm, weights: &weights, bias: &bias, channelIsLastAxis: false)
                    next += 1
                }
                folded.weights.value.values = weights
                folded.bias!.value.values = bias
                operation = .dense(folded)
            case let pool as MaxPool2D: operation = .maxPool(pool)
            case let pool as AveragePool2D: operation = .averagePool(pool)
            case is GlobalAveragePool: operation = .globalAveragePool
            case is Flatten: operation = .flatten
            case is Dropout:
                index = next
                continue
            default:
                throw TrainingError("export: layer \(index) (\(type(of: layer))) must follow a convolution or dense layer to be exported")
            }
            var activation = FusedActivation.none
            var floatLayers: [Layer]
            switch operation {
            case .conv2D(let layer): floatLayers = [layer]
            case .depthwiseConv2D(let layer): floatLayers = [layer]
            case .dense(let layer): floatLayers = [layer]
            case .maxPool(let layer): floatLayers = [layer]
            case .averagePool(let layer): floatLayers = [layer]
            case .globalAveragePool: floatLayers = [GlobalAveragePool()]
            case .flatten: floatLayers = [Flatten()]
            }
            let weighted: Bool = switch operation {
            case .conv2D, .depthwiseConv2D, .dense: true
            default: false
            }
            if weighted, next < layers.count {
                if layers[next] is ReLU6 {
                    activation = .relu6
                    floatLayers.append(ReLU6())
                    next += 1
                } else if layers[next] is ReLU {
                    activation = .relu
                    floatLayers.append(ReLU())
                    next += 1
                }
            }
            stages.append(Stage(operation: operation, activation: activation, layers: floatLayers))
            index = next
        }
        guard case .dense = stages.last?.operation, stages.last?.activation == FusedActivation.none else {
            throw TrainingError("export: the network must end in a dense layer without activation (the logits)")
        }
        self.stages = stages
    }

    /// `W′ = W · γ/√(σ²+ε)` per output channel and `b′ = (b − μ) · γ/√(σ²+ε) + β`, computed in Double.
    static func fold(_ norm: BatchNorm, weights: inout [Float], bias: inout [Float], channelIsLastAxis: Bool) {
        let channels = norm.channels
        precondition(bias.count == channels && weights.count % channels == 0)
        var factor = [Double](repeating: 0, count: channels)
        for c in 0..<channels {
            factor[c] = Double(norm.scale.value.values[c]) / (Double(norm.runningVariance[c]) + Double(norm.epsilon)).squareRoot()
            bias[c] = Float((Double(bias[c]) - Double(norm.runningMean[c])) * factor[c] + Double(norm.offset.value.values[c]))
        }
        let perChannel = weights.count / channels
        for index in weights.indices {
            let channel = channelIsLastAxis ? index % channels : index / perChannel
            weights[index] = Float(Double(weights[index]) * factor[channel])
        }
    }

    /// Runs the folded network on a batch; `observe(stage, output)` sees every stage's output.
    public func forward(_ input: FloatTensor, observe: (Int, FloatTensor) -> Void = { _, _ in }) -> FloatTensor {
        var activation = input
        for (index, stage) in stages.enumerated() {
            for layer in stage.layers { activation = layer.forward(activation, training: false) }
            observe(index, activation)
        }
        return activation
    }
}
