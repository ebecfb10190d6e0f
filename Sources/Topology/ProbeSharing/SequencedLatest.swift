/// The newest entry per key, each stamped with a sequence number that grows by one per
/// recording: "what changed after N" is then every entry stamped above N, and memory stays one
/// entry per key however often each is recorded (the probe-share buffer: one per instance).
package struct SequencedLatest<Key: Hashable & Sendable, Entry: Sendable>: Sendable {
    private var latest: [Key: (sequence: UInt64, entry: Entry)] = [:]
    /// The stamp of the newest recording; 0 before any.
    package private(set) var sequence: UInt64 = 0

    package init() {}

    /// Records `entry` as the newest for `key`; returns its stamp.
    @discardableResult
    package mutating func record(_ entry: Entry, for key: Key) -> UInt64 {
        sequence += 1
        latest[key] = (sequence, entry)
        return sequence
    }

    package mutating func remove(_ key: Key) {
        latest[key] = nil
    }

    /// Entries recorded after `since`, oldest first, and the stamp to ask from next time.
    /// A `since` beyond the newest stamp (a reader that knew an earlier life of the buffer)
    /// gets everything.
    package func entries(after since: UInt64) -> (entries: [Entry], sequence: UInt64) {
        let from = since > sequence ? 0 : since
        guard from < sequence else { return ([], sequence) }
        let newer = latest.values.filter { $0.sequence > from }.sorted { $0.sequence < $1.sequence }
        return (newer.map(\.entry), sequence)
    }

    package var count: Int { latest.count }
}
