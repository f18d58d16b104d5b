#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd how the agent is (`sd_notify` without libsystemd): one datagram of `KEY=value` lines to
/// the unix socket named by `NOTIFY_SOCKET` (a leading `@` is Linux's abstract namespace). Does nothing
/// when the variable is unset (run by hand, or by a unit that is not Type=notify).
public final class SystemdNotifier {
    private let socketDescriptor: Int32
    private var address = sockaddr_un()
    private var addressLength: socklen_t = 0
    /// Half of systemd's watchdog timeout (`WATCHDOG_USEC`), or nil without a watchdog.
    public let watchdogIntervalNanoseconds: UInt64?

    public init() {
        var interval: UInt64?
        if let text = FileSystem.environment("WATCHDOG_USEC"), let microseconds = UInt64(text), microseconds > 0 {
            let pidMatches = FileSystem.environment("WATCHDOG_PID").map { Int32($0) == getpid() } ?? true
            if pidMatches { interval = microseconds * 1000 / 2 }
        }
        watchdogIntervalNanoseconds = interval
        guard let path = FileSystem.environment("NOTIFY_SOCKET"), path.utf8.count >= 2,
              path.hasPrefix("/") || path.hasPrefix("@") else {
            socketDescriptor = -1
            return
        }
        var bytes = Array(path.utf8)
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            socketDescriptor = -1
            return
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        socketDescriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    deinit { if socketDescriptor >= 0 { close(socketDescriptor) } }

    /// Whether notifications go anywhere.
    public var isEnabled: Bool { socketDescriptor >= 0 }

    /// Sends `text` (e.g. `"READY=1\nSTATUS=watching"`); failures are ignored (systemd may be gone).
    public func notify(_ text: String) {
        guard socketDescriptor >= 0 else { return }
        let bytes = Array(text.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { sendto(socketDescriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, addressLength) }
            }
        }
    }
}
