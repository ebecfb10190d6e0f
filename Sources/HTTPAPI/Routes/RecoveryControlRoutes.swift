import APIModels
import Engine
import Foundation
import Hummingbird
import Store
import Topology

/// Acknowledgements, global disable, candidates and filters (`api.md` §7.7, §7.11).
struct RecoveryControlRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("ack-recovery/cluster/:clusterHint") { request, context throws(APIFailure) in
            let comment = try comment(request)
            let name = try await api.clusterName(hint: context.parameters.text("clusterHint"))
            let alias = await api.registry.alias(ofCluster: name)
            try await acknowledge(.cluster(name: name, alias: alias == name ? "" : alias), comment, by: owner(context))
            return JSONResponse.ok("Acknowledged cluster recoveries", details: .string(name))
        }
        routes.api("ack-recovery/cluster/alias/:clusterAlias") { request, context throws(APIFailure) in
            let comment = try comment(request)
            let alias = try context.parameters.text("clusterAlias")
            let name = (try? await api.clusterName(hint: alias)) ?? ""
            try await acknowledge(.cluster(name: name, alias: alias), comment, by: owner(context))
            return JSONResponse.ok("Acknowledged cluster recoveries", details: .string(name.isEmpty ? alias : name))
        }
        routes.api("ack-recovery/instance/:host/:port") { request, context throws(APIFailure) in
            let key = try context.parameters.instanceKey()
            let comment = try comment(request)
            try await acknowledge(.instance(key), comment, by: owner(context))
            return JSONResponse.ok("Acknowledged instance recoveries", details: key.json)
        }
        routes.api("ack-recovery/uid/:uid") { request, context throws(APIFailure) in
            let comment = try comment(request)
            let uid = try context.parameters.text("uid")
            try await acknowledge(.uid(uid), comment, by: owner(context))
            return JSONResponse.ok("Acknowledged recovery", details: .string(uid))
        }
        routes.api("ack-recovery/:recoveryId") { request, context throws(APIFailure) in
            let comment = try comment(request)
            let text = try context.parameters.text("recoveryId")
            guard let id = Int64(text) else { throw .badRequest("Invalid recovery id: \(text)") }
            try await acknowledge(.id(id), comment, by: owner(context))
            return JSONResponse.ok("Acknowledged recovery", details: .string(text))
        }
        routes.api("ack-all-recoveries") { request, context throws(APIFailure) in
            let comment = try comment(request)
            try await acknowledge(.all, comment, by: owner(context))
            return JSONResponse.ok("Acknowledged all recoveries", details: .string(comment))
        }
        routes.api("disable-global-recoveries") { _, _ throws(APIFailure) in
            try await control { () throws(ControlsError) in try await api.controls.setRecoveriesDisabled(true) }
            return JSONResponse.ok("Globally disabled recoveries", details: "disabled")
        }
        routes.api("enable-global-recoveries") { _, _ throws(APIFailure) in
            try await control { () throws(ControlsError) in try await api.controls.setRecoveriesDisabled(false) }
            return JSONResponse.ok("Globally enabled recoveries", details: "enabled")
        }
        routes.api("check-global-recoveries") { _, _ throws(APIFailure) in
            let disabled = try await write { () throws(StoreError) in try await api.store.areGlobalRecoveriesDisabled() }
            return disabled ? JSONResponse.ok("Global recoveries disabled", details: "disabled") : JSONResponse.ok("Global recoveries enabled", details: "enabled")
        }
        routes.api("register-candidate/:host/:port/:promotionRule") { _, context throws(APIFailure) in
            let key = try context.parameters.instanceKey()
            let text = try context.parameters.text("promotionRule")
            guard let rule = PromotionRule(rawValue: text) else { throw .badRequest("Invalid CandidatePromotionRule: \(text)") }
            guard rule != .must else { throw .badRequest("CandidatePromotionRule: must not supported yet") }
            _ = try await api.knownInstance(key)
            try await control { () throws(ControlsError) in
                try await api.controls.registerCandidate(SharedCandidate(key: key, rule: rule, registeredAt: api.clock.now))
            }
            return JSONResponse.ok("Registered candidate", details: key.json)
        }
        routes.api("automated-recovery-filters") { _, _ throws(APIFailure) in
            let strings = { (values: [String]) in JSONValue.array(values.map { .string($0) }) }
            return JSONResponse.ok("Automated recovery configuration details", details: [
                "RecoverMasterClusterFilters": strings(api.settings.recoverMasterClusterFilters),
                "RecoverIntermediateMasterClusterFilters": strings(api.settings.recoverIntermediateMasterClusterFilters),
                "RecoveryIgnoreHostnameFilters": strings(api.settings.recoveryIgnoreHostnameFilters),
            ])
        }
    }

    /// orchestrator requires a non-empty `comment` for every acknowledgement.
    private func comment(_ request: Request) throws(APIFailure) -> String {
        let comment = (request.uri.queryParameters.get("comment") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !comment.isEmpty else { throw .badRequest("No acknowledge comment given") }
        return comment
    }

    /// orchestrator's acknowledger: the authenticated user (Basic, or the proxy's header),
    /// else the maintenance owner.
    private func owner(_ context: APIRequestContext) -> String {
        context.identity.user.isEmpty ? api.settings.maintenanceOwner : context.identity.user
    }

    private func acknowledge(_ selection: RecoverySelection, _ comment: String, by owner: String) async throws(APIFailure) {
        try await write { () throws(StoreError) in _ = try await api.store.acknowledgeRecoveries(selection, by: owner, comment: comment, at: api.clock.now) }
        await api.recovery?.forgetAcknowledgedSharedRecoveries()
    }

    private func control(_ body: () async throws(ControlsError) -> Void) async throws(APIFailure) {
        do { try await body() } catch { throw error.apiFailure }
    }

    private func write<T>(_ body: () async throws(StoreError) -> T) async throws(APIFailure) -> T {
        do {
            return try await body()
        } catch {
            throw .internalError("\(error)")
        }
    }
}
