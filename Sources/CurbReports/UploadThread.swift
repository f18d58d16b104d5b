#if canImport(Glibc)
import Glibc
#endif
import CurbAgent
import CurbJSON

/// The uploader on a thread of its own beside the agent's pipeline: blocks on a condition variable while
/// there is nothing to send (woken by each stored record), sleeps through backoff, stops on request.
public final class UploadThread: @unchecked Sendable {
    public let uploader: Uploader
    private let clock: SystemUploadClock
    private var thread: pthread_t?

    /// The uploader for `config` (nil when `upload_url` is empty).
    public init?(config: AgentConfig, stateDirectory: String, log: @escaping (String) -> Void) {
        guard !config.uploadURL.isEmpty else { return nil }
        var settings = UploadSettings(baseURL: config.uploadURL, token: config.uploadToken.isEmpty ? nil : config.uploadToken)
        settings.batchRecords = config.uploadBatchRecords
        settings.batchBytes = config.uploadBatchBytes
        settings.maximumBackoffNanoseconds = UInt64(config.uploadMaximumBackoffSeconds) * 1_000_000_000
        settings.initialBackoffNanoseconds = min(1_000_000_000, settings.maximumBackoffNanoseconds)
        settings.authenticationPauseNanoseconds = settings.maximumBackoffNanoseconds
        settings.maximumBytesPerSecond = config.uploadMaximumBytesPerSecond
        let transport = CurlTransport()
        transport.caFile = config.uploadCAFile.isEmpty ? nil : config.uploadCAFile
        transport.clientCertificate = config.uploadClientCertificate.isEmpty ? nil : config.uploadClientCertificate
        transport.clientKey = config.uploadClientKey.isEmpty ? nil : config.uploadClientKey
        transport.proxy = config.uploadProxy.isEmpty ? nil : config.uploadProxy
        transport.connectTimeoutMilliseconds = config.uploadConnectTimeoutSeconds * 1000
        transport.totalTimeoutMilliseconds = config.uploadTimeoutSeconds * 1000
        clock = SystemUploadClock()
        uploader = Uploader(stateDirectory: stateDirectory, settings: settings, transport: transport, clock: clock, log: log)
    }

    /// Starts the thread.
    public func start() {
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let created = pthread_create(&handle, nil, { argument in
            let owner = Unmanaged<UploadThread>.fromOpaque(argument!).takeRetainedValue()
            owner.uploader.run()
            return nil
        }, box.toOpaque())
        if created == 0 { thread = handle } else { box.release() }
    }

    /// New records are in the spool.
    public func wake() { clock.wake() }

    /// Stops the thread (after the request in flight, if any) and waits for it.
    public func stop() {
        uploader.stop()
        clock.wake()
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    /// Members for the health record: counts, and an alert while the collector rejects the credentials.
    public func healthMembers() -> [(String, JSON)] {
        let status = uploader.status
        var members: [(String, JSON)] = [
            ("upload_acknowledged", .int(status.acknowledged)), ("upload_failed_requests", .int(status.failedRequests)),
            ("upload_quarantined", .int(status.quarantined)),
            ("upload_error", status.lastError.map { .string($0) } ?? .null),
        ]
        if status.authenticationRejected {
            members.append(("alert", .string("upload paused: the collector rejected the credentials (401/403)")))
        }
        return members
    }
}
