import CurbToolSupport
import CurbModel
import CurbRuntime
import CurbJSON

/// What `inspect` reports about a model, as text for people and as JSON for scripts.
struct ModelSummary {
    let model: Model
    let fileBytes: Int
    let macsPerOperator: [Int]
    let scratchBytes: Int
    /// The kernels the scratch is sized for (`automatic` names this CPU's instruction set).
    let kernels: KernelSelection

    init(model: Model, fileBytes: Int, kernels: KernelSelection = .automatic) {
        self.model = model
        self.fileBytes = fileBytes
        self.kernels = kernels
        macsPerOperator = model.operators.map { OperatorCost.multiplyAccumulates(of: $0, tensors: model.tensors) }
        // The fast kernels' scratch on one thread (each further thread adds its own small buffers). Packed
        // layouts differ by instruction set, so the figure is this CPU's unless `kernels` names one.
        scratchBytes = Interpreter.scratchBytes(for: model, threads: 1, kernels: kernels)
    }

    var totalMACs: Int { macsPerOperator.reduce(0, +) }
    var arenaBytes: Int { model.plan.size + scratchBytes }

    // MARK: JSON

    var json: JSON {
        .object([
            ("name", .string(model.metadata.name)),
            ("version", .string(model.metadata.version)),
            ("inputs", .array(model.inputs.map { tensorJSON(Int($0)) })),
            ("outputs", .array(model.outputs.map { tensorJSON(Int($0)) })),
            ("labels", .array(model.metadata.labels.map { .string($0) })),
            ("ops", .array(model.operators.enumerated().map { index, op in
                .object([
                    ("index", .int(index)),
                    ("kind", .string(op.kind.name)),
                    ("inputs", .array(op.inputs.map { .int(Int($0)) })),
                    ("outputs", .array(op.outputs.map { .int(Int($0)) })),
                    ("output_shape", .array(model.tensors[Int(op.outputs[0])].shape.dimensions.map { .int($0) })),
                    ("macs", .int(macsPerOperator[index])),
                ])
            })),
            ("macs", .int(totalMACs)),
            ("parameter_bytes", .int(model.parameterBytes)),
            ("arena_bytes", .int(arenaBytes)),
            ("arena", .object([
                ("activation_bytes", .int(model.plan.size)),
                ("scratch_bytes", .int(scratchBytes)),
            ])),
            ("kernels", .string(kernels.name)),
            ("file_bytes", .int(fileBytes)),
            ("preprocessing", preprocessingJSON),
            ("provenance", .object(model.metadata.provenance.map { ($0.key, .string($0.value)) })),
        ])
    }

    private func tensorJSON(_ index: Int) -> JSON {
        let tensor = model.tensors[index]
        var members: [(String, JSON)] = [
            ("name", .string(tensor.name)),
            ("shape", .array(tensor.shape.dimensions.map { .int($0) })),
            ("dtype", .string(tensor.type.description)),
        ]
        if let quantization = tensor.quantization {
            members.append(("scale", .double(Double(quantization.scale))))
            members.append(("zero_point", .int(Int(quantization.zeroPoint))))
        }
        return .object(members)
    }

    private var preprocessingJSON: JSON {
        guard let recipe = model.metadata.preprocessing else { return .null }
        return .object([
            ("color_order", .string(String(describing: recipe.colorOrder))),
            ("resize", .string(String(describing: recipe.resizeMode))),
            ("interpolation", .string(String(describing: recipe.interpolation))),
            ("mean", .array(recipe.mean.map { .double(Double($0)) })),
            ("std", .array(recipe.standardDeviation.map { .double(Double($0)) })),
        ])
    }

    // MARK: Text

    var text: String {
        var out = ""
        out += "model        \(model.metadata.name) (version \(model.metadata.version))\n"
        for index in model.inputs { out += "input        \(tensorLine(Int(index)))\n" }
        for index in model.outputs { out += "output       \(tensorLine(Int(index)))\n" }
        if !model.metadata.labels.isEmpty {
            out += "labels       \(model.metadata.labels.joined(separator: ", "))\n"
        }
        if let recipe = model.metadata.preprocessing {
            out += "preprocess   \(recipe.colorOrder), \(recipe.resizeMode) (\(recipe.interpolation)), mean \(recipe.mean), std \(recipe.standardDeviation)\n"
        }
        for entry in model.metadata.provenance { out += "\(pad(entry.key, 12)) \(entry.value)\n" }
        out += "\n  #  operator            output shape          MACs\n"
        for (index, op) in model.operators.enumerated() {
            let shape = model.tensors[Int(op.outputs[0])].shape.description
            out += "\(pad(String(index), 3, right: true))  \(pad(op.kind.name, 18))  \(pad(shape, 18))  \(pad(grouped(macsPerOperator[index]), 12, right: true))\n"
        }
        out += "\n"
        out += "MACs              \(grouped(totalMACs))\n"
        out += "parameter bytes   \(grouped(model.parameterBytes))\n"
        out += "arena bytes       \(grouped(arenaBytes))  (activations \(grouped(model.plan.size)) + scratch \(grouped(scratchBytes)) for the \(kernels.name) kernels)\n"
        out += "file bytes        \(grouped(fileBytes))\n"
        out += "\n" + arenaMap
        return out
    }

    private func tensorLine(_ index: Int) -> String {
        let tensor = model.tensors[index]
        var line = "\(tensor.name) \(tensor.shape) \(tensor.type)"
        if let quantization = tensor.quantization {
            line += " scale \(quantization.scale) zero point \(quantization.zeroPoint)"
        }
        return line
    }

    /// One row per operator step, 64 columns across the arena; a letter marks the tensor alive in that span.
    var arenaMap: String {
        let width = 64
        let size = max(model.plan.size, 1)
        let lifetimes = TensorLifetimes(tensors: model.tensors, operators: model.operators, inputs: model.inputs,
                                        outputs: model.outputs)
        let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var out = "arena plan (\(grouped(model.plan.size)) bytes, one column = \(grouped((size + width - 1) / width)) bytes)\n"
        for step in model.operators.indices {
            var row = [Character](repeating: ".", count: width)
            for (bufferIndex, buffer) in lifetimes.buffers.enumerated()
            where buffer.firstStep <= step && step <= buffer.lastStep {
                let offset = model.plan.offsets[buffer.tensors[0]]
                guard offset >= 0, buffer.byteCount > 0 else { continue }
                let first = offset * width / size
                let last = min(width - 1, (offset + buffer.byteCount - 1) * width / size)
                for column in first...last { row[column] = symbols[bufferIndex % symbols.count] }
            }
            out += "\(pad(String(step), 3, right: true)) |\(String(row))| \(model.operators[step].kind.name)\n"
        }
        return out
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    private func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }
}
