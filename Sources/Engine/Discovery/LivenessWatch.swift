import Dispatch
import Foundation
import MySQLClient
import Synchronization
import Topology

/// Notices within milliseconds that a master's server process went away, without waiting for
/// the next poll: it keeps one idle connection per watched server and asks the kernel to say
/// when that socket becomes readable. An idle MySQL connection receives nothing, so
/// readability means end-of-stream (the process died and the kernel closed its sockets, or the
/// server shut down). No thread is held while waiting. A server that hangs or a network that
/// drops packets closes nothing; polling with its timeouts covers those.
package actor LivenessWatch {
    private var watchers: [InstanceKey: Task<Void, Never>] = [:]
    private let credentials: MySQLCredentials
    private let options: MySQLConnectionOptions
    private let retryInterval: Duration
    private var onLost: @Sendable (InstanceKey) async -> Void = { _ in }

    package init(credentials: MySQLCredentials, options: MySQLConnectionOptions, retryInterval: Duration) {
        self.credentials = credentials
        self.options = options
        self.retryInterval = retryInterval
    }

    /// What to do when a watched connection drops; watches started before keep the old handler.
    package func setOnLost(_ handler: @escaping @Sendable (InstanceKey) async -> Void) {
        onLost = handler
    }

    package func watch(_ key: InstanceKey) {
        guard watchers[key] == nil else { return }
        let credentials = credentials, options = options, retryInterval = retryInterval, onLost = onLost
        watchers[key] = Task {
            await Self.watchLoop(key, credentials: credentials, options: options, retryInterval: retryInterval, onLost: onLost)
        }
    }

    package func unwatch(_ key: InstanceKey) {
        watchers.removeValue(forKey: key)?.cancel()
    }

    package var watchedKeys: [InstanceKey] { watchers.keys.sorted() }

    package func stopAll() {
        for task in watchers.values { task.cancel() }
        watchers.removeAll()
    }

    private static func watchLoop(
        _ key: InstanceKey, credentials: MySQLCredentials, options: MySQLConnectionOptions, retryInterval: Duration,
        onLost: @Sendable (InstanceKey) async -> Void
    ) async {
        while !Task.isCancelled {
            if let connection = try? await MySQLConnection.connect(
                to: MySQLEndpoint(host: key.hostname, port: key.port), credentials: credentials, options: options
            ) {
                // The server must not close the idle connection itself after wait_timeout.
                _ = try? await connection.execute("SET SESSION wait_timeout = 31536000")
                if let socket = await connection.socketDescriptor() {
                    let hungUp = await waitForHangUp(socket)
                    await connection.close()
                    if hungUp, !Task.isCancelled { await onLost(key) }
                } else {
                    await connection.close()
                }
            }
            // Not reachable (polling reports that), or just lost: try again shortly.
            do { try await Task.sleep(for: retryInterval) } catch { return }
        }
    }

    /// `true` when the socket became readable, `false` when the task was cancelled first.
    private static func waitForHangUp(_ socket: Int32) async -> Bool {
        let watch = HangUpWatch(source: DispatchSource.makeReadSource(fileDescriptor: socket, queue: watchQueue))
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                watch.start(continuation)
                if Task.isCancelled { watch.cancel() }
            }
        } onCancel: {
            watch.cancel()
        }
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
