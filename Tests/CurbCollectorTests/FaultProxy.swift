import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP proxy in front of the collector that injects one fault per connection from a cycle:
/// forward, answer 500, 503 with Retry-After, 429, hang past the client's timeout, reset the connection,
/// or forward and then drop the collector's answer (the batch is stored, the agent never hears so).
final class FaultProxy: @unchecked Sendable {
    enum Fault: Sendable { case forward, status500, status503RetryAfter, status429, hang, reset, dropResponse }

    private(set) var port = 0
    private let listener: Int32
    private let upstreamPort: Int
    private let lock = NSLock()
    private var faults: [Fault]
    private var next = 0
    private var counts: [String: Int] = [:]

    init(upstreamPort: Int, faults: [Fault]) throws {
        self.upstreamPort = upstreamPort
        self.faults = faults
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(listener, 64) == 0 else { throw CollectorError(message: "proxy cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let boundPort = Int(UInt16(bigEndian: address.sin_port))
        port = boundPort
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// How often each fault was injected.
    var injected: [String: Int] { lock.lock(); defer { lock.unlock() }; return counts }

    /// From now on every connection is forwarded.
    func heal() { lock.lock(); faults = [.forward]; next = 0; lock.unlock() }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            lock.lock()
            let fault = faults[next % faults.count]
            next += 1
            counts["\(fault)", default: 0] += 1
            lock.unlock()
            Thread { [self] in handle(client, fault) }.start()
        }
    }

    /// Reads one HTTP request or response (headers + Content-Length body).
    private static func readMessage(_ descriptor: Int32) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var expected: Int?
        while true {
            if let expected, data.count >= expected { return data }
            let count = read(descriptor, &buffer, buffer.count)
            if count <= 0 { return expected == nil && data.isEmpty ? nil : data }
            data += buffer[0..<count]
            if expected == nil, let end = find(data, Array("\r\n\r\n".utf8)) {
                let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
                var length = 0
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                expected = end + 4 + length
            }
        }
    }

    private static func find(_ data: [UInt8], _ pattern: [UInt8]) -> Int? {
        guard data.count >= pattern.count else { return nil }
        for index in 0...(data.count - pattern.count) where data[index..<index + pattern.count].elementsEqual(pattern) { return index }
        return nil
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            offset += count
        }
    }

    private func forward(_ request: [UInt8]) -> [UInt8]? {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(upstreamPort).bigEndian
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { return nil }
        Self.writeAll(upstream, request)
        return Self.readMessage(upstream)
    }

    private func handle(_ client: Int32, _ fault: Fault) {
        defer { close(client) }
        guard var request = Self.readMessage(client) else { return }
        // One request per connection: ask the collector to close, so the answer ends the exchange.
        if let end = Self.find(request, Array("\r\n\r\n".utf8)) {
            request.insert(contentsOf: Array("\r\nConnection: close".utf8), at: end)
        }
        func answer(_ status: String, _ extra: String = "") {
            Self.writeAll(client, Array("HTTP/1.1 \(status)\r\nContent-Length: 0\r\nConnection: close\r\n\(extra)\r\n".utf8))
        }
        switch fault {
        case .forward:
            if let response = forward(request) { Self.writeAll(client, response) }
        case .status500: answer("500 Internal Server Error")
        case .status503RetryAfter: answer("503 Service Unavailable", "Retry-After: 1\r\n")
        case .status429: answer("429 Too Many Requests")
        case .hang: sleep(4)
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        case .dropResponse: _ = forward(request)
        }
    }
}
