import APIModels
import Foundation
import Hummingbird

/// Node health: `health`, `status`, `lb-check`, `_ping`, `leader-check`. A single node is
/// always its own leader until leadership through etcd arrives.
struct HealthRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<BasicRequestContext>) {
        for path in ["health", "status"] {
            routes.api(RouterPath(path)) { _, _ throws(APIFailure) in
                JSONResponse.ok("Application node is healthy", details: healthStatus())
            }
        }
        for path in ["lb-check", "_ping", "leader-check", "routed-leader-check"] {
            routes.api(RouterPath(path)) { _, _ throws(APIFailure) in JSONResponse.make(.string("OK")) }
        }
    }

    private func healthStatus() -> JSONValue {
        HealthStatusJSON.make(
            hostname: api.settings.hostname, token: api.settings.token, appVersion: api.settings.appVersion,
            firstSeenActive: api.settings.startedAt, lastSeenActive: Date(), dbBackend: api.settings.databaseFile
        )
    }
}
