import Foundation
import Synchronization

/// Something a watcher of the topology (the web page, through `/api/events`) wants to know at
/// once rather than on its next poll.
package enum EngineEvent: Sendable, Equatable {
    /// A fact of an instance of this cluster changed: reachability, replication, placement,
    /// downtime, lag crossing its threshold.
    case topology(cluster: String)
    /// The problems the analysis sees in this cluster changed.
    case analysis(cluster: String, codes: [String])
    /// A recovery recorded a step.
    case recovery(uid: String, cluster: String, message: String)
}

/// Fans engine events out to every subscriber. Publishing never blocks nor waits: each
/// subscriber has a bounded buffer that keeps the newest events, so a slow page loses old
/// events (and catches up by reading the API) rather than slowing a probe or a recovery.
package final class EngineEvents: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<EngineEvent>.Continuation]>([:])

    package init() {}

    /// A stream of the events published from now on; it ends when the subscriber stops
    /// iterating (or drops the stream).
    package func subscribe(buffer: Int = 1024) -> AsyncStream<EngineEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: EngineEvent.self, bufferingPolicy: .bufferingNewest(buffer))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    package func publish(_ event: EngineEvent) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(event) }
    }

    package var subscriberCount: Int { subscribers.withLock { $0.count } }
}
