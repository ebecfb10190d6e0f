import APIModels
import Foundation
import Hummingbird
import Logging

/// Builds the `/api/...` router: orchestrator's routes, all GET, with an optional trailing `/`.
package enum APIRouter {
    package static func make(context api: APIContext, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        if let metrics = api.metrics {
            // First, so it wraps the others and counts the status the client receives.
            router.add(middleware: RequestMetricsMiddleware(factory: metrics.factory))
        }
        router.add(middleware: UnsupportedRouteMiddleware())
        router.add(middleware: PathNormalizingMiddleware())
        let routes = router.group("api")
        InstanceRoutes(api: api, logger: logger).register(on: routes)
        ClusterRoutes(api: api).register(on: routes)
        HealthRoutes(api: api).register(on: routes)
        AuditRoutes(api: api).register(on: routes)
        AnalysisRoutes(api: api).register(on: routes)
        RecoveryHistoryRoutes(api: api).register(on: routes)
        RecoveryControlRoutes(api: api).register(on: routes)
        RecoveryOperationRoutes(api: api).register(on: routes)
        KVRoutes(api: api).register(on: routes)
        RefactoringRoutes(api: api).register(on: routes)
        ReplicationControlRoutes(api: api).register(on: routes)
        MaintenanceRoutes(api: api).register(on: routes)
        DowntimeRoutes(api: api).register(on: routes)
        FleetRoutes(api: api).register(on: routes)
        TagRoutes(api: api, logger: logger).register(on: routes)
        PoolRoutes(api: api).register(on: routes)
        HostnameRoutes(api: api).register(on: routes)
        EventStreamRoutes(api: api).register(on: routes)
        WebRoutes<BasicRequestContext>(assets: WebAssets()).register(on: router)
        HealthRoutes(api: api).registerStatusEndpoint(on: router)
        if let metrics = api.metrics { MetricsRoute(registry: metrics.registry).register(on: router) }
        return router
    }

    /// The application serving the router on `host:port`; a `Service` for the daemon's group.
    package static func application(context api: APIContext, host: String, port: Int, logger: Logger) -> some ApplicationProtocol & Sendable {
        Application(
            router: make(context: api, logger: logger),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "orchestrator"),
            logger: logger
        )
    }
}

extension RouterGroup where Context == BasicRequestContext {
    /// Registers a GET route whose handler may throw `APIFailure`; any failure becomes the
    /// `{Code: "ERROR"}` envelope with its status.
    func api(_ path: RouterPath, _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws(APIFailure) -> Response) {
        get(path) { request, context -> Response in
            do throws(APIFailure) {
                return try await handler(request, context)
            } catch {
                return JSONResponse.failure(error)
            }
        }
    }
}
