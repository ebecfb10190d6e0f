import APIModels
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging

/// Builds the `<URLPrefix>/api/...` router: orchestrator's routes, all GET, with an optional
/// trailing `/`, each request authenticated before it is routed.
package enum APIRouter {
    package static func make(context api: APIContext, logger: Logger) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
        let prefix = normalizedPrefix(api.settings.urlPrefix)
        if let metrics = api.metrics {
            // First, so it wraps the others and counts the status the client receives.
            router.add(middleware: RequestMetricsMiddleware(factory: metrics.factory))
        }
        router.add(middleware: AuthenticationMiddleware(
            policy: api.settings.access,
            validOUs: api.settings.https.flatMap { $0.requiresClientCertificate ? $0.validOUs : nil } ?? [],
            verifyOUsOnStatus: api.settings.https?.verifyOUsOnStatus ?? false,
            statusPaths: [prefix + "/api/status", api.settings.statusEndpoint]
        ))
        router.add(middleware: UnsupportedRouteMiddleware(apiPath: prefix + "/api"))
        router.add(middleware: PathNormalizingMiddleware())
        router.add(middleware: LeaderRoutingMiddleware(leadership: api.leadership, apiPath: prefix + "/api", https: api.settings.https))
        let routes = router.group(RouterPath(prefix + "/api"))
        InstanceRoutes(api: api).register(on: routes)
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
        TagRoutes(api: api).register(on: routes)
        PoolRoutes(api: api).register(on: routes)
        HostnameRoutes(api: api).register(on: routes)
        EventStreamRoutes(api: api).register(on: routes)
        ProbeShareRoutes(api: api).register(on: routes)
        WebRoutes<APIRequestContext>(assets: WebAssets(), prefix: prefix).register(on: router)
        HealthRoutes(api: api).registerStatusEndpoint(on: router)
        if let metrics = api.metrics { MetricsRoute(registry: metrics.registry).register(on: router) }
        return router
    }

    /// The application serving the router on `host:port`, over HTTPS when configured; a
    /// `Service` for the daemon's group. Throws when the certificate files cannot be used.
    package static func application(
        context api: APIContext, host: String, port: Int, logger: Logger
    ) throws(HTTPSConfigurationError) -> some ApplicationProtocol & Sendable {
        let configuration = ApplicationConfiguration(address: .hostname(host, port: port), serverName: "orchestrator")
        let server: HTTPServerBuilder
        if let https = api.settings.https {
            let tls = try https.tlsConfiguration()
            do {
                server = try .tls(.http1(), tlsConfiguration: tls)
            } catch {
                throw .unusable(.certificate, https.certificateFile, "\(error)")
            }
        } else {
            server = .http1()
        }
        return Application(router: make(context: api, logger: logger), server: server, configuration: configuration, logger: logger)
    }

    /// orchestrator's normalisation: one leading `/`, no trailing `/` (`orc/` → `/orc`); empty stays empty.
    package static func normalizedPrefix(_ prefix: String) -> String {
        let segments = prefix.split(separator: "/", omittingEmptySubsequences: true)
        return segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }
}

extension RouterGroup where Context == APIRequestContext {
    /// Registers a GET route whose handler may throw `APIFailure`; any failure becomes the
    /// `{Code: "ERROR"}` envelope with its status. An operation (`RouteAccess`) runs only for
    /// a request whose identity may operate; otherwise it answers 403 and changes nothing.
    func api(_ path: RouterPath, _ handler: @escaping @Sendable (Request, APIRequestContext) async throws(APIFailure) -> Response) {
        guard let access = RouteAccess.of(route: path.description) else {
            preconditionFailure("route \(path) is not classified as read or operation in RouteAccess")
        }
        get(path) { request, context -> Response in
            do throws(APIFailure) {
                if access == .operation, let refusal = context.identity.operationRefusal { throw refusal }
                return try await handler(request, context)
            } catch {
                return JSONResponse.failure(error)
            }
        }
    }
}
