import Hummingbird

/// A request under `/api/` that no route serves (an unknown route, a missing path part, a
/// method other than GET) gets orchestrator's error envelope with 404, never an empty body:
/// orchestrator-client treats an empty answer as success and would exit 0 having done nothing.
struct UnsupportedRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            guard request.uri.path.hasPrefix("/api/") || request.uri.path == "/api" else { throw error }
            return JSONResponse.failure(APIFailure(.notFound, "unsupported route: \(request.method) \(request.uri.path)"))
        }
    }
}
