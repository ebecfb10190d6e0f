import Foundation
import ServiceLifecycle
import Synchronization
import Topology

/// What this node publishes on `probe-share`: the latest result of each probe it ran, stamped
/// with a sequence number, and a long poll over them. A reader asks for what was recorded
/// after the sequence it last saw; with nothing newer the request waits up to its limit for
/// the next recording (woken at once, no polling).
package final class ProbeFeed: Sendable {
    private struct State {
        /// Each result in its wire form, encoded once when recorded (every peer reads it).
        var buffer = SequencedLatest<InstanceKey, Data>()
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        var isClosed = false
    }

    /// Names this process's life of the feed: sequence numbers restart with it.
    package let epoch = UUID().uuidString.lowercased()
    private let state = Mutex(State())

    package init() {}

    /// Publishes one of this node's own probe results and wakes every waiting reader. Throws
    /// when the result cannot be encoded (nothing is published then).
    package func record(_ result: SharedProbeResult) throws {
        let encoded = try result.encoded()
        let woken = state.withLock { state in
            state.buffer.record(encoded, for: result.key)
            let waiters = state.waiters.values
            state.waiters.removeAll()
            return Array(waiters)
        }
        for waiter in woken { waiter.resume() }
    }

    /// A forgotten instance is no longer published.
    package func remove(_ key: InstanceKey) {
        state.withLock { $0.buffer.remove(key) }
    }

    /// Wakes every waiting reader and makes later waits return at once: the node is stopping,
    /// and a long poll must not hold up its HTTP server's shutdown.
    package func close() {
        let woken = state.withLock { state in
            state.isClosed = true
            let waiters = state.waiters.values
            state.waiters.removeAll()
            return Array(waiters)
        }
        for waiter in woken { waiter.resume() }
    }

    package var sequence: UInt64 { state.withLock { $0.buffer.sequence } }

    /// An answer of `probe-share`: a `ProbeSharePage` in its wire form.
    package struct Page: Sendable {
        package var body: Data
        package var resultCount: Int
        package var sequence: UInt64
    }

    /// The results recorded after `since` (everything when `epoch` is not this feed's: the
    /// reader knew another life of it). When there are none, waits up to `wait` for the next.
    package func page(since: UInt64, epoch readerEpoch: String?, wait: Duration) async throws -> Page {
        let from = readerEpoch == epoch ? since : 0
        let now = try current(after: from)
        guard now.resultCount == 0, wait > .zero else { return now }
        // A node shutting down answers its waiting readers at once instead of holding up its
        // HTTP server's graceful shutdown for a whole wait.
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await Task.sleep(for: wait) }
                group.addTask { await self.nextRecording(after: from) }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.close()
        }
        return try current(after: from)
    }

    private func current(after since: UInt64) throws -> Page {
        let (results, sequence) = state.withLock { $0.buffer.entries(after: since) }
        let body = try ProbeSharePage.assemble(epoch: epoch, sequence: sequence, encodedResults: results)
        return Page(body: body, resultCount: results.count, sequence: sequence)
    }

    /// Returns once something is recorded after `since`, the feed closes, or the task is cancelled.
    private func nextRecording(after since: UInt64) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Under the lock, so a recording or a cancellation either comes before (seen
                // here) or after (finds the waiter registered and resumes it).
                let resumeNow = state.withLock { state in
                    if state.isClosed || state.buffer.sequence > since || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
