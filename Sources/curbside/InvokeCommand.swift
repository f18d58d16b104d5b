import CurbToolSupport
import ArgumentParser
import CurbModel
import CurbNumpy
import CurbRuntime

/// `curbside invoke MODEL --input X.npy --output Y.npy`
struct InvokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke",
        abstract: "Run a model on a NumPy .npy tensor and write its raw output as .npy.",
        discussion: """
            The input is int8, or float32 quantized with the model input's scale and zero point (round half away \
            from zero, as TFLite's QUANTIZE). Its shape is the model input's shape, or that shape with a leading 1 \
            replaced by N to run N inferences; the output then has N as its first dimension. A model with several \
            outputs writes output k (k ≥ 1) next to the first as Y.k.npy.
            """)

    @Argument(help: "The .curb model file.")
    var model: String

    @Option(help: "The input tensor (.npy, int8 or float32).")
    var input: String

    @Option(help: "Where to write the output tensor (.npy).")
    var output: String

    @Option(help: "Threads for the fast kernels (default: the number of online processors).")
    var threads: Int?

    @Flag(help: "Skip only the CRC-32 check of the model file.")
    var ignoreChecksum = false

    func validate() throws {
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads must be in 1...256") }
    }

    func run() throws {
        let (model, _) = try ModelLoading.read(self.model, verifyChecksum: !ignoreChecksum)
        guard model.inputs.count == 1 else {
            throw CommandFailure(file: self.model, "has \(model.inputs.count) inputs; invoke feeds single-input models")
        }
        let array: NumpyArray
        do {
            array = try NumpyArray(decoding: try FileBytes.read(input, limit: NumpyArray.maximumDataBytes + (1 << 20)))
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(file: input, "invalid .npy: \(error)")
        }
        let interpreter = try ModelLoading.interpreter(for: model, path: self.model,
                                                       threads: threads ?? Interpreter.defaultThreads)
        let inputView = interpreter.input()
        let batches = try Self.batchCount(of: array, for: inputView, path: input)
        let feeder = try InputFeeder(array: array, view: inputView, path: input)

        var outputs: [[UInt8]] = model.outputs.map { _ in [] }
        for batch in 0..<batches {
            feeder.copy(batch: batch)
            interpreter.invoke()
            for position in model.outputs.indices {
                let view = interpreter.output(position)
                outputs[position].append(contentsOf: UnsafeRawBufferPointer(start: view.data, count: view.byteCount))
            }
        }
        for position in model.outputs.indices {
            let view = interpreter.output(position)
            var shape = view.shape.dimensions
            if batches > 1, !shape.isEmpty { shape[0] *= batches }
            let type: NumpyArray.ElementType = switch view.type {
            case .int8: .int8
            case .int32: .int32
            case .float32: .float32
            }
            let path = position == 0 ? output : Self.sibling(of: output, index: position)
            try FileBytes.write(NumpyArray(type: type, shape: shape, bytes: outputs[position]).encoded(), to: path)
        }
    }

    /// How many inferences the array holds: 1 for the input's exact shape, N for `[N, rest…]` when the input's
    /// first dimension is 1.
    static func batchCount(of array: NumpyArray, for view: TensorView, path: String) throws(CommandFailure) -> Int {
        let expected = view.shape.dimensions
        if array.shape == expected { return 1 }
        if expected.first == 1, array.shape.count == expected.count, Array(array.shape.dropFirst()) == Array(expected.dropFirst()),
           let first = array.shape.first, first >= 1 {
            return first
        }
        let alternative = expected.first == 1 ? " or [N, \(expected.dropFirst().map(String.init).joined(separator: ", "))]" : ""
        throw CommandFailure(file: path, "shape \(array.shape) does not match the model input \(expected)\(alternative)")
    }

    /// `out.npy` → `out.1.npy`
    static func sibling(of path: String, index: Int) -> String {
        if path.hasSuffix(".npy") { return String(path.dropLast(4)) + ".\(index).npy" }
        return path + ".\(index)"
    }
}

/// Copies one batch of a `.npy` array into the interpreter's input, quantizing float32 when the input is int8.
struct InputFeeder {
    let array: NumpyArray
    let view: TensorView

    init(array: NumpyArray, view: TensorView, path: String) throws(CommandFailure) {
        switch (array.type, view.type) {
        case (.int8, .int8), (.float32, .float32), (.float32, .int8), (.int32, .int32):
            break
        default:
            throw CommandFailure(file: path, "dtype \(array.type.rawValue) cannot feed a \(view.type) model input (use int8 or float32)")
        }
        self.array = array
        self.view = view
    }

    func copy(batch: Int) {
        let count = view.elementCount
        array.bytes.withUnsafeBytes { raw in
            if array.type == .float32 && view.type == .int8 {
                let source = raw.baseAddress!.assumingMemoryBound(to: Float.self) + batch * count
                for index in 0..<count {
                    let quantized = QuantizationMath.quantize(Float(littleEndianBits: source[index]), scale: view.scale,
                                                              zeroPoint: view.zeroPoint)
                    view.int8[index] = Int8(clamping: quantized)
                }
            } else {
                let width = view.type.byteWidth
                view.data.copyMemory(from: raw.baseAddress! + batch * count * width, byteCount: count * width)
            }
        }
    }
}

extension Float {
    /// A float stored little-endian (the only order `.npy` files here use; a no-op on our targets).
    init(littleEndianBits value: Float) {
        self = Float(bitPattern: UInt32(littleEndian: value.bitPattern))
    }
}
