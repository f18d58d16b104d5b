/// A failure the command reports in one line and turns into an exit code (2: usage, invalid model or input).
public struct CommandFailure: Error, CustomStringConvertible {
    public var file: String?
    public var message: String
    public var exitCode: Int32 = 2

    public init(file: String? = nil, _ message: String, exitCode: Int32 = 2) {
        self.file = file
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String {
        if let file { return "\(file): \(message)" }
        return message
    }
}
