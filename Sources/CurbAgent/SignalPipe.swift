import CAgentSystem
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM, SIGINT and SIGHUP as bytes on a pipe (the handler, in C, only writes the signal's number), so
/// the agent's loop sees them through `poll` between frames: the frame in hand is always finished.
public final class SignalPipe {
    public let descriptor: Int32

    public init() throws(AgentError) {
        descriptor = curb_signal_pipe_install()
        guard descriptor >= 0 else { throw AgentError("cannot install signal handlers: \(FileSystem.errnoText())") }
    }

    /// The signals received since the last call (without blocking).
    public func take() -> [Int32] {
        var signals: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return signals }
            signals += buffer[0..<count].map { Int32($0) }
        }
    }
}
