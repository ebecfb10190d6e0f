import Hummingbird
import Metrics

/// Counts every request by route and status in `orchestrator_http_requests_total`. The route is
/// the pattern the router matched (`/api/instance/{host}/{port}`), never the raw path, so the
/// number of series stays bounded whatever clients ask for; a request no route served counts
/// as `unmatched`. Installed outermost, so it sees the status the client gets (the 404
/// envelope of an unknown `/api/` route included).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestsTotal: String { "orchestrator_http_requests_total" }
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            count(route: context.endpointPath, status: response.status)
            return response
        } catch {
            count(route: context.endpointPath, status: (error as? any HTTPResponseError)?.status ?? .internalServerError)
            throw error
        }
    }

    private func count(route: String?, status: HTTPResponse.Status) {
        // Hummingbird names an unrouted request's endpoint "NotFound"; real patterns start with "/".
        let pattern = route.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "unmatched"
        let dimensions = [("route", pattern), ("status", String(status.code))]
        Counter(label: Self.requestsTotal, dimensions: dimensions, factory: factory).increment()
    }
}
