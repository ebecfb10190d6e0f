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
    package var encoded: String { JSONText.encode(self) }

    package init?(decoding value: String) {
        guard let record = JSONText.decode(LeaderRecord.self, from: value) else { return nil }
        self = record
    }
}
