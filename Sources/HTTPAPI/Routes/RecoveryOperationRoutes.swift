import APIModels
import Engine
import Foundation
import Hummingbird
import Store
import Topology

/// Manual recoveries and our recovery plan: `recover…`, `recover-lite…`,
/// `force-master-failover/:clusterHint`, `force-master-takeover/:clusterHint/:designatedHost/:designatedPort`,
/// `graceful-master-takeover[-auto]/:clusterHint[/:designatedHost/:designatedPort]`,
/// `recovery-plan/:clusterHint`.
struct RecoveryOperationRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        for (path, skip) in [("recover", false), ("recover-lite", true)] {
            routes.api("\(path)/:host/:port") { request, context throws(APIFailure) in
                try await recover(context.parameters.instanceKey(), candidate: nil, skipProcesses: skip || skipRequested(request))
            }
            routes.api("\(path)/:host/:port/:candidateHost/:candidatePort") { request, context throws(APIFailure) in
                let candidate = try context.parameters.instanceKey(host: "candidateHost", port: "candidatePort")
                return try await recover(context.parameters.instanceKey(), candidate: candidate, skipProcesses: skip || skipRequested(request))
            }
        }
        // The cluster comes as a hint (one segment) or as its master's host/port (two); a
        // designated replica follows as host/port. The router needs one parameter name per
        // position, so the segments are read by count.
        routes.api("force-master-failover/:clusterHint") { _, context throws(APIFailure) in
            try await force(clusterHint: context.parameters.text("clusterHint"), hint: "force-master-failover", designated: nil)
        }
        routes.api("force-master-failover/:clusterHint/:second") { _, context throws(APIFailure) in
            try await force(clusterHint: hostPortHint(context), hint: "force-master-failover", designated: nil)
        }
        routes.api("force-master-takeover/:clusterHint/:second/:third") { _, context throws(APIFailure) in
            let designated = try context.parameters.instanceKey(host: "second", port: "third")
            return try await force(clusterHint: context.parameters.text("clusterHint"), hint: "force-master-takeover", designated: designated)
        }
        routes.api("force-master-takeover/:clusterHint/:second/:third/:fourth") { _, context throws(APIFailure) in
            let designated = try context.parameters.instanceKey(host: "third", port: "fourth")
            return try await force(clusterHint: hostPortHint(context), hint: "force-master-takeover", designated: designated)
        }
        for (path, auto) in [("graceful-master-takeover", false), ("graceful-master-takeover-auto", true)] {
            routes.api("\(path)/:clusterHint") { _, context throws(APIFailure) in
                try await takeover(clusterHint: context.parameters.text("clusterHint"), designated: nil, auto: auto)
            }
            routes.api("\(path)/:clusterHint/:second") { _, context throws(APIFailure) in
                try await takeover(clusterHint: hostPortHint(context), designated: nil, auto: auto)
            }
            routes.api("\(path)/:clusterHint/:second/:third") { _, context throws(APIFailure) in
                let designated = try context.parameters.instanceKey(host: "second", port: "third")
                return try await takeover(clusterHint: context.parameters.text("clusterHint"), designated: designated, auto: auto)
            }
            routes.api("\(path)/:clusterHint/:second/:third/:fourth") { _, context throws(APIFailure) in
                let designated = try context.parameters.instanceKey(host: "third", port: "fourth")
                return try await takeover(clusterHint: hostPortHint(context), designated: designated, auto: auto)
            }
        }
        routes.api("recovery-plan/:clusterHint") { _, context throws(APIFailure) in
            let recovery = try service()
            let (master, entry) = try await masterEntry(clusterHint: context.parameters.text("clusterHint"))
            let preview = await recovery.previewMasterRecovery(entry)
            return JSONResponse.ok("Recovery plan", details: RecoveryPlanJSON.encode(failedMaster: master.key, plan: preview.plan, blockers: preview.blockers))
        }
    }

    /// `:clusterHint/:second` as the master's `host:port`, validated.
    private func hostPortHint(_ context: APIRequestContext) throws(APIFailure) -> String {
        try context.parameters.instanceKey(host: "clusterHint", port: "second").description
    }

    private func skipRequested(_ request: Request) -> Bool { request.uri.queryParameters.get("skipProcesses") == "true" }

    private func service() throws(APIFailure) -> RecoveryService {
        guard let recovery = api.recovery else { throw APIFailure(.serviceUnavailable, "Recovery is not running on this node") }
        return recovery
    }

    /// orchestrator's manual `recover`: acts only on a current analysis entry of that instance
    /// that has a recovery, forced (filters, disable and blocks do not apply).
    private func recover(_ key: InstanceKey, candidate: InstanceKey?, skipProcesses: Bool) async throws(APIFailure) -> Response {
        let recovery = try service()
        _ = try await api.knownInstance(key)
        let entries = await api.analysis.currentAnalysis(hints: AnalysisHints(includeDowntimed: true))
        guard let entry = entries.first(where: { $0.analyzedInstanceKey == key && $0.analysis.dispatch == .actionable }) else {
            throw .conflict("Recovery not attempted", details: key.json)
        }
        return try outcome(await recovery.recover(entry, forced: true, skipProcesses: skipProcesses, candidate: candidate), failed: key) { record, successor in
            JSONResponse.ok("Recovery executed on \(key)", details: successor.json)
        }
    }

    private func force(clusterHint: String, hint: String, designated: InstanceKey?) async throws(APIFailure) -> Response {
        let recovery = try service()
        let (master, entry) = try await masterEntry(clusterHint: clusterHint)
        if let designated {
            _ = try await api.knownInstance(designated)
            guard await api.registry.replicas(of: master.key).contains(where: { $0.key == designated }) else {
                throw .conflict("\(designated) is not a direct replica of the master \(master.key)")
            }
        }
        return try outcome(await recovery.forceMasterFailover(entry, commandHint: hint, candidate: designated), failed: master.key) { record, _ in
            JSONResponse.ok("Master failed over", details: api.recoveryJSON(record))
        }
    }

    private func takeover(clusterHint: String, designated: InstanceKey?, auto: Bool) async throws(APIFailure) -> Response {
        let recovery = try service()
        let name = try await api.clusterName(hint: clusterHint)
        if let designated { _ = try await api.knownInstance(designated) }
        do throws(TakeoverError) {
            let record = try await recovery.gracefulMasterTakeover(clusterName: name, designated: designated, auto: auto)
            return JSONResponse.ok("graceful-master-takeover: successor promoted", details: api.recoveryJSON(record))
        } catch {
            throw .conflict(error.description, details: error.recovery.map { api.recoveryJSON($0) } ?? .null)
        }
    }

    /// The master of a cluster and its analysis entry (whatever its code).
    private func masterEntry(clusterHint: String) async throws(APIFailure) -> (Instance, ReplicationAnalysis) {
        let name = try await api.clusterName(hint: clusterHint)
        guard let master = await api.registry.masterInstance(ofCluster: name) else { throw .notFound("Cannot find master of cluster \(name)") }
        let entries = await api.analysis.currentAnalysis(clusterName: name, hints: AnalysisHints(includeDowntimed: true, includeNoProblem: true))
        guard let entry = entries.first(where: { $0.analyzedInstanceKey == master.key }) else {
            throw .notFound("No analysis of the master \(master.key) of cluster \(name)")
        }
        return (master, entry)
    }

    private func outcome(
        _ result: RecoveryResult, failed: InstanceKey, success: (TopologyRecovery, InstanceKey) -> Response
    ) throws(APIFailure) -> Response {
        switch result {
        case .notAttempted(let reason):
            throw .conflict("Recovery not attempted: \(reason)", details: failed.json)
        case .alreadyActive:
            throw .conflict("Recovery not attempted: a recovery of \(failed) is already active", details: failed.json)
        case .blocked(let ids):
            throw .conflict("Recovery not attempted: blocked by active recoveries \(ids.map(String.init).joined(separator: ", "))", details: failed.json)
        case .recovered(let record):
            guard let successor = record.successor else {
                throw .conflict("Recovery attempted but no instance promoted: \(record.allErrors.joined(separator: "; "))", details: api.recoveryJSON(record))
            }
            return success(record, successor)
        }
    }
}
