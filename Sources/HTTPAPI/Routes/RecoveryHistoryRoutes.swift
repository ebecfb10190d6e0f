import APIModels
import Engine
import Foundation
import Hummingbird
import Store
import Topology

/// Recovery history: `audit-recovery…`, `audit-recovery-steps/:uid`, `blocked-recoveries…`,
/// `active-cluster-recovery/:clusterName`, `recently-active-cluster-recovery/:clusterName`,
/// `recently-active-instance-recovery/:host/:port` (`api.md` §7.7, §7.9).
struct RecoveryHistoryRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("audit-recovery") { request, _ throws(APIFailure) in try await list(request, RecoveryQuery()) }
        routes.api("audit-recovery/:page") { request, context throws(APIFailure) in
            try await list(request, query(page: context.parameters.text("page")))
        }
        routes.api("audit-recovery/id/:id") { request, context throws(APIFailure) in
            var query = RecoveryQuery()
            let text = try context.parameters.text("id")
            guard let id = Int64(text) else { throw .badRequest("Invalid recovery id: \(text)") }
            query.id = id
            return try await list(request, query)
        }
        routes.api("audit-recovery/uid/:uid") { request, context throws(APIFailure) in
            var query = RecoveryQuery()
            query.uid = try context.parameters.text("uid")
            return try await list(request, query)
        }
        for (segment, field) in [("cluster", \RecoveryQuery.clusterName), ("alias", \RecoveryQuery.clusterAlias)] {
            routes.api("audit-recovery/\(segment)/:name") { request, context throws(APIFailure) in
                var query = RecoveryQuery()
                query[keyPath: field] = try context.parameters.text("name")
                return try await list(request, query)
            }
            routes.api("audit-recovery/\(segment)/:name/:page") { request, context throws(APIFailure) in
                var query = try query(page: context.parameters.text("page"))
                query[keyPath: field] = try context.parameters.text("name")
                return try await list(request, query)
            }
        }
        routes.api("audit-recovery-steps/:uid") { _, context throws(APIFailure) in
            let uid = try context.parameters.text("uid")
            let steps = try await read { () throws(StoreError) in try await api.store.recoverySteps(uid: uid) }
            return JSONResponse.make(.array(steps.map(TopologyRecoveryJSON.step)))
        }
        routes.api("blocked-recoveries") { _, _ throws(APIFailure) in try await blocked(nil) }
        routes.api("blocked-recoveries/cluster/:clusterName") { _, context throws(APIFailure) in
            try await blocked(context.parameters.text("clusterName"))
        }
        routes.api("active-cluster-recovery/:clusterName") { _, context throws(APIFailure) in
            let name = try await api.clusterName(hint: context.parameters.text("clusterName"))
            return encode(try await read { () throws(StoreError) in try await api.store.activeRecoveries(clusterName: name) })
        }
        routes.api("recently-active-cluster-recovery/:clusterName") { _, context throws(APIFailure) in
            let name = try context.parameters.text("clusterName")
            let since = api.clock.now.addingTimeInterval(-300)
            return encode(try await read { () throws(StoreError) in try await api.store.recentlyEndedRecoveries(clusterName: name, since: since) })
        }
        routes.api("recently-active-instance-recovery/:host/:port") { _, context throws(APIFailure) in
            let key = try context.parameters.instanceKey()
            let since = api.clock.now.addingTimeInterval(-300)
            return encode(try await read { () throws(StoreError) in try await api.store.recentlyEndedRecoveries(successor: key, since: since) })
        }
    }

    private func query(page text: String) throws(APIFailure) -> RecoveryQuery {
        var query = RecoveryQuery()
        // orchestrator: a non-integer or negative page means page 0.
        query.page = max(0, Int(text) ?? 0)
        return query
    }

    private func list(_ request: Request, _ query: RecoveryQuery) async throws(APIFailure) -> Response {
        var query = query
        query.unacknowledgedOnly = request.uri.queryParameters.get("unacknowledged") == "true"
        return encode(try await read { () throws(StoreError) in try await api.store.recoveries(query) })
    }

    private func blocked(_ clusterName: String?) async throws(APIFailure) -> Response {
        let rows = try await read { () throws(StoreError) in try await api.store.blockedRecoveries(clusterName: clusterName) }
        return JSONResponse.make(.array(rows.map(TopologyRecoveryJSON.blocked)))
    }

    private func encode(_ recoveries: [TopologyRecovery]) -> Response {
        JSONResponse.make(.array(recoveries.map { api.recoveryJSON($0) }))
    }

    private func read<T>(_ body: () async throws(StoreError) -> T) async throws(APIFailure) -> T {
        do {
            return try await body()
        } catch {
            throw .internalError("Cannot read recoveries: \(error)")
        }
    }
}

extension APIContext {
    /// A recovery as orchestrator serves it, with the cluster's recovery flags as configured now.
    func recoveryJSON(_ recovery: TopologyRecovery) -> JSONValue {
        TopologyRecoveryJSON.encode(
            recovery,
            automatedMaster: ClusterFilter.matches(settings.recoverMasterClusterFilters, clusterName: recovery.clusterName, clusterAlias: recovery.clusterAlias),
            automatedIntermediateMaster: ClusterFilter.matches(
                settings.recoverIntermediateMasterClusterFilters, clusterName: recovery.clusterName, clusterAlias: recovery.clusterAlias
            )
        )
    }
}
