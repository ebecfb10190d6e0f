import Foundation
import Testing
import Topology

/// Which replaced masters are kept read-only: until their recovery is acknowledged, unless they
/// were put in charge again later or demoted on purpose.
struct DeposedMasterTests {
    static func key(_ port: Int) -> InstanceKey { InstanceKey(hostname: "db", port: port) }

    static func recovery(
        _ id: Int64, failed: Int, successor: Int?, successful: Bool = true, acknowledged: Bool = false, hint: String = "", at seconds: Double
    ) -> TopologyRecovery {
        var recovery = TopologyRecovery(
            uid: "u\(id)", key: key(failed), analysis: "DeadMaster", clusterName: "db:\(failed)", clusterAlias: "", replicas: [],
            type: "MasterRecovery", recoveryType: "MasterRecoveryGTID", commandHint: hint, startActivePeriod: Date(timeIntervalSince1970: seconds),
            processingNodeHostname: "n", processingNodeToken: "t"
        )
        recovery.id = id
        recovery.successor = successor.map(key)
        recovery.isSuccessful = successful
        recovery.isAcknowledged = acknowledged
        return recovery
    }

    @Test func successfulUnacknowledgedMasterRecoveriesDeposeTheirFailedMaster() {
        let recoveries = [
            Self.recovery(1, failed: 1, successor: 2, at: 10),
            Self.recovery(2, failed: 3, successor: 4, acknowledged: true, at: 11),
            Self.recovery(3, failed: 5, successor: nil, successful: false, at: 12),
            Self.recovery(4, failed: 6, successor: 7, hint: "graceful-master-takeover", at: 13),
        ]
        #expect(DeposedMaster.pending(in: recoveries, masterRecoveryType: "MasterRecovery") == [
            DeposedMaster(key: Self.key(1), successor: Self.key(2), recoveryUID: "u1"),
        ])
        var intermediate = Self.recovery(5, failed: 8, successor: 9, at: 14)
        intermediate.type = "IntermediateMasterRecovery"
        #expect(DeposedMaster.pending(in: [intermediate], masterRecoveryType: "MasterRecovery").isEmpty)
    }

    @Test func aMasterPromotedAgainLaterIsInChargeAndLeftAlone() {
        let back = [Self.recovery(1, failed: 1, successor: 2, at: 10), Self.recovery(2, failed: 2, successor: 1, at: 20)]
        #expect(DeposedMaster.pending(in: back, masterRecoveryType: "MasterRecovery").map(\.key) == [Self.key(2)])
        let deposedAgain = [Self.recovery(1, failed: 2, successor: 1, at: 10), Self.recovery(2, failed: 1, successor: 2, at: 20)]
        #expect(DeposedMaster.pending(in: deposedAgain, masterRecoveryType: "MasterRecovery").map(\.key) == [Self.key(1)])
    }

    @Test func onlyAReachableWritableNonReplicaIsFenced() {
        let deposed = DeposedMaster(key: Self.key(1), successor: Self.key(2), recoveryUID: "u1")
        var back = Instance(key: Self.key(1))
        back.lastChecked = Date()
        back.lastSeen = back.lastChecked
        #expect(deposed.mustFence(back))
        var readOnly = back
        readOnly.readOnly = true
        #expect(!deposed.mustFence(readOnly))
        var replica = back
        replica.masterKey = Self.key(2)
        replica.usingMariaDBGTID = true
        #expect(!deposed.mustFence(replica), "rejoined as a replica")
        var unreachable = back
        unreachable.lastSeen = back.lastChecked! - 10
        #expect(!deposed.mustFence(unreachable))
        #expect(!deposed.mustFence(nil))
    }
}

extension DeposedMasterTests {
    static func mariaDB(_ port: Int, state: String?) -> Instance {
        var instance = Instance(key: key(port))
        instance.version = "10.11.6-MariaDB"
        instance.gtidBinlogState = state
        instance.lastChecked = Date()
        instance.lastSeen = instance.lastChecked
        return instance
    }

    @Test func itRejoinsOnlyWhenItsSuccessorHasEverythingItWrote() {
        let deposed = DeposedMaster(key: Self.key(1), successor: Self.key(2), recoveryUID: "u1")
        let successor = Self.mariaDB(2, state: "0-1-100,0-2-7")
        #expect(deposed.rejoin(Self.mariaDB(1, state: "0-1-100"), successor: successor) == .replicate)
        #expect(deposed.rejoin(Self.mariaDB(1, state: ""), successor: Self.mariaDB(2, state: "")) == .replicate, "nothing logged anywhere")
        #expect(deposed.rejoin(Self.mariaDB(1, state: "0-1-101"), successor: successor)
            == .stayFenced("it has transactions its successor db:2 lacks: 0-1-101"))
        #expect(deposed.rejoin(Self.mariaDB(1, state: nil), successor: successor) == .stayFenced("the GTID states of it and its successor are not known"))
        var unreachable = successor
        unreachable.lastSeen = unreachable.lastChecked! - 5
        #expect(deposed.rejoin(Self.mariaDB(1, state: "0-1-100"), successor: unreachable) == .stayFenced("its successor db:2 is not reachable"))
        #expect(deposed.rejoin(Instance(key: Self.key(1)), successor: Instance(key: Self.key(2)).validated)
            == .stayFenced("without GTID on both it and its successor, what it lacks cannot be told"))
    }
}

private extension Instance {
    var validated: Instance {
        var instance = self
        instance.lastChecked = Date()
        instance.lastSeen = instance.lastChecked
        return instance
    }
}
