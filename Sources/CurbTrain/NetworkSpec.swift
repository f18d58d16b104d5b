import CurbModel
import Foundation

/// A network architecture as data: an ordered list of layers, read from a JSON spec file or taken from a
/// built-in preset, and built into a ``Sequential`` for an input size and class count.
///
/// The JSON form (documented in `docs/training.md`):
/// `{"name": "...", "layers": [{"type": "conv2d", "filters": 32, "kernel": 3, "stride": 1, ...}, ...]}`.
/// Types: `conv2d`, `depthwise_conv2d`, `batchnorm`, `relu`, `relu6`, `maxpool`, `avgpool`,
/// `global_avgpool`, `flatten`, `dense`, `dropout`. The last layer must be a `dense` whose `units` is
/// omitted or equal to the class count (it becomes the logits; softmax is added on export).
public struct NetworkSpec: Sendable, Equatable, Codable {
    /// One layer of the spec.
    public struct LayerSpec: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable, CaseIterable {
            case conv2d, depthwiseConv2d = "depthwise_conv2d", batchnorm, relu, relu6, maxpool, avgpool
            case globalAvgpool = "global_avgpool", flatten, dense, dropout
        }
        public var type: Kind
        /// conv2d: output channels.
        public var filters: Int?
        /// conv2d, depthwise_conv2d: square kernel size (default 3); maxpool/avgpool use `pool`.
        public var kernel: Int?
        /// Window stride (default 1 for convolutions, the pool size for pools).
        public var stride: Int?
        /// "same" (default for convolutions) or "valid" (default for pools).
        public var padding: String?
        /// Whether a convolution or dense layer has a bias (default: true, false when followed by batchnorm).
        public var bias: Bool?
        /// maxpool/avgpool: square window (default 2).
        public var pool: Int?
        /// dense: outputs (the last dense may omit it: the class count).
        public var units: Int?
        /// dropout: the drop probability.
        public var rate: Float?

        public init(_ type: Kind, filters: Int? = nil, kernel: Int? = nil, stride: Int? = nil, padding: String? = nil,
                    bias: Bool? = nil, pool: Int? = nil, units: Int? = nil, rate: Float? = nil) {
            self.type = type
            self.filters = filters
            self.kernel = kernel
            self.stride = stride
            self.padding = padding
            self.bias = bias
            self.pool = pool
            self.units = units
            self.rate = rate
        }

        /// The keys each type accepts (besides `type`).
        static func allowedKeys(_ kind: Kind) -> Set<String> {
            switch kind {
            case .conv2d: ["filters", "kernel", "stride", "padding", "bias"]
            case .depthwiseConv2d: ["kernel", "stride", "padding", "bias"]
            case .maxpool, .avgpool: ["pool", "stride", "padding"]
            case .dense: ["units", "bias"]
            case .dropout: ["rate"]
            case .batchnorm, .relu, .relu6, .globalAvgpool, .flatten: []
            }
        }
    }

    public var name: String
    public var layers: [LayerSpec]

    public init(name: String, layers: [LayerSpec]) {
        self.name = name
        self.layers = layers
    }

    // MARK: - Parsing

    /// Parses a JSON spec, with errors that name the layer and the key at fault.
    public static func parse(json data: Data) throws(TrainingError) -> NetworkSpec {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TrainingError("spec: not valid JSON (\(error.localizedDescription))")
        }
        guard let root = object as? [String: Any] else { throw TrainingError("spec: the top level must be an object") }
        for key in root.keys where key != "name" && key != "layers" {
            throw TrainingError("spec: unknown key '\(key)' (expected 'name' and 'layers')")
        }
        guard let layerObjects = root["layers"] as? [Any], !layerObjects.isEmpty else {
            throw TrainingError("spec: 'layers' must be a non-empty array")
        }
        let name = (root["name"] as? String) ?? "custom"
        var layers: [LayerSpec] = []
        for (index, item) in layerObjects.enumerated() {
            guard let fields = item as? [String: Any] else { throw TrainingError("spec: layer \(index) is not an object") }
            guard let typeName = fields["type"] as? String else { throw TrainingError("spec: layer \(index) has no 'type'") }
            guard let kind = LayerSpec.Kind(rawValue: typeName) else {
                throw TrainingError("spec: layer \(index): unknown layer type '\(typeName)' (known: \(LayerSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let allowed = LayerSpec.allowedKeys(kind)
            for key in fields.keys.sorted() where key != "type" && !allowed.contains(key) {
                throw TrainingError("spec: layer \(index) (\(typeName)): unknown key '\(key)'")
            }
            func integer(_ key: String) throws(TrainingError) -> Int? {
                guard let value = fields[key] else { return nil }
                guard !(value is Bool && "\(value)" == "true" || "\(value)" == "false"), let number = value as? NSNumber,
                      number.doubleValue == number.doubleValue.rounded(), number.intValue > 0 else {
                    throw TrainingError("spec: layer \(index) (\(typeName)): '\(key)' must be a positive integer")
                }
                return number.intValue
            }
            var layer = LayerSpec(kind)
            layer.filters = try integer("filters")
            layer.kernel = try integer("kernel")
            layer.stride = try integer("stride")
            layer.pool = try integer("pool")
            layer.units = try integer("units")
            if let value = fields["padding"] {
                guard let padding = value as? String, padding == "same" || padding == "valid" else {
                    throw TrainingError("spec: layer \(index) (\(typeName)): 'padding' must be \"same\" or \"valid\"")
                }
                layer.padding = padding
            }
            if let value = fields["bias"] {
                guard let bias = value as? Bool else { throw TrainingError("spec: layer \(index) (\(typeName)): 'bias' must be true or false") }
                layer.bias = bias
            }
            if let value = fields["rate"] {
                guard let rate = (value as? NSNumber)?.floatValue, rate >= 0, rate < 1 else {
                    throw TrainingError("spec: layer \(index) (\(typeName)): 'rate' must be a number in [0, 1)")
                }
                layer.rate = rate
            }
            if kind == .conv2d && layer.filters == nil {
                throw TrainingError("spec: layer \(index) (conv2d): 'filters' is required")
            }
            if kind == .dropout && layer.rate == nil {
                throw TrainingError("spec: layer \(index) (dropout): 'rate' is required")
            }
            layers.append(layer)
        }
        return NetworkSpec(name: name, layers: layers)
    }

    /// The spec as JSON (what checkpoints store, and `parse` reads back).
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }

    // MARK: - Presets

    /// The built-in architectures by name.
    public static func preset(_ name: String) -> NetworkSpec? {
        switch name {
        case "cifar10": cifar10
        case "vehiclenet": vehicleNet
        default: nil
        }
    }

    public static let presetNames = ["cifar10", "vehiclenet"]

    /// The Keras CIFAR-10 example CNN: conv32-conv32-pool-conv64-conv64-pool-dense512-dropout-dense N
    /// (ReLU after each conv and the dense 512; dropout 0.25 after each pool and 0.5 before the logits).
    public static let cifar10 = NetworkSpec(name: "cifar10", layers: [
        LayerSpec(.conv2d, filters: 32, kernel: 3), LayerSpec(.relu),
        LayerSpec(.conv2d, filters: 32, kernel: 3, padding: "valid"), LayerSpec(.relu),
        LayerSpec(.maxpool, pool: 2), LayerSpec(.dropout, rate: 0.25),
        LayerSpec(.conv2d, filters: 64, kernel: 3), LayerSpec(.relu),
        LayerSpec(.conv2d, filters: 64, kernel: 3, padding: "valid"), LayerSpec(.relu),
        LayerSpec(.maxpool, pool: 2), LayerSpec(.dropout, rate: 0.25),
        LayerSpec(.flatten), LayerSpec(.dense, units: 512), LayerSpec(.relu), LayerSpec(.dropout, rate: 0.5),
        LayerSpec(.dense),
    ])

    /// A depthwise-separable CNN for 64x64 crops, 5.7 M MACs: a 3x3 stride-2 stem of 24 channels, six
    /// depthwise 3x3 + pointwise 1x1 blocks (24→32, 32→64 s2, 64→64, 64→128 s2, 128→128, 128→256 s2), each
    /// convolution followed by batch norm and ReLU6, then global average pooling, dropout 0.2 and the logits.
    public static let vehicleNet: NetworkSpec = {
        var layers: [LayerSpec] = [LayerSpec(.conv2d, filters: 24, kernel: 3, stride: 2), LayerSpec(.batchnorm), LayerSpec(.relu6)]
        for (output, stride) in [(32, 1), (64, 2), (64, 1), (128, 2), (128, 1), (256, 2)] {
            layers += [LayerSpec(.depthwiseConv2d, kernel: 3, stride: stride), LayerSpec(.batchnorm), LayerSpec(.relu6),
                       LayerSpec(.conv2d, filters: output, kernel: 1), LayerSpec(.batchnorm), LayerSpec(.relu6)]
        }
        layers += [LayerSpec(.globalAvgpool), LayerSpec(.dropout, rate: 0.2), LayerSpec(.dense)]
        return NetworkSpec(name: "vehiclenet", layers: layers)
    }()

    // MARK: - Building

    /// A built network and what it costs.
    public struct Built {
        public var network: Sequential
        /// Multiply-accumulates per image (convolutions, depthwise, dense).
        public var macs: Int
        /// The output shape of every layer for one image (batch axis 1).
        public var shapes: [[Int]]
    }

    /// Builds the layers for `height × width × 3` inputs and `classes` outputs, initialised from `seed`.
    /// Errors name the layer (index and type) whose shape does not work.
    public func build(height: Int, width: Int, classes: Int, seed: UInt64) throws(TrainingError) -> Built {
        guard let last = layers.last, last.type == .dense else {
            throw TrainingError("spec: the last layer must be 'dense' (the logits)")
        }
        if let units = last.units, units != classes {
            throw TrainingError("spec: the last dense layer has \(units) units but the data have \(classes) classes")
        }
        var generator = RandomSource(seed: seed)
        var shape = [1, height, width, 3]
        var built: [Layer] = []
        var shapes: [[Int]] = []
        var macs = 0
        for (index, spec) in layers.enumerated() {
            let followedByNorm = index + 1 < layers.count && layers[index + 1].type == .batchnorm
            let padding: PaddingScheme = (spec.padding ?? (spec.type == .maxpool || spec.type == .avgpool ? "valid" : "same")) == "same" ? .same : .valid
            let layer: Layer
            switch spec.type {
            case .conv2d:
                guard shape.count == 4 else { throw TrainingError("spec: layer \(index) (conv2d): input \(shape) is not an image") }
                let kernel = spec.kernel ?? 3, stride = spec.stride ?? 1
                layer = Conv2D(inputChannels: shape[3], outputChannels: spec.filters!, filter: (kernel, kernel), stride: (stride, stride),
                               padding: padding, useBias: spec.bias ?? !followedByNorm, generator: &generator)
            case .depthwiseConv2d:
                guard shape.count == 4 else { throw TrainingError("spec: layer \(index) (depthwise_conv2d): input \(shape) is not an image") }
                let kernel = spec.kernel ?? 3, stride = spec.stride ?? 1
                layer = DepthwiseConv2D(channels: shape[3], filter: (kernel, kernel), stride: (stride, stride), padding: padding,
                                        useBias: spec.bias ?? !followedByNorm, generator: &generator)
            case .batchnorm:
                layer = BatchNorm(channels: shape.last!)
            case .relu: layer = ReLU()
            case .relu6: layer = ReLU6()
            case .maxpool, .avgpool:
                let pool = spec.pool ?? 2, stride = spec.stride ?? pool
                layer = spec.type == .maxpool ? MaxPool2D(pool: (pool, pool), stride: (stride, stride), padding: padding)
                    : AveragePool2D(pool: (pool, pool), stride: (stride, stride), padding: padding)
            case .globalAvgpool: layer = GlobalAveragePool()
            case .flatten: layer = Flatten()
            case .dense:
                guard shape.count == 2 else {
                    throw TrainingError("spec: layer \(index) (dense): input \(shape) is not flat (add 'flatten' or 'global_avgpool' first)")
                }
                let units = index == layers.count - 1 ? classes : (spec.units ?? 0)
                guard units > 0 else { throw TrainingError("spec: layer \(index) (dense): 'units' is required except on the last layer") }
                layer = Dense(inputs: shape[1], outputs: units, useBias: spec.bias ?? true, generator: &generator)
            case .dropout:
                layer = Dropout(rate: spec.rate!, seed: generator.next())
            }
            let next: [Int]
            do {
                next = try layer.outputShape(for: shape)
            } catch {
                throw TrainingError("spec: layer \(index) (\(spec.type.rawValue)): \(error.message)")
            }
            switch spec.type {
            case .conv2d:
                let conv = layer as! Conv2D
                macs += next[1] * next[2] * next[3] * conv.filterHeight * conv.filterWidth * conv.inputChannels
            case .depthwiseConv2d:
                let depthwise = layer as! DepthwiseConv2D
                macs += next[1] * next[2] * next[3] * depthwise.filterHeight * depthwise.filterWidth
            case .dense:
                macs += shape[1] * next[1]
            default: break
            }
            built.append(layer)
            shapes.append(next)
            shape = next
        }
        return Built(network: Sequential(built), macs: macs, shapes: shapes)
    }
}
