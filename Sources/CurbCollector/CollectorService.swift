import CurbGzip
import Foundation
import Hummingbird

/// The collector's HTTP routes over a ``ReportStorage``.
public enum CollectorService {
    public struct Settings: Sendable {
        public var token: String?
        /// Largest accepted body, compressed or not (413 beyond).
        public var maximumBodyBytes = 8 << 20

        public init(token: String? = nil) { self.token = token }
    }

    public static func router(storage: any ReportStorage, settings: Settings) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ -> Response in json(.ok, ["status": "ok"]) }
        router.post("v1/reports") { request, _ -> Response in
            guard authorized(request, settings) else { return json(.unauthorized, ["error": "unknown token"]) }
            var request = request
            let buffer: ByteBuffer
            do { buffer = try await request.collectBody(upTo: settings.maximumBodyBytes) } catch {
                return json(.contentTooLarge, ["error": "body larger than \(settings.maximumBodyBytes) bytes"])
            }
            var bytes = Array(buffer.readableBytesView)
            if let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" {
                guard encoding == "gzip" else { return json(.unsupportedMediaType, ["error": "unsupported Content-Encoding \(encoding)"]) }
                switch Gzip.inflate(bytes, limit: settings.maximumBodyBytes) {
                case .bytes(let plain): bytes = plain
                case .damaged: return json(.badRequest, ["error": "damaged gzip body"])
                case .tooLarge: return json(.contentTooLarge, ["error": "body larger than \(settings.maximumBodyBytes) bytes uncompressed"])
                }
            }
            switch ReportBody.parse(bytes) {
            case .failure(let bad):
                return json(.badRequest, ["error": bad.message, "line": bad.line])
            case .success(let records):
                let counts = try storage.insert(records, receivedAt: Int(Date().timeIntervalSince1970))
                return json(.ok, ["received": records.count, "stored": counts.inserted, "duplicates": counts.duplicates])
            }
        }
        router.get("v1/summary") { request, _ -> Response in
            guard authorized(request, settings) else { return json(.unauthorized, ["error": "unknown token"]) }
            let summary = try storage.summary()
            return json(.ok, [
                "records": summary.records,
                "devices": summary.devices.map { ["device": $0.device, "records": $0.records, "last_seen": $0.lastSeen] as [String: Any] },
                "labels": Dictionary(uniqueKeysWithValues: summary.labels.map { ($0.label, $0.count) }),
            ])
        }
        router.get("v1/records") { request, _ -> Response in
            guard authorized(request, settings) else { return json(.unauthorized, ["error": "unknown token"]) }
            let query = request.uri.queryParameters
            let device = query.get("device").flatMap { $0.isEmpty ? nil : $0 }
            let since = query.get("since").flatMap { Int($0) }
            let limit = min(max(query.get("limit").flatMap { Int($0) } ?? 1000, 1), 100_000)
            let lines = try storage.lines(device: device, since: since, limit: limit)
            // The stored lines are the JSON objects as sent: join them into an array unchanged.
            let body = "[" + lines.joined(separator: ",") + "]"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return router
    }

    private static func authorized(_ request: Request, _ settings: Settings) -> Bool {
        guard let token = settings.token else { return true }
        return request.headers[.authorization] == "Bearer " + token
    }

    private static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
