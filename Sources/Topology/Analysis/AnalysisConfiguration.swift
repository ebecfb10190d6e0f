/// The configuration keys analysis reads, with orchestrator's defaults.
package struct AnalysisConfiguration: Sendable, Equatable {
    /// `InstancePollSeconds`.
    package var instancePollSeconds: Double = 5
    /// `ReasonableInstanceCheckSeconds`.
    package var reasonableInstanceCheckSeconds: Double = 1
    /// `ReasonableReplicationLagSeconds`.
    package var reasonableReplicationLagSeconds: Int64 = 10
    /// `ReasonableLockedSemiSyncMasterSeconds`; 0 means "same as ReasonableReplicationLagSeconds".
    package var reasonableLockedSemiSyncMasterSeconds: Int64 = 0
    /// `RecoverNonWriteableMaster`.
    package var recoverNonWriteableMaster = false
    /// `EnforceExactSemiSyncReplicas`.
    package var enforceExactSemiSyncReplicas = false
    /// `ReduceReplicationAnalysisCount`: only rows that can carry a problem.
    package var reduceReplicationAnalysisCount = true
    /// `RecoveryIgnoreHostnameFilters`: unanchored regexes on the hostname.
    package var recoveryIgnoreHostnameFilters: [String] = []
    /// `RecoverMasterClusterFilters`.
    package var recoverMasterClusterFilters: [String] = []
    /// `RecoverIntermediateMasterClusterFilters`.
    package var recoverIntermediateMasterClusterFilters: [String] = []

    package init() {}

    /// orchestrator's validity window `InstancePollSeconds + ReasonableInstanceCheckSeconds`.
    package var validSecondsFromSeenToLastAttemptedCheck: Double {
        instancePollSeconds + reasonableInstanceCheckSeconds
    }

    package var effectiveLockedSemiSyncMasterSeconds: Int64 {
        reasonableLockedSemiSyncMasterSeconds > 0 ? reasonableLockedSemiSyncMasterSeconds : reasonableReplicationLagSeconds
    }
}

/// Which entries a caller wants (`analysis.md` §7).
package struct AnalysisHints: Sendable, Equatable {
    package var includeDowntimed: Bool
    package var includeNoProblem: Bool

    package init(includeDowntimed: Bool = false, includeNoProblem: Bool = false) {
        self.includeDowntimed = includeDowntimed
        self.includeNoProblem = includeNoProblem
    }

    /// `/api/replication-analysis` and automated detection.
    package static let api = AnalysisHints(includeDowntimed: true)
    /// The `replication-analysis` command line.
    package static let commandLine = AnalysisHints()
}
