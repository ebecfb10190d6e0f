import Foundation

/// What a replica's IO thread has received from its master, as one probe read it: the count of
/// heartbeats, how far it read the master's binary log, and the heartbeat period it asked for.
/// A master sends something at least once per heartbeat period (an event, or a heartbeat when it
/// has nothing to send), so a receipt that stays the same for longer means nothing is arriving.
package struct ReplicationReceipt: Sendable, Equatable, Codable {
    package var heartbeats: Int64
    /// `Slave_heartbeat_period` in seconds; 0 when heartbeats are off.
    package var heartbeatPeriod: Double
    /// The master the IO thread reads from and its read coordinates: a new event moves them.
    package var masterKey: InstanceKey
    package var readCoordinates: BinlogCoordinates
    /// When the first probe that read this very receipt finished: the last arrival was no later.
    package var unchangedSince: Date
    /// When the latest probe that still read it started: nothing had arrived by then.
    package var unchangedThrough: Date

    package init(
        heartbeats: Int64, heartbeatPeriod: Double, masterKey: InstanceKey, readCoordinates: BinlogCoordinates,
        unchangedSince: Date, unchangedThrough: Date
    ) {
        self.heartbeats = heartbeats
        self.heartbeatPeriod = heartbeatPeriod
        self.masterKey = masterKey
        self.readCoordinates = readCoordinates
        self.unchangedSince = unchangedSince
        self.unchangedThrough = unchangedThrough
    }

    /// Whether `other` reads the same arrivals (heartbeats, position and master) as this one.
    package func isSameArrivals(as other: ReplicationReceipt) -> Bool {
        heartbeats == other.heartbeats && readCoordinates == other.readCoordinates && masterKey == other.masterKey
            && heartbeatPeriod == other.heartbeatPeriod
    }

    /// The receipt a new probe read (`started`…`finished`), continuing `previous` when nothing
    /// new arrived in between: the silence is measured from the earliest probe that saw it.
    package static func tracking(_ read: ReplicationReceipt, previous: ReplicationReceipt?, started: Date, finished: Date) -> ReplicationReceipt {
        var receipt = read
        if let previous, previous.isSameArrivals(as: read) {
            receipt.unchangedSince = previous.unchangedSince
            receipt.unchangedThrough = max(previous.unchangedThrough, started)
        } else {
            receipt.unchangedSince = finished
            receipt.unchangedThrough = finished
        }
        return receipt
    }
}

/// Whether a replica whose IO thread still says "connected" has in fact heard nothing from its
/// master for longer than the master could stay quiet: a frozen master, a hung host or a
/// network that drops its packets closes no connection, and replicas only give up after
/// `slave_net_timeout` (60 s by default). Analysis counts such a replica as not replicating, so
/// a master that is unreachable *and* silent to every replica is dead (`analysis.md` §5).
package enum MasterSilence {
    /// Silence that proves a missed heartbeat: one period, plus half a period (at least 200 ms)
    /// for a loaded machine's scheduling delays and a master that merely paused that long.
    package static func threshold(heartbeatPeriod: Double) -> Double {
        heartbeatPeriod + max(0.2, heartbeatPeriod * 0.5)
    }

    /// The shortest silence the probes have proved: from the end of the first probe that read
    /// this receipt to the start of the latest one that still read it.
    package static func provenSilence(_ receipt: ReplicationReceipt) -> Double {
        receipt.unchangedThrough.timeIntervalSince(receipt.unchangedSince)
    }

    /// `true` when the IO thread says it runs but has provably received nothing for longer than
    /// `threshold`. A replica without heartbeats (period 0) or without a reading never is.
    package static func isSilent(_ replica: Instance) -> Bool {
        guard replica.ioThreadState == .running, let receipt = replica.receipt, receipt.heartbeatPeriod > 0,
              receipt.masterKey == replica.masterKey else { return false }
        return provenSilence(receipt) > threshold(heartbeatPeriod: receipt.heartbeatPeriod)
    }

    /// How long after its first reading a receipt must stay unchanged to prove silence; what an
    /// urgent check waits for at most.
    package static func longestWait(for replicas: [Instance]) -> Double {
        replicas.compactMap { $0.receipt?.heartbeatPeriod }.filter { $0 > 0 }.map { threshold(heartbeatPeriod: $0) }.max() ?? 0
    }
}
