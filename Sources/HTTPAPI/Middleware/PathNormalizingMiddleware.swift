import Hummingbird

/// orchestrator's router accepts one optional trailing `/` on every route, and the bash client
/// depends on it (`downtimed/`); strip it before routing.
struct PathNormalizingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let path = request.head.path, path.count > 1 else { return try await next(request, context) }
        let (pathPart, query) = split(path)
        guard pathPart.count > 1, pathPart.hasSuffix("/") else { return try await next(request, context) }
        var head = request.head
        head.path = String(pathPart.dropLast()) + query
        return try await next(Request(head: head, body: request.body), context)
    }

    private func split(_ path: String) -> (Substring, Substring) {
        guard let mark = path.firstIndex(of: "?") else { return (path[...], "") }
        return (path[..<mark], path[mark...])
    }
}
