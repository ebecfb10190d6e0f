import APIModels
import Foundation
import Hummingbird

/// Node health: `health`, `status` (or `StatusEndpoint`), `lb-check`, `_ping`, `leader-check`.
/// A single node is always its own leader until leadership through etcd arrives.
struct HealthRoutes {
    let api: APIContext

    /// `StatusEndpoint` at its default, `/api/status`, is one of the API's routes.
    private var isStatusUnderAPI: Bool { api.settings.statusEndpoint == "/api/status" || api.settings.statusEndpoint.isEmpty }

    func register(on routes: RouterGroup<APIRequestContext>) {
        for path in isStatusUnderAPI ? ["health", "status"] : ["health"] {
            routes.api(RouterPath(path)) { _, _ throws(APIFailure) in try await healthy() }
        }
        // `:errorStatusCode` is what a non-leader would answer; this node is always the leader.
        for path in ["lb-check", "_ping", "leader-check", "leader-check/:errorStatusCode", "routed-leader-check"] {
            routes.api(RouterPath(path)) { _, _ throws(APIFailure) in JSONResponse.make(.string("OK")) }
        }
        // Ours: who the caller is and whether operations are open to them, so the web page
        // offers operation controls only to those who may use them.
        routes.api("access") { _, context throws(APIFailure) in
            JSONResponse.make(.object([
                ("User", .string(context.identity.user)),
                ("CanOperate", .bool(context.identity.operationRefusal == nil)),
                ("Reason", .string(context.identity.operationRefusal?.message ?? "")),
            ]))
        }
        // A single node runs no raft and is its own leader; the raft routes say so truthfully,
        // so orchestrator-client's raft-leader and raft-health work against it.
        routes.api("raft-state") { _, _ throws(APIFailure) in JSONResponse.make(.string("Leader")) }
        routes.api("raft-leader") { _, _ throws(APIFailure) in JSONResponse.make(.string(api.settings.hostname)) }
        routes.api("raft-health") { _, _ throws(APIFailure) in JSONResponse.make(.string("healthy")) }
        routes.api("raft-peers") { _, _ throws(APIFailure) in JSONResponse.make(.array([.string(api.settings.hostname)])) }
        for path in ["raft-snapshot", "raft-add-peer/:addr", "raft-remove-peer/:addr", "raft-yield/:addr", "raft-yield-hint/:addr"] {
            routes.api(RouterPath(stringLiteral: path)) { _, _ throws(APIFailure) in
                throw .conflict("\(path.split(separator: "/")[0]): not running with raft (a single node, its own leader)")
            }
        }
    }

    /// A `StatusEndpoint` other than `/api/status`, served at that path verbatim, as orchestrator does.
    func registerStatusEndpoint(on router: Router<APIRequestContext>) {
        guard !isStatusUnderAPI else { return }
        router.get(RouterPath(api.settings.statusEndpoint)) { _, _ -> Response in
            do throws(APIFailure) { return try await healthy() } catch { return JSONResponse.failure(error) }
        }
    }

    /// Healthy only when this node can write its store (orchestrator writes `node_health` too):
    /// a node whose disk is full or read-only records no detection and runs no recovery, and
    /// says so here.
    private func healthy() async throws(APIFailure) -> Response {
        do {
            try await api.store.touchNodeHealth(hostname: api.settings.hostname, token: api.settings.token, at: api.clock.now)
        } catch {
            throw .internalError("Application node is unhealthy: cannot write to its store \(api.settings.databaseFile): \(error)")
        }
        return JSONResponse.ok("Application node is healthy", details: healthStatus())
    }

    private func healthStatus() -> JSONValue {
        HealthStatusJSON.make(
            hostname: api.settings.hostname, token: api.settings.token, appVersion: api.settings.appVersion,
            firstSeenActive: api.settings.startedAt, lastSeenActive: api.clock.now, dbBackend: api.settings.databaseFile
        )
    }
}
