import APIModels
import Engine
import Hummingbird
import Topology

/// `submit-masters-to-kv-stores[/:clusterHint]` (`api.md` §7.14): each cluster's writable master,
/// written to the internal table and every configured store.
struct KVRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("submit-masters-to-kv-stores") { _, _ throws(APIFailure) in
            try await submit(clusterNames: nil)
        }
        routes.api("submit-masters-to-kv-stores/:clusterHint") { _, context throws(APIFailure) in
            try await submit(clusterNames: [try await api.clusterName(hint: context.parameters.text("clusterHint"))])
        }
    }

    /// `clusterNames` nil: every cluster.
    private func submit(clusterNames: [String]?) async throws(APIFailure) -> Response {
        guard let kv = api.kv else { throw APIFailure(.serviceUnavailable, "KV publishing is not running on this node") }
        var submitted: [KVPair] = []
        var failures: [String] = []
        let masters = await kv.currentMasterPairs(registry: api.registry, of: clusterNames)
        for (_, pairs) in masters {
            failures += await kv.publish(pairs, reason: "submit-masters-to-kv-stores").map(\.description)
            submitted += pairs
        }
        let details = JSONValue.array(submitted.map { .object([("Key", .string($0.key)), ("Value", .string($0.value))]) })
        guard failures.isEmpty else { throw APIFailure(.badGateway, "Submitted \(masters.count) masters with failures (retrying): " + failures.joined(separator: "; "), details: details) }
        return JSONResponse.ok("Submitted \(masters.count) masters", details: details)
    }
}
