import Foundation
import Testing
import Topology

private typealias F = RefactoringFixture

@Suite struct RegroupReplicasTests {
    let policy = RefactoringPolicy()

    /// A master (dead when `alive` is false) with replicas at the given positions.
    private func topology(_ positions: [Int: Int64], _ replication: F.Replication = .mariaDBGTID, alive: Bool = true) -> RefactoringSnapshot {
        var master = F.server(23306, replication)
        if !alive { master.lastSeen = F.now.addingTimeInterval(-30) }
        return F.snapshot([master] + positions.map { F.server($0.key, below: 23306, replication, position: $0.value) })
    }

    @Test func theMostAdvancedReplicaTakesOverByGTIDEvenUnderADeadMaster() throws {
        let plan = try RefactoringRules.regroupReplicas(of: F.key(23306), in: topology([23307: 98, 23308: 100, 23309: 99], alive: false), policy: policy)
        #expect(plan.candidate == F.key(23308))
        #expect(plan.moves == [
            Relocation(instance: F.key(23307), target: F.key(23308), method: .mariaDBGTID, currentMaster: F.key(23306)),
            Relocation(instance: F.key(23309), target: F.key(23308), method: .mariaDBGTID, currentMaster: F.key(23306)),
        ])
        #expect(plan.lost.isEmpty && plan.excluded.isEmpty)
    }

    @Test func anIneligibleReplicaAheadOfTheCandidateIsLost() throws {
        var snapshot = topology([23307: 98, 23308: 100, 23309: 99])
        snapshot.instances[F.key(23308)]?.logReplicationUpdatesEnabled = false
        let plan = try RefactoringRules.regroupReplicas(of: F.key(23306), in: snapshot, policy: policy)
        #expect(plan.candidate == F.key(23309))
        #expect(plan.moves.map(\.instance) == [F.key(23307)])
        #expect(plan.lost == [LostReplica(key: F.key(23308), reason: "127.0.0.1:23308 holds transactions 127.0.0.1:23309 lacks: domain 0: up to 0-1-100 (1 transaction after 0-1-99)")])
        #expect(plan.excluded == [Exclusion(key: F.key(23308), reasons: ["log_slave_updates is off"])])
    }

    @Test func nothingOrOneReplicaIsNoWork() throws {
        #expect(try RefactoringRules.regroupReplicas(of: F.key(23306), in: topology([:]), policy: policy) == RegroupPlan(master: F.key(23306), candidate: nil))
        #expect(try RefactoringRules.regroupReplicas(of: F.key(23306), in: topology([23307: 5]), policy: policy) == RegroupPlan(master: F.key(23306), candidate: F.key(23307)))
    }

    @Test func noEligibleReplicaIsARefusal() {
        var snapshot = topology([23307: 98, 23308: 100])
        snapshot.instances[F.key(23307)]?.logBinEnabled = false
        snapshot.instances[F.key(23308)]?.promotionRule = .mustNot
        do {
            let plan = try RefactoringRules.regroupReplicas(of: F.key(23306), in: snapshot, policy: policy)
            Issue.record("expected a refusal, got \(plan)")
        } catch {
            #expect(error.description == "cannot regroup the replicas of 127.0.0.1:23306: no replica of 127.0.0.1:23306 can take over its siblings; "
                + "127.0.0.1:23308: promotion rule must_not; 127.0.0.1:23307: no binary log")
        }
    }

    @Test func withoutGTIDReplicasMoveAsSiblingsWhileTheMasterCanFeedThem() throws {
        let alive = try RefactoringRules.regroupReplicas(of: F.key(23306), in: topology([23307: 100, 23308: 100, 23309: 90], .coordinates), policy: policy)
        #expect(alive.candidate == F.key(23307))
        #expect(alive.moves.map(\.description) == [
            "127.0.0.1:23308 below 127.0.0.1:23307 (moveBelowSibling)", "127.0.0.1:23309 below 127.0.0.1:23307 (moveBelowSibling)",
        ])
        let dead = try RefactoringRules.regroupReplicas(of: F.key(23306), in: topology([23307: 100, 23308: 100, 23309: 90], .coordinates, alive: false), policy: policy)
        #expect(dead.moves.map(\.instance) == [F.key(23308)])
        #expect(dead.lost == [LostReplica(
            key: F.key(23309),
            reason: "127.0.0.1:23309 is behind 127.0.0.1:23307 and does not replicate with GTID; it could only catch up through its master, which is not reachable"
        )])
    }

    @Test func maintenanceDelayAndReplicationRulesShapeThePlan() throws {
        var snapshot = topology([23307: 100, 23308: 99, 23309: 98, 23310: 97, 23311: 90])
        snapshot.maintenance = [F.key(23307): F.lock(23307), F.key(23310): F.lock(23310, owner: "bob", reason: "resize")]
        snapshot.instances[F.key(23308)]?.sqlDelay = 3600
        snapshot.instances[F.key(23311)]?.binlogFormat = "STATEMENT"
        let plan = try RefactoringRules.regroupReplicas(of: F.key(23306), in: snapshot, policy: policy)
        #expect(plan.candidate == F.key(23309))
        #expect(plan.excluded.map(\.description) == [
            "127.0.0.1:23307: 127.0.0.1:23307 is in maintenance by alice: upgrade",
            "127.0.0.1:23308: delayed replica (SQL_Delay 3600 s)",
            "127.0.0.1:23310: 127.0.0.1:23310 is in maintenance by bob: resize",
        ])
        #expect(plan.moves.isEmpty)
        #expect(plan.lost.map(\.description) == [
            "127.0.0.1:23307: 127.0.0.1:23307 is in maintenance by alice: upgrade; "
                + "127.0.0.1:23307 holds transactions 127.0.0.1:23309 lacks: domain 0: up to 0-1-100 (2 transactions after 0-1-98)",
            "127.0.0.1:23308: 127.0.0.1:23308 holds transactions 127.0.0.1:23309 lacks: domain 0: up to 0-1-99 (1 transaction after 0-1-98)",
            "127.0.0.1:23310: 127.0.0.1:23310 is in maintenance by bob: resize",
            "127.0.0.1:23311: 127.0.0.1:23311 logs STATEMENT and cannot replicate from 127.0.0.1:23309, which logs ROW",
        ])
    }
}
