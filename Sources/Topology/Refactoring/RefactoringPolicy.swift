/// The settings topology refactoring decides with (orchestrator's configuration keys). Each has
/// orchestrator's default.
package struct RefactoringPolicy: Sendable, Equatable {
    /// `ReasonableMaintenanceReplicationLagSeconds`: the most a replica may lag (beyond its
    /// `SQL_Delay`) and still be moved; also the delayed-source replication rule (§1.1 #9).
    package var reasonableMaintenanceReplicationLagSeconds: Int64 = 20
    /// `VerifyReplicationFilters`: a replica without filters may not replicate from a source with some.
    package var verifyReplicationFilters = false
    /// `InstancePollSeconds`: "recently checked" means within 5 × this.
    package var instancePollSeconds: Double = 5
    /// `PromotionIgnoreHostnameFilters`: hosts regroup never chooses as the new local master.
    package var promotionIgnoreHostnameFilters: [String] = []

    package init(
        reasonableMaintenanceReplicationLagSeconds: Int64 = 20,
        verifyReplicationFilters: Bool = false,
        instancePollSeconds: Double = 5,
        promotionIgnoreHostnameFilters: [String] = []
    ) {
        self.reasonableMaintenanceReplicationLagSeconds = reasonableMaintenanceReplicationLagSeconds
        self.verifyReplicationFilters = verifyReplicationFilters
        self.instancePollSeconds = instancePollSeconds
        self.promotionIgnoreHostnameFilters = promotionIgnoreHostnameFilters
    }

    /// The settings `ReplicationRules` reads.
    package var replicationRuleSettings: ReplicationRules.Settings {
        ReplicationRules.Settings(
            reasonableMaintenanceReplicationLagSeconds: reasonableMaintenanceReplicationLagSeconds,
            verifyReplicationFilters: verifyReplicationFilters
        )
    }
}
