/// A failure of the agent, printed in one line: what and where (the file), and the reason.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    public var file: String?
    public var message: String

    public init(file: String? = nil, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String {
        if let file { return "\(file): \(message)" }
        return message
    }
}
