/// Why an image could not be decoded or preprocessed, in one line.
///
/// `description` is `"<file>: <cause>"` when the file is known (``inFile(_:)``), otherwise just the
/// cause, e.g. `"frames/c12.jpg: dimensions 65000x65000 exceed the 50 MP limit"`.
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure; callers branch on this, people read ``cause``.
    public enum Kind: Sendable, Equatable {
        /// The file has no bytes.
        case emptyFile
        /// The file is larger than ``DecodeLimits/maximumFileBytes``.
        case fileTooLarge
        /// Neither JPEG nor PNG magic bytes.
        case unknownFormat
        /// The header declares more pixels than ``DecodeLimits/maximumPixels``.
        case tooManyPixels
        /// libjpeg or libpng refused the data (corrupt, truncated, unsupported).
        case corruptData
        /// A caller-supplied argument is unusable (region of interest, recipe, tensor description).
        case invalidArgument
    }

    public var kind: Kind
    /// The cause without the file name.
    public var cause: String
    /// The file the bytes came from, when known.
    public var file: String?

    public init(_ kind: Kind, _ cause: String, file: String? = nil) {
        self.kind = kind
        self.cause = cause
        self.file = file
    }

    /// The same error, naming `path` as its file.
    public func inFile(_ path: String) -> ImageError {
        ImageError(kind, cause, file: path)
    }

    public var description: String {
        guard let file else { return cause }
        return file + ": " + cause
    }
}
