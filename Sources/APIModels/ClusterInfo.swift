/// orchestrator's `ClusterInfo` (`clusters-info`, `cluster-info/…`), `json.md` §6.
package struct ClusterInfo: Sendable, Equatable, JSONRepresentable {
    /// `host:port` of the cluster's top master.
    package var clusterName: String
    /// The operator's alias, else the suggested one, else the cluster name.
    package var clusterAlias: String
    package var clusterDomain: String
    package var countInstances: Int
    /// orchestrator never computes it: always 0 on the wire.
    package var heuristicLag: Int64
    package var hasAutomatedMasterRecovery: Bool
    package var hasAutomatedIntermediateMasterRecovery: Bool

    package init(clusterName: String, clusterAlias: String, clusterDomain: String = "", countInstances: Int, heuristicLag: Int64 = 0,
                 hasAutomatedMasterRecovery: Bool, hasAutomatedIntermediateMasterRecovery: Bool) {
        self.clusterName = clusterName
        self.clusterAlias = clusterAlias
        self.clusterDomain = clusterDomain
        self.countInstances = countInstances
        self.heuristicLag = heuristicLag
        self.hasAutomatedMasterRecovery = hasAutomatedMasterRecovery
        self.hasAutomatedIntermediateMasterRecovery = hasAutomatedIntermediateMasterRecovery
    }

    /// Reads orchestrator's JSON. `ClusterName` is required; other missing fields take defaults
    /// (the alias defaults to the name, as orchestrator does when no alias is known).
    package init(json: JSONValue) throws(InstanceJSONError) {
        guard case .object = json else { throw InstanceJSONError(document: "cluster info", reason: "expected a JSON object") }
        guard let name = json["ClusterName"]?.stringValue, !name.isEmpty else {
            throw InstanceJSONError(document: "cluster info", field: "ClusterName", reason: "missing or not a non-empty string")
        }
        let reader = JSONFieldReader(object: json, error: InstanceJSONError(document: "cluster info", instance: name, reason: ""))
        self.init(
            clusterName: name,
            clusterAlias: try reader.string("ClusterAlias", default: name),
            clusterDomain: try reader.string("ClusterDomain"),
            countInstances: Int(try reader.int("CountInstances")),
            heuristicLag: try reader.int("HeuristicLag"),
            hasAutomatedMasterRecovery: try reader.bool("HasAutomatedMasterRecovery"),
            hasAutomatedIntermediateMasterRecovery: try reader.bool("HasAutomatedIntermediateMasterRecovery")
        )
    }

    package var json: JSONValue {
        .object([
            ("ClusterName", .string(clusterName)),
            ("ClusterAlias", .string(clusterAlias)),
            ("ClusterDomain", .string(clusterDomain)),
            ("CountInstances", .int(Int64(countInstances))),
            ("HeuristicLag", .int(heuristicLag)),
            ("HasAutomatedMasterRecovery", .bool(hasAutomatedMasterRecovery)),
            ("HasAutomatedIntermediateMasterRecovery", .bool(hasAutomatedIntermediateMasterRecovery)),
        ])
    }
}
