import Hummingbird

/// A request under the API path that no route serves (an unknown route, a missing path part, a
/// method other than GET) gets orchestrator's error envelope with 404, never an empty body:
/// orchestrator-client treats an empty answer as success and would exit 0 having done nothing.
/// With a `URLPrefix`, a request to the unprefixed `/api/` gets the envelope too, saying where
/// the API is.
struct UnsupportedRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    /// `<URLPrefix>/api`.
    let apiPath: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            let path = request.uri.path
            if path.hasPrefix(apiPath + "/") || path == apiPath {
                return JSONResponse.failure(APIFailure(.notFound, "unsupported route: \(request.method) \(path)"))
            }
            if path.hasPrefix("/api/") || path == "/api" {
                return JSONResponse.failure(APIFailure(.notFound, "unsupported route: \(request.method) \(path): the API is served under \(apiPath)/"))
            }
            throw error
        }
    }
}
