import APIModels
import Foundation
import Topology

extension APIContext {
    func jsonContext(freshlyProbed: Bool = false, now: Date? = nil) -> InstanceJSONContext {
        InstanceJSONContext(
            now: now ?? clock.now, pollSeconds: settings.pollSeconds,
            reasonableReplicationLagSeconds: settings.reasonableReplicationLagSeconds, freshlyProbed: freshlyProbed
        )
    }

    func json(_ instances: [Instance]) -> JSONValue {
        let context = jsonContext()
        return .array(instances.map { InstanceJSON.encode($0, context: context) })
    }

    /// A known instance, by exact key or orchestrator's fuzzy host completion.
    func knownInstance(_ key: InstanceKey) async throws(APIFailure) -> Instance {
        guard let instance = await registry.fuzzyInstance(key) else { throw .notFound("Cannot read instance: \(key)") }
        return instance
    }

    func clusterName(hint: String) async throws(APIFailure) -> String {
        do {
            return try await registry.resolveClusterHint(hint)
        } catch {
            throw .notFound(error.description)
        }
    }

    func clusterInfo(_ clusterName: String) async -> ClusterInfo {
        ClusterInfo(
            clusterName: clusterName,
            clusterAlias: await registry.alias(ofCluster: clusterName),
            clusterDomain: "",
            countInstances: await registry.instances(inCluster: clusterName).count,
            heuristicLag: 0,
            hasAutomatedMasterRecovery: false,
            hasAutomatedIntermediateMasterRecovery: false
        )
    }
}
