/// One MariaDB GTID `domain-server-sequence`, e.g. `0-1-100`.
package struct MariaDBGTID: Sendable, Hashable, Codable, CustomStringConvertible {
    package var domainID: UInt32
    package var serverID: UInt32
    package var sequence: UInt64

    package init(domainID: UInt32, serverID: UInt32, sequence: UInt64) {
        self.domainID = domainID
        self.serverID = serverID
        self.sequence = sequence
    }

    package init(parsing text: String) throws(GTIDParseError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let domain = UInt32(parts[0]), let server = UInt32(parts[1]), let sequence = UInt64(parts[2])
        else { throw .malformedMariaDBGTID(text) }
        self.init(domainID: domain, serverID: server, sequence: sequence)
    }

    package var description: String { "\(domainID)-\(serverID)-\(sequence)" }
}

/// A MariaDB GTID position (`gtid_current_pos`, `gtid_slave_pos`, `gtid_binlog_pos`): at most one
/// GTID per replication domain, e.g. `0-1-100,1-2-5`.
package struct MariaDBGTIDPosition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Keyed by domain id.
    package private(set) var gtids: [UInt32: MariaDBGTID]

    package init(_ gtids: [MariaDBGTID] = []) {
        self.gtids = Dictionary(gtids.map { ($0.domainID, $0) }, uniquingKeysWith: { $1 })
    }

    package init(parsing text: String) throws(GTIDParseError) {
        var gtids: [UInt32: MariaDBGTID] = [:]
        for token in text.split(separator: ",") {
            let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let gtid = try MariaDBGTID(parsing: trimmed)
            guard gtids[gtid.domainID] == nil else { throw .duplicateDomain(text: text, domain: gtid.domainID) }
            gtids[gtid.domainID] = gtid
        }
        self.gtids = gtids
    }

    package var isEmpty: Bool { gtids.isEmpty }
    package var domains: [UInt32] { gtids.keys.sorted() }
    package subscript(domain domain: UInt32) -> MariaDBGTID? { gtids[domain] }

    /// Domains in ascending order, as MariaDB prints them.
    package var description: String {
        domains.compactMap { gtids[$0]?.description }.joined(separator: ",")
    }

    /// Whether this position has applied at least everything `other` has, in every domain of `other`.
    package func contains(_ other: MariaDBGTIDPosition) -> Bool {
        other.gtids.values.allSatisfy { theirs in
            guard let mine = gtids[theirs.domainID] else { return false }
            return mine.sequence >= theirs.sequence
        }
    }

    /// The domains in which `other` is ahead of this position (what this position lacks).
    package func missing(from other: MariaDBGTIDPosition) -> [MariaDBGTID] {
        other.domains.compactMap { domain in
            guard let theirs = other.gtids[domain] else { return nil }
            if let mine = gtids[domain], mine.sequence >= theirs.sequence { return nil }
            return theirs
        }
    }
}
