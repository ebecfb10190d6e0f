import Foundation
import Testing
import Topology

/// Anti-flapping and the other gates, on plain values: the one decision the store applies when
/// it registers a recovery and the preview shows.
struct RecoveryGateTests {
    static func key(_ port: Int) -> InstanceKey { InstanceKey(hostname: "db", port: port) }

    static func recovery(id: Int64, of port: Int, cluster: String = "db:1", successor: Int? = nil, ended: Bool = true) -> TopologyRecovery {
        var recovery = TopologyRecovery(
            uid: "u\(id)", key: key(port), analysis: "DeadMaster", clusterName: cluster, clusterAlias: "", replicas: [],
            type: "MasterRecovery", recoveryType: "MasterRecoveryGTID", startActivePeriod: Date(timeIntervalSince1970: 0),
            processingNodeHostname: "n", processingNodeToken: "t"
        )
        recovery.id = id
        recovery.successor = successor.map(key)
        recovery.endRecovery = ended ? Date(timeIntervalSince1970: 1) : nil
        return recovery
    }

    @Test func aPromotedServerAFinishedRecoveryOfTheSameAndTheClusterBlock() {
        let active = [
            Self.recovery(id: 3, of: 1, successor: 2),             // promoted db:2
            Self.recovery(id: 5, of: 7, cluster: "db:7"),          // another cluster
            Self.recovery(id: 4, of: 9, cluster: "db:1"),          // same cluster, other instance
        ]
        #expect(RecoveryGate.blockingRecoveries(of: Self.key(2), clusterName: "db:2", active: active).map(\.id) == [3])
        #expect(RecoveryGate.blockingRecoveries(of: Self.key(8), clusterName: "db:1", active: active).map(\.id) == [3, 4])
        #expect(RecoveryGate.blockingRecoveries(of: Self.key(7), clusterName: "db:7", active: active).map(\.id) == [5], "its own finished, unacknowledged recovery")
        #expect(RecoveryGate.blockingRecoveries(of: Self.key(2), clusterName: "db:2", active: active, blockOnRecentSuccessor: false).isEmpty)
    }

    @Test func aRunningRecoveryOfTheSameInstanceIsAlreadyActiveNotABlock() {
        let running = [Self.recovery(id: 6, of: 1, ended: false)]
        #expect(RecoveryGate.blockingRecoveries(of: Self.key(1), clusterName: "db:1", active: running).isEmpty)
        let facts = RecoveryGate.Facts(
            failed: Self.key(1), clusterName: "db:1", clusterAlias: "", isMaster: true, hasAutomatedRecovery: false,
            globallyDisabled: true, isDowntimed: true, activeRecoveries: running
        )
        #expect(RecoveryGate.blockers(facts) == [
            "cluster db:1 does not match RecoverMasterClusterFilters",
            "recoveries are globally disabled",
            "db:1 (or every replica its problem concerns) is downtimed",
            "recovery 6 of db:1 is running now",
        ])
    }
}
