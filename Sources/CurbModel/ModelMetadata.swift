/// Everything about a model that is not its computation: enough to write a model card from the file alone.
public struct ModelMetadata: Sendable, Equatable {
    public var name: String
    public var version: String
    /// One label per output class, in output order (may be empty for non-classifiers).
    public var labels: [String]
    /// How frames become the input tensor (nil for models that do not take images).
    public var preprocessing: PreprocessingRecipe?
    /// Ordered key/value facts: `dataset`, `licence`, `credit`, `accuracy`, `source`, `created_by`, …
    public var provenance: [Entry]

    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(name: String, version: String = "1", labels: [String] = [], preprocessing: PreprocessingRecipe? = nil,
                provenance: [Entry] = []) {
        self.name = name
        self.version = version
        self.labels = labels
        self.preprocessing = preprocessing
        self.provenance = provenance
    }

    /// The first provenance value for `key`.
    public func provenance(_ key: String) -> String? {
        provenance.first { $0.key == key }?.value
    }
}
