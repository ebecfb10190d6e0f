import APIModels
import Foundation
import Hummingbird

/// Node health: `health`, `status`, `lb-check`, `_ping`, `leader-check`. A single node is
/// always its own leader until leadership through etcd arrives.
struct HealthRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        for path in ["health", "status"] {
            routes.api(RouterPath(path)) { _, _ throws(APIFailure) in
                JSONResponse.ok("Application node is healthy", details: healthStatus())
            }
        }
        for path in ["lb-check", "_ping", "leader-check", "routed-leader-check"] {
            routes.api(RouterPath(path)) { _, _ throws(APIFailure) in JSONResponse.make(.string("OK")) }
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

    private func healthStatus() -> JSONValue {
        HealthStatusJSON.make(
            hostname: api.settings.hostname, token: api.settings.token, appVersion: api.settings.appVersion,
            firstSeenActive: api.settings.startedAt, lastSeenActive: Date(), dbBackend: api.settings.databaseFile
        )
    }
}
