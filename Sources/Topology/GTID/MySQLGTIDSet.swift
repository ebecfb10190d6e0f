/// An inclusive range of transaction numbers, `1-100` or `7`.
package struct GTIDInterval: Sendable, Hashable, Codable, CustomStringConvertible {
    package var first: UInt64
    package var last: UInt64

    package init(first: UInt64, last: UInt64) {
        self.first = first
        self.last = last
    }

    package var description: String { first == last ? "\(first)" : "\(first)-\(last)" }
}

/// An Oracle MySQL GTID set (`gtid_executed`): `uuid:1-5:7-9,uuid2:1-3`, optionally with
/// MySQL 8.4 tags (`uuid:tag:1-3`). Intervals are kept merged and sorted.
package struct MySQLGTIDSet: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Source id (`uuid` or `uuid:tag`, lower-cased) → merged, sorted intervals.
    package private(set) var intervalsBySource: [String: [GTIDInterval]]

    package init() { intervalsBySource = [:] }

    package init(parsing text: String) throws(GTIDParseError) {
        var result: [String: [GTIDInterval]] = [:]
        // gtid_executed wraps long values with newlines after the commas.
        let cleaned = text.filter { !$0.isWhitespace }
        for entry in cleaned.split(separator: ",") {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, Self.isUUID(parts[0]) else { throw .malformedMySQLGTIDSet(text: text, entry: String(entry)) }
            // MySQL 8.4 tags switch the source within one UUID group: `uuid:1-5:tag1:1-3`.
            let uuid = parts[0].lowercased()
            var source = uuid
            var sourceHasInterval = false
            for part in parts.dropFirst() {
                if let interval = Self.interval(part) {
                    result[source, default: []].append(interval)
                    sourceHasInterval = true
                } else if Self.isTag(part), sourceHasInterval || source == uuid {
                    source = uuid + ":" + part.lowercased()
                    sourceHasInterval = false
                } else {
                    throw .malformedMySQLGTIDSet(text: text, entry: String(entry))
                }
            }
            guard sourceHasInterval else { throw .malformedMySQLGTIDSet(text: text, entry: String(entry)) }
        }
        intervalsBySource = result.mapValues(Self.merged)
    }

    package var isEmpty: Bool { intervalsBySource.isEmpty }
    package var sources: [String] { intervalsBySource.keys.sorted() }

    package var description: String {
        sources.map { source in
            ([source] + (intervalsBySource[source] ?? []).map(\.description)).joined(separator: ":")
        }.joined(separator: ",")
    }

    /// Number of transactions in the set.
    package var count: UInt64 {
        intervalsBySource.values.joined().reduce(0) { $0 + ($1.last - $1.first + 1) }
    }

    /// Every transaction of `other` is in this set.
    package func contains(_ other: MySQLGTIDSet) -> Bool {
        other.subtracting(self).isEmpty
    }

    /// The transactions of this set that are not in `other` (MySQL's `GTID_SUBTRACT(self, other)`).
    package func subtracting(_ other: MySQLGTIDSet) -> MySQLGTIDSet {
        var result = MySQLGTIDSet()
        for (source, mine) in intervalsBySource {
            var remaining = mine
            for cut in other.intervalsBySource[source] ?? [] {
                remaining = remaining.flatMap { Self.subtract(cut, from: $0) }
            }
            if !remaining.isEmpty { result.intervalsBySource[source] = remaining }
        }
        return result
    }

    /// Both sets together.
    package func union(_ other: MySQLGTIDSet) -> MySQLGTIDSet {
        var result = self
        for (source, theirs) in other.intervalsBySource {
            result.intervalsBySource[source] = Self.merged((result.intervalsBySource[source] ?? []) + theirs)
        }
        return result
    }

    /// This set without the transactions of the given sources (used to ignore a master's own UUID).
    package func removingSources(_ removed: Set<String>) -> MySQLGTIDSet {
        var result = self
        for source in removed { result.intervalsBySource[source.lowercased()] = nil }
        return result
    }

    private static func subtract(_ cut: GTIDInterval, from interval: GTIDInterval) -> [GTIDInterval] {
        if cut.last < interval.first || cut.first > interval.last { return [interval] }
        var pieces: [GTIDInterval] = []
        if cut.first > interval.first { pieces.append(GTIDInterval(first: interval.first, last: cut.first - 1)) }
        if cut.last < interval.last { pieces.append(GTIDInterval(first: cut.last + 1, last: interval.last)) }
        return pieces
    }

    private static func merged(_ intervals: [GTIDInterval]) -> [GTIDInterval] {
        var result: [GTIDInterval] = []
        for interval in intervals.sorted(by: { $0.first < $1.first }) {
            if let last = result.last, interval.first <= last.last &+ 1 {
                result[result.count - 1].last = max(last.last, interval.last)
            } else {
                result.append(interval)
            }
        }
        return result
    }

    private static func interval(_ text: String) -> GTIDInterval? {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        switch bounds.count {
        case 1:
            guard let value = UInt64(bounds[0]), value > 0 else { return nil }
            return GTIDInterval(first: value, last: value)
        case 2:
            guard let first = UInt64(bounds[0]), let last = UInt64(bounds[1]), first > 0, first <= last else { return nil }
            return GTIDInterval(first: first, last: last)
        default:
            return nil
        }
    }

    private static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    private static func isTag(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_", text.count <= 32 else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}

/// A GTID text that does not parse.
package enum GTIDParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedMariaDBGTID(String)
    case duplicateDomain(text: String, domain: UInt32)
    case malformedMySQLGTIDSet(text: String, entry: String)

    package var description: String {
        switch self {
        case let .malformedMariaDBGTID(text): "malformed MariaDB GTID '\(text)': expected domain-server-sequence"
        case let .duplicateDomain(text, domain): "MariaDB GTID position '\(text)' names domain \(domain) twice"
        case let .malformedMySQLGTIDSet(text, entry): "malformed MySQL GTID set '\(text)': bad entry '\(entry)'"
        }
    }
}
