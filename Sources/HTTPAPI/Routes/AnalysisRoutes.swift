import APIModels
import Engine
import Hummingbird
import Store
import Topology

/// Replication analysis and failure detections: `replication-analysis[/:clusterName]`,
/// `replication-analysis/instance/:host/:port`, `audit-failure-detection[/:page]`,
/// `audit-failure-detection/id/:id`, `audit-failure-detection/alias/:clusterAlias[/:page]`.
struct AnalysisRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("replication-analysis") { _, _ throws(APIFailure) in
            analysisAnswer(await api.analysis.currentAnalysis())
        }
        routes.api("replication-analysis/:clusterName") { _, context throws(APIFailure) in
            let cluster = try await api.clusterName(hint: context.parameters.text("clusterName"))
            return analysisAnswer(await api.analysis.currentAnalysis(clusterName: cluster))
        }
        routes.api("replication-analysis/instance/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            return analysisAnswer(await api.analysis.currentAnalysis().filter { $0.analyzedInstanceKey == key })
        }
        routes.api("audit-failure-detection") { _, _ throws(APIFailure) in try await detections(page: 0) }
        routes.api("audit-failure-detection/:page") { _, context throws(APIFailure) in
            try await detections(page: pageNumber(context.parameters.text("page")))
        }
        routes.api("audit-failure-detection/id/:id") { _, context throws(APIFailure) in
            let text = try context.parameters.text("id")
            guard let id = Int64(text) else { throw .badRequest("Invalid detection id: \(text)") }
            return try await detections(page: 0, id: id)
        }
        routes.api("audit-failure-detection/alias/:clusterAlias") { _, context throws(APIFailure) in
            try await detections(page: 0, alias: context.parameters.text("clusterAlias"))
        }
        routes.api("audit-failure-detection/alias/:clusterAlias/:page") { _, context throws(APIFailure) in
            try await detections(page: pageNumber(context.parameters.text("page")), alias: context.parameters.text("clusterAlias"))
        }
    }

    private var node: ReplicationAnalysisJSON.Node {
        ReplicationAnalysisJSON.Node(hostname: api.settings.hostname, token: api.settings.token)
    }

    private func analysisAnswer(_ entries: [ReplicationAnalysis]) -> Response {
        JSONResponse.ok("Analysis", details: .array(entries.map { ReplicationAnalysisJSON.encode($0, node: node) }))
    }

    private func pageNumber(_ text: String) throws(APIFailure) -> Int {
        guard let page = Int(text), page >= 0 else { throw .badRequest("Invalid page: \(text)") }
        return page
    }

    private func detections(page: Int, id: Int64? = nil, alias: String? = nil) async throws(APIFailure) -> Response {
        let rows: [FailureDetection]
        do {
            rows = try await api.store.failureDetections(page: page, id: id, clusterAlias: alias)
        } catch {
            throw .internalError("Cannot read failure detections: \(error)")
        }
        return JSONResponse.make(.array(rows.map { row in
            var entry = ReplicationAnalysis(
                analyzedInstanceKey: row.key, analyzedInstanceMasterKey: InstanceKey(hostname: "", port: 0),
                clusterDetails: AnalysisClusterDetails(
                    clusterName: row.clusterName, clusterAlias: row.clusterAlias, clusterDomain: row.clusterName,
                    hasAutomatedMasterRecovery: false, hasAutomatedIntermediateMasterRecovery: false
                )
            )
            entry.analysis = AnalysisCode(rawValue: row.analysis) ?? .noProblem
            entry.countReplicas = row.countReplicas
            entry.countValidReplicas = row.countValidReplicas
            entry.countValidReplicatingReplicas = row.countValidReplicatingReplicas
            entry.countReplicasFailingToConnectToMaster = row.countReplicasFailingToConnect
            entry.replicas = row.replicas
            entry.isActionableRecovery = row.isActionable
            return FailureDetectionJSON.encode(
                id: row.id ?? 0, isActive: row.isActive, startActivePeriod: row.startActivePeriod,
                node: ReplicationAnalysisJSON.Node(hostname: row.processingNodeHostname, token: row.processingNodeToken),
                relatedRecoveryID: row.relatedRecoveryID, entry: entry
            )
        }))
    }
}
