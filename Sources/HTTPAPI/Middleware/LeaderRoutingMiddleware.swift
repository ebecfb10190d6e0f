import AsyncHTTPClient
import Engine
import HTTPTypes
import Hummingbird
import NIOCore
import Topology

/// Operations run on the leader only (`kv-and-ha.md` B.3.7). On the leader, an operation runs
/// under the leader's current term (`LeadershipScope`), so every change it makes to a server is
/// fenced by it. On a follower, an operation — and `routed-leader-check` — is forwarded to the
/// leader's advertised URL (same path and query, same credentials) and the leader's answer is
/// returned; with no leader known it answers 503 saying why. Reads are answered locally.
struct LeaderRoutingMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let leadership: any Leadership
    /// `<URLPrefix>/api`.
    let apiPath: String
    /// This node's HTTPS settings: the leader's API is reached the same way (`PeerHTTPClients`).
    var https: HTTPSConfiguration?
    /// How long a forwarded operation may take (a graceful takeover waits for replicas).
    var forwardTimeout: Duration = .seconds(600)

    static let forwardedBy = HTTPField.Name("X-Orchestrator-Forwarded-By")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // Every route is GET (HEAD generated): another method is answered here, as not found.
        guard path.hasPrefix(apiPath + "/"), request.method == .get || request.method == .head else { return try await next(request, context) }
        let route = String(path.dropFirst(apiPath.count + 1))
        let isRoutedCheck = route.split(separator: "/").first == "routed-leader-check"
        guard isRoutedCheck || RouteAccess.of(route: route) == .operation else { return try await next(request, context) }
        let state = leadership.state
        switch state {
        case .leader(let term):
            return try await LeadershipScope.$term.withValue(term) { try await next(request, context) }
        case .follower(let leader) where request.headers[Self.forwardedBy] == nil:
            return await forward(request, to: leader)
        default:
            if isRoutedCheck { return try await next(request, context) }
            let why = state.problem ?? "the leader changed while this request was forwarded to it"
            return JSONResponse.failure(APIFailure(.serviceUnavailable, "\(leadership.ownRecord.node) is not the leader and cannot forward this operation: \(why)"))
        }
    }

    private func forward(_ request: Request, to leader: LeaderRecord) async -> Response {
        let client: HTTPClient
        do {
            client = try PeerHTTPClients.client(for: https)
        } catch {
            return JSONResponse.failure(APIFailure(.badGateway, "cannot forward this operation to the leader \(leader.node): \(error)"))
        }
        var outgoing = HTTPClientRequest(url: leader.url + request.uri.description)
        outgoing.method = request.method == .head ? .HEAD : .GET
        for field in request.headers where ![.acceptEncoding, .connection, .contentLength].contains(field.name) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        outgoing.headers.add(name: Self.forwardedBy.rawName, value: leadership.ownRecord.node)
        do {
            let answer = try await client.execute(outgoing, timeout: .milliseconds(forwardTimeout.wholeMilliseconds))
            let body = try await answer.body.collect(upTo: 64 << 20)
            var headers = HTTPFields()
            headers[.contentType] = answer.headers.first(name: "Content-Type") ?? "application/json; charset=UTF-8"
            return Response(status: HTTPResponse.Status(code: Int(answer.status.code)), headers: headers, body: ResponseBody(byteBuffer: body))
        } catch {
            return JSONResponse.failure(APIFailure(.badGateway, "cannot forward this operation to the leader \(leader.node) at \(leader.url): \(error)"))
        }
    }
}
