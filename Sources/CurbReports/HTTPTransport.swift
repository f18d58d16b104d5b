/// One POST's outcome as the uploader sees it.
public enum TransportOutcome: Sendable, Equatable {
    /// The collector answered with `status`; `retryAfterSeconds` from a `Retry-After` header (seconds form).
    case response(status: Int, retryAfterSeconds: Int?)
    /// No answer: connection refused or reset, timeout, TLS failure (the message says which).
    case failure(String)
}

/// Sends one request body. Injectable so the upload logic is tested without a network.
public protocol HTTPTransport: AnyObject {
    /// POSTs `body` to `url` with `headers` (name, value) and returns what came back.
    func post(url: String, body: [UInt8], headers: [(String, String)]) -> TransportOutcome
}
