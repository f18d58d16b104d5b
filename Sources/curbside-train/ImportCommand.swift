import ArgumentParser
import CurbModel
import CurbTFLite
import CurbToolSupport

/// `curbside-train import MODEL.tflite --out MODEL.curb [--labels FILE] [--name NAME] [recipe options]`
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a TFLite int8 model into a .curb file (bit-exact with LiteRT's reference kernels).",
        discussion: """
            Defaults: labels from the label file appended to the .tflite (TFLite metadata) when its count matches \
            the output classes, else class_0…class_N-1; recipe stretch, RGB, bilinear, pixels 0…255 mapped onto \
            the real range of the int8 input. See docs/tflite-import.md.
            """)

    /// The largest `.tflite` read (the file is read whole).
    static let maximumFileBytes = 1 << 30

    @Argument(help: "The .tflite model (int8).")
    var model: String

    @Option(help: "The .curb file to write.")
    var out: String

    @Option(help: "A text file with one label per line (overrides the labels in the .tflite).")
    var labels: String?

    @Option(help: "The model's name (default: the file name without its extension).")
    var name: String?

    @Option(help: "Colour order of the input: rgb or bgr.", transform: ImportCommand.colorOrder)
    var colorOrder: PreprocessingRecipe.ColorOrder = .rgb

    @Option(help: "How a frame fits the input: stretch, center-crop or letterbox.", transform: ImportCommand.resizeMode)
    var resize: PreprocessingRecipe.ResizeMode = .stretch

    @Option(help: "Resampling: bilinear or area.", transform: ImportCommand.interpolation)
    var interpolation: PreprocessingRecipe.Interpolation = .bilinear

    @Option(help: "Per-channel means on the 0…255 scale, a,b,c (with --std: real = (pixel − mean) / std).",
            transform: ImportCommand.triple)
    var mean: [Float]?

    @Option(help: "Per-channel standard deviations on the 0…255 scale, a,b,c.", transform: ImportCommand.triple)
    var std: [Float]?

    func validate() throws {
        guard (mean == nil) == (std == nil) else { throw ValidationError("--mean and --std go together") }
        if let std, !std.allSatisfy({ $0 > 0 }) { throw ValidationError("--std values must be positive") }
    }

    func run() throws {
        let bytes = try FileBytes.read(model, limit: Self.maximumFileBytes)
        var options = TFLiteImportOptions(name: name ?? Self.stem(of: model), sourceFileName: Self.fileName(of: model))
        if let labels { options.labels = try Self.readLabels(labels) }
        options.colorOrder = colorOrder
        options.resizeMode = resize
        options.interpolation = interpolation
        options.mean = mean
        options.standardDeviation = std
        let imported: TFLiteImport
        do {
            imported = try bytes.withUnsafeBytes { raw throws(CommandFailure) in
                let source: TFLiteModel
                do { source = try TFLiteReader.read(raw) } catch { throw CommandFailure(file: model, "invalid .tflite: \(error)") }
                do {
                    return try TFLiteImporter.importModel(source, fileBytes: raw, options: options)
                } catch {
                    throw CommandFailure(file: model, "cannot import: \(error)")
                }
            }
        }
        let file: [UInt8]
        do { file = try ModelWriter.write(imported.model) } catch { throw CommandFailure(file: out, "cannot write: \(error)") }
        try FileBytes.write(file, to: out)
        for note in imported.notes { printError("curbside-train: note: \(note)") }
        let summary = imported.model
        print("\(out): \(summary.operators.count) operators, \(summary.tensors.count) tensors, arena \(summary.plan.size) bytes, \(file.count) bytes written")
    }

    static func readLabels(_ path: String) throws(CommandFailure) -> [String] {
        let bytes = try FileBytes.read(path, limit: 16 << 20)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CommandFailure(file: path, "is not UTF-8 text") }
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func fileName(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }

    /// `dir/mobilenet.int8.tflite` → `mobilenet.int8`.
    static func stem(of path: String) -> String {
        let name = fileName(of: path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    static func colorOrder(_ text: String) throws -> PreprocessingRecipe.ColorOrder {
        switch text {
        case "rgb": .rgb
        case "bgr": .bgr
        default: throw ValidationError("--color-order must be rgb or bgr, not '\(text)'")
        }
    }

    static func resizeMode(_ text: String) throws -> PreprocessingRecipe.ResizeMode {
        switch text {
        case "stretch": .stretch
        case "center-crop": .centerCrop
        case "letterbox": .letterbox
        default: throw ValidationError("--resize must be stretch, center-crop or letterbox, not '\(text)'")
        }
    }

    static func interpolation(_ text: String) throws -> PreprocessingRecipe.Interpolation {
        switch text {
        case "bilinear": .bilinear
        case "area": .area
        default: throw ValidationError("--interpolation must be bilinear or area, not '\(text)'")
        }
    }

    static func triple(_ text: String) throws -> [Float] {
        let values = text.split(separator: ",").compactMap { Float($0.trimmingPrefix(" ")) }
        guard values.count == 3, values.allSatisfy(\.isFinite), text.split(separator: ",").count == 3 else {
            throw ValidationError("expected three numbers a,b,c, not '\(text)'")
        }
        return values
    }
}
