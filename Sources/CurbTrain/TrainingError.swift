/// A failure the trainer reports to a person: impossible layer shapes, unusable data folders, and the
/// like. `message` is one complete sentence fragment, e.g. "conv 3: input has 4 channels, expected 3".
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
