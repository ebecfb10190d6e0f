import Foundation
import Logging
import Store
import Synchronization
import Topology

/// Writes a recovery's steps to the store as they happen, each before the action it names,
/// with the time since the recovery started, and collects its errors.
final class RecoveryJournal: Sendable {
    let uid: String
    private let cluster: String
    private let store: SQLiteStore
    private let events: EngineEvents?
    private let logger: Logger
    private let started = ContinuousClock.now
    private let errors = Mutex<[String]>([])

    init(uid: String, cluster: String, store: SQLiteStore, events: EngineEvents?, logger: Logger) {
        self.uid = uid
        self.cluster = cluster
        self.store = store
        self.events = events
        self.logger = logger
    }

    var elapsed: Duration { ContinuousClock.now - started }

    /// Records `message`; a store failure is logged and does not stop the recovery (the
    /// servers matter more than the record, and the log keeps the step).
    func record(_ message: String) async {
        let text = "[+\(elapsed.wholeMilliseconds) ms] \(message)"
        logger.info("recovery step: \(message)", metadata: ["recovery_uid": "\(uid)", "cluster": "\(cluster)"])
        events?.publish(.recovery(uid: uid, cluster: cluster, message: text))
        do {
            try await store.appendRecoveryStep(uid: uid, message: text, at: Date())
        } catch {
            logger.error("cannot record recovery step", metadata: ["recovery_uid": "\(uid)", "error": "\(error)"])
        }
    }

    func fail(_ error: String) async {
        errors.withLock { $0.append(error) }
        await record("error: \(error)")
    }

    var allErrors: [String] { errors.withLock { $0 } }

    /// orchestrator's recovery UID shape: `<unix-nanos>:<64 hex digits>`.
    static func newUID(now: Date = Date()) -> String {
        let nanos = UInt64(now.timeIntervalSince1970 * 1_000_000_000)
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        return "\(nanos):\(hex)"
    }
}

extension String {
    func leftPadded(to length: Int) -> String { count >= length ? self : String(repeating: "0", count: length - count) + self }
}
