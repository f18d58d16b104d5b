#if canImport(Glibc)
import Glibc
#endif
import CurbAgent
import CurbGzip

/// The upload side of the spool: reads batches after the acknowledgement cursor, posts them gzip-compressed,
/// and moves the cursor only on the collector's 2xx. One ``step()`` is one decision; ``run(until:)`` loops
/// on a thread of its own beside the pipeline.
///
/// Answers: 2xx acknowledges the batch; 413 halves it (a single record that is still too large is
/// quarantined); 401/403 pause uploading with an alert, records staying in the spool; 408, 429 and 5xx
/// and no answer back off (exponential, full jitter, capped; `Retry-After` honoured); any other 4xx moves
/// the batch to `STATE/quarantine-reports.ndjson` (and logs it) rather than retrying forever.
public final class Uploader: @unchecked Sendable {
    /// What one step did, and how long to wait before the next.
    public enum Step: Sendable, Equatable {
        /// Nothing to send: wait until woken.
        case idle
        /// A batch was acknowledged (or quarantined): go on at once.
        case progressed
        /// Try again after this many nanoseconds.
        case retry(after: UInt64)
    }

    public let stateDirectory: String
    public let settings: UploadSettings
    private let reader: SpoolReader
    private let transport: HTTPTransport
    private let clock: UploadClock
    private var random: ErasedGenerator
    private let log: (String) -> Void
    private var cursor: SpoolPosition
    private var backoff: Backoff
    /// After a 413, the next batch carries at most this many records.
    private var splitLimit: Int?
    /// Pacing under `maximumBytesPerSecond`: when the last body went out (monotonic) and how long it
    /// takes at the allowed rate.
    private var lastSendStart: UInt64?
    private var lastSendInterval: UInt64 = 0
    private var mutex = pthread_mutex_t()
    private var statusStorage = UploadStatus()
    private var stopping = false

    public init(stateDirectory: String, settings: UploadSettings, transport: HTTPTransport, clock: UploadClock,
                random: any RandomNumberGenerator = SystemRandomNumberGenerator(), log: @escaping (String) -> Void = { _ in }) {
        self.stateDirectory = stateDirectory
        self.settings = settings
        reader = SpoolReader(directory: stateDirectory + "/records")
        self.transport = transport
        self.clock = clock
        self.random = ErasedGenerator(base: random)
        self.log = log
        cursor = AcknowledgementCursor.load(stateDirectory: stateDirectory)
        backoff = Backoff(baseNanoseconds: settings.initialBackoffNanoseconds, capNanoseconds: settings.maximumBackoffNanoseconds)
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// The position after the last acknowledged record.
    public var acknowledged: SpoolPosition { cursor }

    /// A copy of the status (any thread).
    public var status: UploadStatus {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return statusStorage
    }

    private func update(_ change: (inout UploadStatus) -> Void) {
        pthread_mutex_lock(&mutex)
        change(&statusStorage)
        pthread_mutex_unlock(&mutex)
    }

    /// The spool's shape when it was last found empty: segment numbers and the newest one's size. While it
    /// is unchanged there is nothing new, and the files are not read again (an idle uploader costs a stat).
    private var idleSignature: [Int]?

    private func spoolSignature() -> [Int] {
        let numbers = reader.segmentNumbers()
        guard let newest = numbers.last, let status = FileSystem.status(reader.path(newest)) else { return numbers }
        return numbers + [Int(status.st_size)]
    }

    /// Sends at most one batch.
    public func step() -> Step {
        let signature = spoolSignature()
        if signature == idleSignature { return .idle }
        let limit = splitLimit ?? settings.batchRecords
        let (found, skipTo) = reader.nextBatch(after: cursor, maximumRecords: max(1, limit), maximumBytes: settings.batchBytes)
        guard let batch = found else {
            if skipTo > cursor { try? advance(to: skipTo) }
            idleSignature = signature
            return .idle
        }
        idleSignature = nil
        var headers: [(String, String)] = [
            ("Content-Type", "application/x-ndjson"), ("Content-Encoding", "gzip"),
            ("Idempotency-Key", batch.idempotencyKey),
        ]
        if let token = settings.token { headers.append(("Authorization", "Bearer " + token)) }
        if let wait = pacingWait() { return .retry(after: wait) }
        let body = Gzip.compress(batch.body)
        notePacing(bodyBytes: body.count)
        let outcome = transport.post(url: settings.reportsURL, body: body, headers: headers)
        switch outcome {
        case .response(let status, _) where (200..<300).contains(status):
            do { try advance(to: batch.end) } catch {
                update { $0.lastError = "cannot store the upload cursor: \(error.message)" }
                return .retry(after: backoff.fail(using: &random))
            }
            backoff.reset()
            splitLimit = nil
            update {
                $0.acknowledged += batch.lines.count
                $0.authenticationRejected = false
                $0.lastError = nil
            }
            return .progressed
        case .response(413, _):
            if batch.lines.count > 1 {
                splitLimit = max(1, batch.lines.count / 2)
                return .progressed
            }
            return quarantine(batch, reason: "HTTP 413: one record larger than the collector accepts")
        case .response(let status, _) where status == 401 || status == 403:
            update {
                $0.authenticationRejected = true
                $0.lastError = "HTTP \(status): the collector rejected the credentials; uploading paused, records kept"
            }
            log("upload paused: HTTP \(status) (credentials rejected); records stay in the spool")
            return .retry(after: settings.authenticationPauseNanoseconds)
        case .response(let status, let retryAfter) where status == 408 || status == 429 || status >= 500:
            return failed("HTTP \(status)", retryAfterSeconds: retryAfter)
        case .response(let status, _):
            return quarantine(batch, reason: "HTTP \(status)")
        case .failure(let message):
            return failed(message, retryAfterSeconds: nil)
        }
    }

    /// How long to wait before the next body may go out, or nil to send now.
    private func pacingWait() -> UInt64? {
        guard settings.maximumBytesPerSecond > 0, let start = lastSendStart else { return nil }
        let now = clock.now()
        // A clock reading before the last send went backwards (never CLOCK_MONOTONIC, but an injected or
        // broken one): the elapsed time is unknown, so send rather than wait on it and stall.
        guard now >= start else { return nil }
        let elapsed = now - start
        return elapsed < lastSendInterval ? lastSendInterval - elapsed : nil
    }

    private func notePacing(bodyBytes: Int) {
        guard settings.maximumBytesPerSecond > 0 else { return }
        lastSendStart = clock.now()
        // Rounded up, so the average stays at or under the limit.
        let rate = UInt64(settings.maximumBytesPerSecond)
        let (product, overflow) = UInt64(bodyBytes).multipliedReportingOverflow(by: 1_000_000_000)
        lastSendInterval = overflow ? UInt64.max / 2 : (product + rate - 1) / rate
    }

    private func failed(_ message: String, retryAfterSeconds: Int?) -> Step {
        var wait = backoff.fail(using: &random)
        if let retryAfterSeconds, retryAfterSeconds >= 0 {
            // The collector said when: wait that long (capped), not less.
            wait = min(UInt64(retryAfterSeconds) * 1_000_000_000, settings.maximumRetryAfterNanoseconds)
        }
        update {
            $0.failedRequests += 1
            $0.lastError = message
        }
        return .retry(after: wait)
    }

    /// Appends the batch to the quarantine file (fsynced), then acknowledges it locally.
    private func quarantine(_ batch: UploadBatch, reason: String) -> Step {
        let path = stateDirectory + "/quarantine-reports.ndjson"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0, FileSystem.writeAll(descriptor, batch.body), fsync(descriptor) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            return failed("cannot write the quarantine file \(path): \(FileSystem.errnoText())", retryAfterSeconds: nil)
        }
        close(descriptor)
        do { try advance(to: batch.end) } catch {
            return failed("cannot store the upload cursor: \(error.message)", retryAfterSeconds: nil)
        }
        splitLimit = nil
        backoff.reset()
        update {
            $0.quarantined += batch.lines.count
            $0.lastError = "\(reason): \(batch.lines.count) records (seq \(batch.firstSequence)–\(batch.lastSequence)) moved to \(path)"
        }
        log("upload: \(reason); \(batch.lines.count) records (key \(batch.idempotencyKey)) moved to \(path)")
        return .progressed
    }

    private func advance(to position: SpoolPosition) throws(AgentError) {
        try AcknowledgementCursor.store(position, stateDirectory: stateDirectory)
        cursor = position
        reader.removeAcknowledged(before: position)
    }

    /// Loops until ``stop()``: sends while there is something, waits for new records when idle and for
    /// the backoff after a failure.
    public func run() {
        while !isStopping {
            switch step() {
            case .progressed: continue
            case .idle: clock.wait(nanoseconds: 1_000_000_000 * 30)
            case .retry(let after): clock.wait(nanoseconds: after)
            }
        }
    }

    private var isStopping: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return stopping
    }

    /// Asks ``run()`` to return (the caller wakes the clock).
    public func stop() {
        pthread_mutex_lock(&mutex)
        stopping = true
        pthread_mutex_unlock(&mutex)
    }
}

/// A concrete generator over any generator (the backoff's jitter source is injectable).
private struct ErasedGenerator: RandomNumberGenerator {
    var base: any RandomNumberGenerator
    mutating func next() -> UInt64 { base.next() }
}
