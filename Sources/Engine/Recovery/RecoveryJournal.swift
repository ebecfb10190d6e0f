import Foundation
import Logging
import Store
import Synchronization
import Topology

/// Writes a recovery's steps to the store as they happen, each before the action it names,
/// with the time since the recovery started, and collects its errors.
final class RecoveryJournal: Sendable {
    let uid: String
    /// The instance whose failure this recovery answers.
    let failedKey: InstanceKey
    private let cluster: String
    /// When analysis handed the failure to recovery; `nil` for operator-started recoveries.
    let detectedAt: ContinuousClock.Instant?
    /// Stamps the steps in the store; the `+N ms` in their text is measured, not decided, so it
    /// stays on `ContinuousClock`.
    private let clock: any EngineClock
    private let store: SQLiteStore
    private let events: EngineEvents?
    private let logger: Logger
    private let started = ContinuousClock.now
    private let errors = Mutex<[String]>([])
    private let fenced = Mutex(false)

    /// Every step's log line carries the recovery's id, instance, cluster and analysis, so one
    /// recovery's lines can be picked out of the log (DESIGN.md's metadata keys); every step is
    /// also published to `events` (the web page follows a recovery as it happens).
    init(uid: String, entry: ReplicationAnalysis, detectedAt: ContinuousClock.Instant? = nil, clock: any EngineClock, store: SQLiteStore, events: EngineEvents?, logger: Logger) {
        self.uid = uid
        self.failedKey = entry.analyzedInstanceKey
        self.cluster = entry.clusterDetails.clusterName
        self.detectedAt = detectedAt
        self.clock = clock
        self.store = store
        self.events = events
        var logger = logger
        logger[metadataKey: "recovery_id"] = "\(uid)"
        logger[metadataKey: "instance"] = "\(entry.analyzedInstanceKey)"
        logger[metadataKey: "cluster"] = "\(entry.clusterDetails.clusterName)"
        logger[metadataKey: "analysis"] = "\(entry.analysis.rawValue)"
        self.logger = logger
    }

    var elapsed: Duration { ContinuousClock.now - started }

    /// Records `message`; a store failure is logged and does not stop the recovery (the
    /// servers matter more than the record, and the log keeps the step).
    func record(_ message: String) async {
        let text = "[+\(elapsed.wholeMilliseconds) ms] \(message)"
        logger.info("recovery step: \(message)")
        events?.publish(.recovery(uid: uid, cluster: cluster, message: text))
        do {
            try await store.appendRecoveryStep(uid: uid, message: text, at: clock.now)
        } catch {
            logger.error("cannot record recovery step", metadata: ["error": "\(error)"])
        }
    }

    func fail(_ error: String) async {
        errors.withLock { $0.append(error) }
        await record("error: \(error)")
    }

    var allErrors: [String] { errors.withLock { $0 } }

    /// Records that this node lost the leadership the recovery started under.
    func fence(_ reason: String) async {
        fenced.withLock { $0 = true }
        await fail("fenced: \(reason); this node acts no further")
    }

    /// Whether the recovery was stopped by its fence: nothing more may act.
    var isFenced: Bool { fenced.withLock { $0 } }

    /// orchestrator's recovery UID shape: `<unix-nanos>:<64 hex digits>`.
    static func newUID(now: Date) -> String {
        let nanos = UInt64(now.timeIntervalSince1970 * 1_000_000_000)
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        return "\(nanos):\(hex)"
    }
}

extension String {
    func leftPadded(to length: Int) -> String { count >= length ? self : String(repeating: "0", count: length - count) + self }
}
