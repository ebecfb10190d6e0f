import Foundation

/// What a leader writes under the leader key in etcd: who it is and where its HTTP API answers,
/// so followers can forward operations to it and `/api/raft-leader` can name it.
package struct LeaderRecord: Sendable, Equatable, Codable {
    /// The node's name: its advertised `host:port`, unique among the nodes.
    package var node: String
    /// Its HTTP API's base URL (`HTTPAdvertise`, or built from `ListenAddress`), no trailing `/`.
    package var url: String

    package init(node: String, url: String) {
        self.node = node
        self.url = url
    }

    private enum CodingKeys: String, CodingKey {
        case node = "Node", url = "URL"
    }

    /// The key's value: `{"Node":"127.0.0.1:3000","URL":"http://127.0.0.1:3000"}`.
    package var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// A value another node wrote; `nil` for anything that is not a record (a stray write).
    package init?(decoding value: String) {
        guard let record = try? JSONDecoder().decode(LeaderRecord.self, from: Data(value.utf8)) else { return nil }
        self = record
    }
}
