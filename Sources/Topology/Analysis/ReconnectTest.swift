import Foundation

/// The proof a replica gives when its master stops answering the manager but closes nothing:
/// the manager restarts the replica's IO thread (`ReplicaReconnectTestMilliseconds`, ours), which
/// opens a new connection to the master. A live master takes it in milliseconds, whatever the
/// network between it and the manager does; a frozen master (SIGSTOP, a paused VM, a stalled
/// disk) or one whose packets are dropped leaves it "Connecting" without an answer. So a replica
/// still reconnecting when a probe that began after the window reads it has lost its master,
/// without waiting one heartbeat period for the passive proof (`MasterSilence`).
///
/// Until that probe, a replica under test counts as connected: its IO thread says "Connecting"
/// for a few milliseconds even when the master is alive, and that must not look like a death.
package struct ReconnectTest: Sendable, Equatable, Codable {
    /// The master the replica was asked to reconnect to.
    package var masterKey: InstanceKey
    /// How long the replica has to reconnect, in seconds.
    package var window: Double
    /// When `START SLAVE IO_THREAD` returned; `nil` while the restart is under way.
    package var restartedAt: Date?
    /// When the latest probe recorded since the restart began.
    package var latestReadingStartedAt: Date?

    package init(masterKey: InstanceKey, window: Double, restartedAt: Date? = nil, latestReadingStartedAt: Date? = nil) {
        self.masterKey = masterKey
        self.window = window
        self.restartedAt = restartedAt
        self.latestReadingStartedAt = latestReadingStartedAt
    }

    /// When a reading can decide: the end of the window after the restart.
    package var decidesAt: Date? { restartedAt.map { $0.addingTimeInterval(window) } }

    /// The test as a new reading of the replica (a probe begun at `started`) leaves it: kept
    /// while the replica reconnects, `nil` once it is read connected (or following another
    /// master). A reading begun before the restart finished tells nothing about it.
    package func recording(readingStartedAt started: Date, of replica: Instance) -> ReconnectTest? {
        guard replica.masterKey == masterKey else { return nil }
        guard let restartedAt, started >= restartedAt else { return self }
        if replica.ioThreadState == .running { return nil }
        var test = self
        test.latestReadingStartedAt = max(latestReadingStartedAt ?? started, started)
        return test
    }

    /// Whether `replica`'s latest reading cannot tell yet: it is reconnecting and no probe begun
    /// after the window has read it.
    package static func isUndecided(_ replica: Instance) -> Bool {
        guard let test = replica.reconnectTest, test.masterKey == replica.masterKey, replica.ioThreadState != .running else { return false }
        guard let decidesAt = test.decidesAt, let reading = test.latestReadingStartedAt else { return true }
        return reading < decidesAt
    }

    /// Whether the master answered the replica's new connection with an error of its own
    /// (`Too many connections`, access denied, host blocked: server error numbers, below 2000),
    /// which proves it alive. Client errors (2000 and up: cannot connect, lost connection) do not.
    package static func masterAnswered(_ replica: Instance) -> Bool {
        guard let test = replica.reconnectTest, test.masterKey == replica.masterKey else { return false }
        return (1..<2000).contains(replica.lastIOErrno)
    }

    /// The replicas of `master` the test restarts, or none when it cannot decide: it runs only
    /// when every valid replica that still says it is connected can be tested, i.e. replicates
    /// asynchronously (a MariaDB semi-sync replica's `STOP SLAVE` waits seconds for a hung
    /// master) and is neither downtimed nor under maintenance (an operator or an operation owns
    /// it). Replicas that already proved the master silent need no test.
    package static func replicasToRestart(of master: InstanceKey, replicas: [Instance], underMaintenance: Set<InstanceKey>) -> [InstanceKey] {
        let connected = replicas.filter {
            $0.masterKey == master && $0.isLastCheckValid && $0.ioThreadState == .running && !MasterSilence.isSilent($0)
        }
        let testable = connected.filter {
            !$0.semiSyncReplicaEnabled && !$0.isDowntimed && !underMaintenance.contains($0.key)
        }
        guard !connected.isEmpty, testable.count == connected.count else { return [] }
        return testable.map(\.key)
    }
}

extension Instance {
    /// Whether this replica may still be hearing from its master: its IO thread runs and has not
    /// provably heard nothing (`MasterSilence`), or a reconnect test has not decided yet or
    /// heard the master answer (`ReconnectTest`). What analysis counts as an IO thread running.
    package var mayHearItsMaster: Bool {
        (ioThreadState == .running && !MasterSilence.isSilent(self)) || ReconnectTest.isUndecided(self) || ReconnectTest.masterAnswered(self)
    }
}
