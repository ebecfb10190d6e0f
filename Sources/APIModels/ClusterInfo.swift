/// orchestrator's `ClusterInfo` (`clusters-info`, `cluster-info/...`).
package struct ClusterInfo: Sendable, Equatable, JSONRepresentable {
    package var clusterName: String
    package var clusterAlias: String
    package var clusterDomain: String
    package var countInstances: Int
    package var heuristicLag: Int64
    package var hasAutomatedMasterRecovery: Bool
    package var hasAutomatedIntermediateMasterRecovery: Bool

    package init(clusterName: String, clusterAlias: String, clusterDomain: String, countInstances: Int, heuristicLag: Int64,
                 hasAutomatedMasterRecovery: Bool, hasAutomatedIntermediateMasterRecovery: Bool) {
        self.clusterName = clusterName
        self.clusterAlias = clusterAlias
        self.clusterDomain = clusterDomain
        self.countInstances = countInstances
        self.heuristicLag = heuristicLag
        self.hasAutomatedMasterRecovery = hasAutomatedMasterRecovery
        self.hasAutomatedIntermediateMasterRecovery = hasAutomatedIntermediateMasterRecovery
    }

    package init(json: JSONValue) throws(InstanceJSONError) {
        guard let name = json["ClusterName"]?.stringValue else { throw InstanceJSONError("ClusterInfo: missing field ClusterName") }
        self.init(
            clusterName: name, clusterAlias: json["ClusterAlias"]?.stringValue ?? name,
            clusterDomain: json["ClusterDomain"]?.stringValue ?? "", countInstances: Int(json["CountInstances"]?.intValue ?? 0),
            heuristicLag: json["HeuristicLag"]?.intValue ?? 0,
            hasAutomatedMasterRecovery: json["HasAutomatedMasterRecovery"]?.boolValue ?? false,
            hasAutomatedIntermediateMasterRecovery: json["HasAutomatedIntermediateMasterRecovery"]?.boolValue ?? false
        )
    }

    package var json: JSONValue {
        .object([
            ("ClusterName", .string(clusterName)), ("ClusterAlias", .string(clusterAlias)), ("ClusterDomain", .string(clusterDomain)),
            ("CountInstances", .int(Int64(countInstances))), ("HeuristicLag", .int(heuristicLag)),
            ("HasAutomatedMasterRecovery", .bool(hasAutomatedMasterRecovery)),
            ("HasAutomatedIntermediateMasterRecovery", .bool(hasAutomatedIntermediateMasterRecovery)),
        ])
    }
}
