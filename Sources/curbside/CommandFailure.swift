/// A failure the command reports in one line and turns into an exit code (2: usage, invalid model or input).
struct CommandFailure: Error, CustomStringConvertible {
    var file: String?
    var message: String
    var exitCode: Int32 = 2

    init(file: String? = nil, _ message: String, exitCode: Int32 = 2) {
        self.file = file
        self.message = message
        self.exitCode = exitCode
    }

    var description: String {
        if let file { return "\(file): \(message)" }
        return message
    }
}
