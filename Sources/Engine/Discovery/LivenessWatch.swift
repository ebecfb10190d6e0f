import Dispatch
import Foundation
import MySQLClient
import Synchronization
import Topology

/// Notices within milliseconds that a master's server process went away, without waiting for
/// the next poll: it keeps one idle connection per watched server and asks the kernel to say
/// when that socket becomes readable. An idle MySQL connection receives nothing, so
/// readability means end-of-stream (the process died and the kernel closed its sockets, or the
/// server shut down). No thread is held while waiting.
///
/// A server that hangs (a frozen process, a stalled disk, a network that drops its packets)
/// closes nothing, so every `pulse` the idle connection is also pinged: a ping left unanswered
/// for a whole pulse is reported at once, long before a probe's read timeout. That alone never
/// declares a master dead; its replicas must also have stopped hearing from it (`MasterSilence`).
package actor LivenessWatch {
    private var watchers: [InstanceKey: (id: UUID, task: Task<Void, Never>)] = [:]
    /// Watches cancelled by `unwatch` that may still be winding down; each removes itself.
    private var stopping: [UUID: Task<Void, Never>] = [:]
    private let credentials: MySQLCredentials
    private let options: MySQLConnectionOptions
    private let retryInterval: Duration
    /// How often an idle watched connection is pinged, and how long a ping may take; `nil`: never.
    private let pulse: Duration?
    private var handlers = Handlers()

    /// What the watch reports. `unanswered` gets the moment the ping was sent.
    package struct Handlers: Sendable {
        package var lost: @Sendable (InstanceKey) async -> Void = { _ in }
        package var unanswered: @Sendable (InstanceKey, Date) async -> Void = { _, _ in }

        package init(lost: @escaping @Sendable (InstanceKey) async -> Void = { _ in }, unanswered: @escaping @Sendable (InstanceKey, Date) async -> Void = { _, _ in }) {
            self.lost = lost
            self.unanswered = unanswered
        }
    }

    package init(credentials: MySQLCredentials, options: MySQLConnectionOptions, retryInterval: Duration, pulse: Duration? = nil) {
        self.credentials = credentials
        self.options = options
        self.retryInterval = retryInterval
        self.pulse = pulse
    }

    /// What to do when a watched connection drops or a ping goes unanswered; watches started
    /// before keep the old handlers.
    package func setHandlers(_ handlers: Handlers) {
        self.handlers = handlers
    }

    package func watch(_ key: InstanceKey) {
        guard watchers[key] == nil else { return }
        let credentials = credentials, options = options, retryInterval = retryInterval, handlers = handlers, pulse = pulse
        let id = UUID()
        watchers[key] = (id, Task {
            await Self.watchLoop(key, credentials: credentials, options: options, retryInterval: retryInterval, pulse: pulse, handlers: handlers)
            await self.ended(id)
        })
    }

    package func unwatch(_ key: InstanceKey) {
        guard let watch = watchers.removeValue(forKey: key) else { return }
        watch.task.cancel()
        // Awaited by `stopAll`, so no watch outlives the service that owns this one.
        stopping[watch.id] = watch.task
    }

    private func ended(_ id: UUID) {
        stopping.removeValue(forKey: id)
    }

    package var watchedKeys: [InstanceKey] { watchers.keys.sorted() }

    /// Cancels every watch and returns once each has ended (a ping in flight ends within the
    /// read timeout).
    package func stopAll() async {
        let tasks = watchers.values.map(\.task) + stopping.values
        watchers.removeAll()
        stopping.removeAll()
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    private static func watchLoop(
        _ key: InstanceKey, credentials: MySQLCredentials, options: MySQLConnectionOptions, retryInterval: Duration,
        pulse: Duration?, handlers: Handlers
    ) async {
        while !Task.isCancelled {
            if let connection = try? await MySQLConnection.connect(
                to: MySQLEndpoint(host: key.hostname, port: key.port), credentials: credentials, options: options
            ) {
                // The server must not close the idle connection itself after wait_timeout.
                _ = try? await connection.execute("SET SESSION wait_timeout = 31536000")
                if let socket = await connection.socketDescriptor() {
                    let outcome = await watchConnection(connection, socket: socket, pulse: pulse)
                    // Reported before closing: closing waits for an unanswered ping to time out.
                    if !Task.isCancelled {
                        switch outcome {
                        case .hungUp: await handlers.lost(key)
                        case .unanswered(let sent): await handlers.unanswered(key, sent)
                        case .cancelled: break
                        }
                    }
                    await connection.close()
                } else {
                    await connection.close()
                }
            }
            // Not reachable (polling reports that), or just lost: try again shortly.
            do { try await Task.sleep(for: retryInterval) } catch { return }
        }
    }

    private enum WatchOutcome {
        case hungUp
        /// A ping sent at that moment got no answer within a pulse (or failed).
        case unanswered(Date)
        case cancelled
    }

    /// Waits on one open connection until it hangs up, a ping goes unanswered, or cancellation.
    private static func watchConnection(_ connection: MySQLConnection, socket: Int32, pulse: Duration?) async -> WatchOutcome {
        while !Task.isCancelled {
            switch await waitForHangUp(socket, upTo: pulse) {
            case .hungUp: return .hungUp
            case .cancelled: return .cancelled
            case .quiet:
                guard let pulse else { continue }
                let sent = Date()
                let answered = await withDeadline(pulse) { () async -> Bool in
                    do { try await connection.ping(); return true } catch { return false }
                }
                // A failed ping is reported the same way: polling tells why.
                if answered != true { return Task.isCancelled ? .cancelled : .unanswered(sent) }
            }
        }
        return .cancelled
    }

    private enum HangUpWait { case hungUp, quiet, cancelled }

    /// Waits until the socket becomes readable (`hungUp`), `limit` passes (`quiet`), or the
    /// task is cancelled. Returns only once the read source is fully cancelled, so the
    /// connection may then be used or closed.
    private static func waitForHangUp(_ socket: Int32, upTo limit: Duration?) async -> HangUpWait {
        let watch = HangUpWatch(source: DispatchSource.makeReadSource(fileDescriptor: socket, queue: watchQueue))
        let hungUp = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                watch.start(continuation)
                if let limit {
                    let nanoseconds = max(1, Int(limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000))
                    watchQueue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { watch.cancel() }
                }
                if Task.isCancelled { watch.cancel() }
            }
        } onCancel: {
            watch.cancel()
        }
        if hungUp { return .hungUp }
        return Task.isCancelled ? .cancelled : .quiet
    }

    private static let watchQueue = DispatchQueue(label: "orchestrator.liveness-watch")
}

/// One read source on a socket, resuming its waiter exactly once. `@unchecked Sendable`
/// because a dispatch source's `cancel()` may be called from any thread; the rest is behind the mutex.
private final class HangUpWatch: @unchecked Sendable {
    private let source: any DispatchSourceRead
    private let state = Mutex<(continuation: CheckedContinuation<Bool, Never>?, hungUp: Bool)>((nil, false))

    init(source: any DispatchSourceRead) {
        self.source = source
    }

    func start(_ continuation: CheckedContinuation<Bool, Never>) {
        state.withLock { $0.continuation = continuation }
        source.setEventHandler { [self] in
            state.withLock { $0.hungUp = true }
            source.cancel()
        }
        // Resume only once the source is fully cancelled, so the socket may then be closed.
        source.setCancelHandler { [self] in resume() }
        source.resume()
    }

    func cancel() { source.cancel() }

    private func resume() {
        let (continuation, hungUp) = state.withLock { state in
            let taken = state.continuation
            state.continuation = nil
            return (taken, state.hungUp)
        }
        continuation?.resume(returning: hungUp)
    }
}
