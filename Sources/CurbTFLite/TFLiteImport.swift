import CurbModel

/// The result of importing a `.tflite` model: the `.curb` model and how its tensors relate to TFLite's.
public struct TFLiteImport: Sendable {
    /// The imported model (validated).
    public var model: Model
    /// TFLite tensor index → `.curb` tensor index, for every TFLite tensor that became a `.curb` tensor
    /// (folded shape arithmetic and the inside of a folded dilated convolution have no counterpart).
    public var tensorIndices: [Int: Int]
    /// `.curb` operator index → the TFLite operator it came from.
    public var sourceOperators: [Int]
    /// Things the caller may want to tell the user (a label file that did not match, a recipe guess).
    public var notes: [String]

    public init(model: Model, tensorIndices: [Int: Int], sourceOperators: [Int], notes: [String]) {
        self.model = model
        self.tensorIndices = tensorIndices
        self.sourceOperators = sourceOperators
        self.notes = notes
    }
}
