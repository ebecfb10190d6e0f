import Foundation
import Topology

/// The etcd calls leadership needs, over the v3 JSON gateway: a lease kept alive, the leader key
/// created only when absent and attached to that lease, and each node's address under a prefix.
struct EtcdElection: Sendable {
    let gateway: EtcdGateway
    let leaderKey: String
    let nodesPrefix: String

    /// A new lease; returns its ID and the TTL etcd granted (etcd raises a TTL below its minimum).
    func grantLease(ttlSeconds: Int) async throws(EtcdError) -> (id: Int64, ttlSeconds: Int64) {
        let answer = try await gateway.post("/v3/lease/grant", ["TTL": ttlSeconds])
        let id = EtcdGateway.int64(answer["ID"])
        guard id != 0 else { throw EtcdError(store: gateway.name, reason: "lease grant answered no ID: \(answer["error"] ?? answer)") }
        return (id, EtcdGateway.int64(answer["TTL"]))
    }

    /// One keepalive; returns the TTL the lease has again, 0 when it no longer exists.
    func keepAlive(_ lease: Int64) async throws(EtcdError) -> Int64 {
        let answer = try await gateway.post("/v3/lease/keepalive", ["ID": String(lease)])
        return EtcdGateway.int64((answer["result"] as? [String: Any])?["TTL"])
    }

    /// Ends the lease now: the keys attached to it go at once (a clean hand-over).
    func revoke(_ lease: Int64) async throws(EtcdError) {
        _ = try await gateway.post("/v3/lease/revoke", ["ID": String(lease)])
    }

    /// Creates the leader key holding `value` on `lease` if there is none (`create_revision ==
    /// 0`, one transaction), and returns the key as it is afterwards.
    func campaign(value: String, lease: Int64) async throws(EtcdError) -> LeaderKey? {
        let key = EtcdGateway.base64(leaderKey)
        let answer = try await gateway.post("/v3/kv/txn", [
            "compare": [["key": key, "result": "EQUAL", "target": "CREATE", "create_revision": "0"]],
            "success": [["request_put": ["key": key, "value": EtcdGateway.base64(value), "lease": String(lease)]]],
            "failure": [["request_range": ["key": key]]],
        ])
        if answer["succeeded"] as? Bool == true {
            let revision = EtcdGateway.int64((answer["header"] as? [String: Any])?["revision"])
            return LeaderKey(leaseID: lease, createRevision: revision, value: value)
        }
        let responses = answer["responses"] as? [[String: Any]] ?? []
        let range = responses.first?["response_range"] as? [String: Any]
        return Self.leaderKey(in: range ?? [:])
    }

    /// The leader key as etcd holds it now (a linearizable read), `nil` when absent.
    func currentLeader() async throws(EtcdError) -> LeaderKey? {
        Self.leaderKey(in: try await gateway.post("/v3/kv/range", ["key": EtcdGateway.base64(leaderKey)]))
    }

    /// Writes this node's record under the nodes prefix, attached to its lease (gone with it).
    func register(node: String, value: String, lease: Int64) async throws(EtcdError) {
        _ = try await gateway.post("/v3/kv/put", [
            "key": EtcdGateway.base64(nodesPrefix + node), "value": EtcdGateway.base64(value), "lease": String(lease),
        ])
    }

    /// Every node's record whose lease is alive.
    func nodes() async throws(EtcdError) -> [String] {
        try await gateway.values(under: nodesPrefix)
    }

    /// Writes `key` only while the leader key is still the one `term` created (one
    /// transaction: a node that lost leadership writes nothing). `lease`: attach the key to it;
    /// `nil`: keep the lease the key already has. Returns whether it was written.
    func putFenced(_ key: String, value: String, lease: Int64?, term: LeadershipTerm) async throws(EtcdError) -> Bool {
        var put: [String: Any] = ["key": EtcdGateway.base64(key), "value": EtcdGateway.base64(value)]
        if let lease { put["lease"] = String(lease) } else { put["ignore_lease"] = true }
        let answer = try await gateway.post("/v3/kv/txn", [
            "compare": [fenceComparison(term)],
            "success": [["request_put": put]],
        ])
        return answer["succeeded"] as? Bool == true
    }

    /// Writes `puts` (each on its lease, 0: none) and deletes `deletes`, all or none, only
    /// while `term` holds (one transaction); whether the term held.
    func applyFenced(puts: [(key: String, value: String, lease: Int64)], deletes: [String], term: LeadershipTerm) async throws(EtcdError) -> Bool {
        let operations: [[String: Any]] = puts.map {
            ["request_put": ["key": EtcdGateway.base64($0.key), "value": EtcdGateway.base64($0.value), "lease": String($0.lease)]]
        }
            + deletes.map { ["request_delete_range": ["key": EtcdGateway.base64($0)]] }
        let answer = try await gateway.post("/v3/kv/txn", ["compare": [fenceComparison(term)], "success": operations])
        return answer["succeeded"] as? Bool == true
    }

    /// How a fenced create-if-absent went.
    enum CreateOutcome: Equatable {
        case created
        /// The key exists: its value.
        case exists(String)
        /// `term` no longer holds: nothing written.
        case fenced
    }

    /// Creates `key` on `lease` only if it does not exist and `term` still holds (one
    /// transaction): a maintenance lock two operators ask for at once goes to one of them.
    func createFenced(_ key: String, value: String, lease: Int64, term: LeadershipTerm) async throws(EtcdError) -> CreateOutcome {
        let encodedKey = EtcdGateway.base64(key)
        let answer = try await gateway.post("/v3/kv/txn", [
            "compare": [fenceComparison(term), ["key": encodedKey, "result": "EQUAL", "target": "CREATE", "create_revision": "0"]],
            "success": [["request_put": ["key": encodedKey, "value": EtcdGateway.base64(value), "lease": String(lease)]]],
            "failure": [["request_range": ["key": EtcdGateway.base64(leaderKey)]], ["request_range": ["key": encodedKey]]],
        ])
        if answer["succeeded"] as? Bool == true { return .created }
        let ranges = (answer["responses"] as? [[String: Any]] ?? []).map { $0["response_range"] as? [String: Any] ?? [:] }
        guard ranges.count == 2, let leader = Self.leaderKey(in: ranges[0]), leader.createRevision == term.createRevision else { return .fenced }
        guard let existing = (ranges[1]["kvs"] as? [[String: Any]])?.first else { return .fenced }
        return .exists(EtcdGateway.decodeBase64(existing["value"]))
    }

    private func fenceComparison(_ term: LeadershipTerm) -> [String: Any] {
        ["key": EtcdGateway.base64(leaderKey), "result": "EQUAL", "target": "CREATE", "create_revision": String(term.createRevision)]
    }

    func delete(_ key: String) async throws(EtcdError) {
        _ = try await gateway.post("/v3/kv/deleterange", ["key": EtcdGateway.base64(key)])
    }

    private static func leaderKey(in range: [String: Any]) -> LeaderKey? {
        guard let kv = (range["kvs"] as? [[String: Any]])?.first else { return nil }
        return LeaderKey(leaseID: EtcdGateway.int64(kv["lease"]), createRevision: EtcdGateway.int64(kv["create_revision"]), value: EtcdGateway.decodeBase64(kv["value"]))
    }
}
