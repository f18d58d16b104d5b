#if canImport(Glibc)
import Glibc
#endif

/// The uploader's time: monotonic now, and a wait that new records or a stop can cut short. Injectable so
/// backoff is tested without sleeping.
public protocol UploadClock: AnyObject {
    /// Monotonic nanoseconds.
    func now() -> UInt64
    /// Waits up to `nanoseconds` (nil: until woken); returns early when woken.
    func wait(nanoseconds: UInt64?)
}

/// The real clock: CLOCK_MONOTONIC and a condition variable, so an idle uploader uses no CPU.
public final class SystemUploadClock: UploadClock, @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var woken = false

    public init() {
        pthread_mutex_init(&mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(&condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    public func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    public func wait(nanoseconds: UInt64?) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let nanoseconds {
            let deadline = now() &+ nanoseconds
            var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            while !woken {
                if pthread_cond_timedwait(&condition, &mutex, &time) == ETIMEDOUT { break }
            }
        } else {
            while !woken { pthread_cond_wait(&condition, &mutex) }
        }
        woken = false
    }

    /// Ends the current or next wait (new records were stored, or the agent stops).
    public func wake() {
        pthread_mutex_lock(&mutex)
        woken = true
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }
}
