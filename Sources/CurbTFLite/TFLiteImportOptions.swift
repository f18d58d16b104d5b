import CurbModel

/// What the caller decides about an import; every field has a documented default (`docs/tflite-import.md`).
public struct TFLiteImportOptions: Sendable {
    /// The model's name (the CLI passes the file stem); `model` when nil.
    public var name: String?
    /// Class labels; when nil, the label file appended to the `.tflite` (TFLite metadata) if its line count
    /// matches the output classes, else `class_0 … class_N-1`.
    public var labels: [String]?
    /// The `.tflite` file name, recorded as provenance `source`.
    public var sourceFileName: String?
    /// Colour order of the recipe (default RGB).
    public var colorOrder: PreprocessingRecipe.ColorOrder = .rgb
    /// Resize mode of the recipe (default stretch).
    public var resizeMode: PreprocessingRecipe.ResizeMode = .stretch
    /// Interpolation of the recipe (default bilinear).
    public var interpolation: PreprocessingRecipe.Interpolation = .bilinear
    /// Pixel mapping `(p − mean) / std` per channel; when nil, derived from the input tensor's quantization
    /// (0…255 onto the real range the int8 input can represent).
    public var mean: [Float]?
    /// See ``mean``; both or neither.
    public var standardDeviation: [Float]?

    public init(name: String? = nil, labels: [String]? = nil, sourceFileName: String? = nil) {
        self.name = name
        self.labels = labels
        self.sourceFileName = sourceFileName
    }
}
