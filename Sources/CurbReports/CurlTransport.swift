import CCurl

/// The real transport: libcurl, HTTPS verified against the system trust store (or `caFile`), optional
/// client certificate and key (mTLS), proxy, connect and total timeouts.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    public var caFile: String?
    public var clientCertificate: String?
    public var clientKey: String?
    public var proxy: String?
    public var connectTimeoutMilliseconds = 10_000
    public var totalTimeoutMilliseconds = 60_000

    private static let globalSetup: Bool = curb_curl_global_init() == 0

    public init() {
        _ = Self.globalSetup
    }

    public func post(url: String, body: [UInt8], headers: [(String, String)]) -> TransportOutcome {
        let lines = headers.map { $0.0 + ": " + $0.1 }
        var cLines = lines.map { strdupOrDie($0) }
        defer { cLines.forEach { free($0) } }
        var result = curb_curl_result()
        let code: Int32 = withOptionalCString(caFile) { ca in
            withOptionalCString(clientCertificate) { certificate in
                withOptionalCString(clientKey) { key in
                    withOptionalCString(proxy) { proxyText in
                        var options = curb_curl_options(ca_file: ca, client_cert: certificate, client_key: key, proxy: proxyText,
                                                        connect_timeout_ms: connectTimeoutMilliseconds,
                                                        total_timeout_ms: totalTimeoutMilliseconds)
                        return cLines.withUnsafeMutableBufferPointer { headerBuffer in
                            headerBuffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: headerBuffer.count) { headerPointer in
                                body.withUnsafeBufferPointer { bodyBuffer in
                                    curb_curl_post(url, bodyBuffer.baseAddress, bodyBuffer.count, headerPointer, headerBuffer.count,
                                                   &options, &result)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard code == 0 else {
            let message = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return .failure(message)
        }
        return .response(status: result.status, retryAfterSeconds: result.retry_after_seconds >= 0 ? result.retry_after_seconds : nil)
    }
}

#if canImport(Glibc)
import Glibc
#endif

private func strdupOrDie(_ text: String) -> UnsafeMutablePointer<CChar>? {
    guard let copy = strdup(text) else { fatalError("out of memory") }
    return copy
}

private func withOptionalCString<Result>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
