import APIModels
import Engine
import Foundation
import Hummingbird
import Topology

/// Node health and leadership: `health`, `status` (or `StatusEndpoint`), `lb-check`, `_ping`,
/// `leader-check`, and the raft routes answered with the etcd-backed truth (`api.md` §7.15). A
/// single node without etcd is always its own leader.
struct HealthRoutes {
    let api: APIContext

    /// `StatusEndpoint` at its default, `/api/status`, is one of the API's routes.
    private var isStatusUnderAPI: Bool { api.settings.statusEndpoint == "/api/status" || api.settings.statusEndpoint.isEmpty }

    func register(on routes: RouterGroup<APIRequestContext>) {
        for path in isStatusUnderAPI ? ["health", "status"] : ["health"] {
            routes.api(RouterPath(path)) { _, _ throws(APIFailure) in await health() }
        }
        for path in ["lb-check", "_ping"] {
            routes.api(RouterPath(path)) { _, _ throws(APIFailure) in JSONResponse.make(.string("OK")) }
        }
        // `routed-leader-check` reaches here on the leader, or on a node that knows no leader
        // (a follower forwards it, `LeaderRoutingMiddleware`).
        for path in ["leader-check", "routed-leader-check"] {
            routes.api(RouterPath(path)) { _, _ throws(APIFailure) in leaderCheck(notLeader: .notFound) }
        }
        routes.api("leader-check/:errorStatusCode") { _, context throws(APIFailure) in
            // orchestrator: a status that is not a non-negative number answers 404.
            let code = context.parameters.get("errorStatusCode").flatMap(Int.init).flatMap { (100...599).contains($0) ? $0 : nil }
            return leaderCheck(notLeader: HTTPResponse.Status(code: code ?? 404))
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
        routes.api("raft-state") { _, _ throws(APIFailure) in JSONResponse.make(.string(api.leadership.state.raftState)) }
        routes.api("raft-leader") { _, _ throws(APIFailure) in JSONResponse.make(.string(api.leadership.state.leaderNode ?? "")) }
        routes.api("raft-health") { _, _ throws(APIFailure) in
            guard api.leadership.state.isHealthy else { throw .internalError("unhealthy") }
            return JSONResponse.make(.string("healthy"))
        }
        routes.api("raft-peers") { _, _ throws(APIFailure) in
            JSONResponse.make(.array(await api.leadership.nodes().map { .string($0.node) }))
        }
        // On the leader (a follower forwards it there): step down so another node leads.
        routes.api("reelect") { _, _ throws(APIFailure) in
            if let why = await api.leadership.stepDown() { throw .conflict("Unable to re-elect: \(why)") }
            return JSONResponse.ok("Set re-elections")
        }
        let mechanism = api.leadership.isDistributed ? "leadership goes through etcd, not raft" : "a single node, its own leader"
        for path in ["raft-snapshot", "raft-add-peer/:addr", "raft-remove-peer/:addr", "raft-yield/:addr", "raft-yield-hint/:addr"] {
            routes.api(RouterPath(stringLiteral: path)) { _, _ throws(APIFailure) in
                throw .conflict("\(path.split(separator: "/")[0]): not running with raft (\(mechanism))")
            }
        }
    }

    /// A `StatusEndpoint` other than `/api/status`, served at that path verbatim, as orchestrator does.
    func registerStatusEndpoint(on router: Router<APIRequestContext>) {
        guard !isStatusUnderAPI else { return }
        router.get(RouterPath(api.settings.statusEndpoint)) { _, _ -> Response in await health() }
    }

    private func leaderCheck(notLeader status: HTTPResponse.Status) -> Response {
        api.leadership.state.isLeader ? JSONResponse.make(.string("OK")) : JSONResponse.make(.string("Not leader"), status: status)
    }

    /// Healthy unless leadership through etcd knows no leader (etcd unreachable, or no node
    /// leading yet): then 500, saying why, as orchestrator does when its backend fails.
    ///
    /// Also unhealthy when this node cannot write its store (orchestrator writes `node_health`
    /// too): a node whose disk is full or read-only records no detection and runs no recovery.
    private func health() async -> Response {
        do {
            try await api.store.touchNodeHealth(hostname: api.settings.hostname, token: api.settings.token, at: api.clock.now)
        } catch {
            return JSONResponse.failure(.internalError("Application node is unhealthy: cannot write to its store \(api.settings.databaseFile): \(error)"))
        }
        let state = api.leadership.state
        var status = HealthStatusJSON(
            hostname: api.settings.hostname, token: api.settings.token, appVersion: api.settings.appVersion,
            firstSeenActive: api.settings.startedAt, lastSeenActive: api.clock.now, dbBackend: api.settings.databaseFile
        )
        if api.leadership.isDistributed {
            status.leadership = HealthStatusJSON.Leadership(
                isLeader: state.isLeader, leader: state.leaderNode ?? "", leaderURL: state.leaderURL(own: api.leadership.ownRecord) ?? "",
                advertise: api.leadership.ownRecord.node, nodes: await api.leadership.nodes().map(\.node), error: state.problem
            )
        }
        guard let problem = status.leadership?.error else { return JSONResponse.ok("Application node is healthy", details: status.json) }
        return JSONResponse.failure(APIFailure(.internalServerError, "Application node is unhealthy \(problem)", details: status.json))
    }
}

extension LeadershipState {
    /// Where the leader's API answers: this node's own URL when it leads.
    func leaderURL(own: LeaderRecord) -> String? {
        switch self {
        case .leader: own.url
        case .follower(let leader): leader.url
        case .unknown: nil
        }
    }
}
