import Foundation
import Testing
import Topology

private typealias F = RefactoringFixture

/// The reasons of the refusal `body` throws (failing the test when it does not).
private func reasons<T>(_ body: () throws(RefactoringRefusal) -> T) -> [String] {
    do {
        let result = try body()
        Issue.record("expected a refusal, got \(result)")
        return []
    } catch {
        return error.reasons
    }
}

@Suite struct MoveUpAndBelowTests {
    let policy = RefactoringPolicy()

    @Test func moveUpGoesBelowTheGrandmaster() throws {
        let coordinates = try RefactoringRules.moveUp(F.key(23309), in: F.snapshot(F.chain(.coordinates)), policy: policy)
        #expect(coordinates == Relocation(instance: F.key(23309), target: F.key(23306), method: .moveUp, currentMaster: F.key(23307)))
        #expect(try RefactoringRules.moveUp(F.key(23310), in: F.snapshot(F.chain()), policy: policy).method == .mariaDBGTID)
    }

    @Test func moveUpNeedsAnIntermediateMasterAndCanMove() {
        let topology = F.snapshot(F.chain(.coordinates))
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.moveUp(F.key(23307), in: topology, policy: policy) }
            == ["127.0.0.1:23306, the master of 127.0.0.1:23307, is not a replica: there is no level to move up to"])
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.moveUp(F.key(23306), in: topology, policy: policy) }
            == ["127.0.0.1:23306 is not a replica"])
        var stopped = topology
        stopped.instances[F.key(23309)]?.sqlThreadState = .stopped
        // Even by GTID, move-up asks CanMove of the moving replica (orchestrator's gate).
        var gtid = F.snapshot(F.chain())
        gtid.instances[F.key(23309)]?.sqlThreadState = .stopped
        for snapshot in [stopped, gtid] {
            #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.moveUp(F.key(23309), in: snapshot, policy: policy) }
                == ["the SQL thread of 127.0.0.1:23309 is not running"])
        }
    }

    @Test func moveUpChecksTheNewSourceAndLocksAllThree() {
        var topology = F.snapshot(F.chain(.coordinates), maintenance: [F.lock(23307, reason: "backup")])
        topology.instances[F.key(23306)]?.binlogFormat = "ROW"
        topology.instances[F.key(23309)]?.binlogFormat = "STATEMENT"
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.moveUp(F.key(23309), in: topology, policy: policy) } == [
            "127.0.0.1:23309 logs STATEMENT and cannot replicate from 127.0.0.1:23306, which logs ROW",
            "127.0.0.1:23307 is in maintenance by alice: backup",
        ])
    }

    @Test func moveBelowASibling() throws {
        let move = try RefactoringRules.moveBelow(F.key(23307), sibling: F.key(23308), in: F.snapshot(F.chain(.coordinates)), policy: policy)
        #expect(move == Relocation(instance: F.key(23307), target: F.key(23308), method: .moveBelowSibling, currentMaster: F.key(23306)))
        #expect(try RefactoringRules.moveBelow(F.key(23307), sibling: F.key(23308), in: F.snapshot(F.chain()), policy: policy).method == .mariaDBGTID)
    }

    @Test func moveBelowRefusesNonSiblingsAndUnmovableSiblings() {
        let topology = F.snapshot(F.chain())
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.moveBelow(F.key(23309), sibling: F.key(23308), in: topology, policy: policy) }
            == ["127.0.0.1:23309 and 127.0.0.1:23308 are not siblings"])
        var lagging = topology
        lagging.instances[F.key(23308)]?.secondsBehindMaster = 90
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.moveBelow(F.key(23307), sibling: F.key(23308), in: lagging, policy: policy) }
            == ["127.0.0.1:23308 lags 90 s, more than 20 s (ReasonableMaintenanceReplicationLagSeconds)"])
    }

    @Test func moveBelowGTIDRefusesCoordinates() throws {
        #expect(reasons { () throws(RefactoringRefusal) in
            try RefactoringRules.moveBelowGTID(F.key(23307), below: F.key(23308), in: F.snapshot(F.chain(.coordinates)), policy: policy)
        } == ["no way to move 127.0.0.1:23307 below 127.0.0.1:23308: 127.0.0.1:23307 does not replicate with GTID"])
        #expect(try RefactoringRules.moveBelowGTID(F.key(23307), below: F.key(23308), in: F.snapshot(F.chain(.mysqlGTID)), policy: policy).method == .mysqlGTID)
    }

    @Test func repointKeepsCoordinatesAndChecksOnlyTheReplicasLock() throws {
        let topology = F.snapshot(F.chain(.coordinates), maintenance: [F.lock(23307)])
        let refresh = try RefactoringRules.repoint(F.key(23308), in: topology, policy: policy)
        #expect(refresh == Relocation(instance: F.key(23308), target: F.key(23306), method: .repoint, currentMaster: F.key(23306)))
        #expect(try RefactoringRules.repoint(F.key(23308), to: F.key(23307), in: topology, policy: policy).target == F.key(23307))
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.repoint(F.key(23307), to: F.key(23310), in: topology, policy: policy) } == [
            "127.0.0.1:23310 is a descendant of 127.0.0.1:23307", "127.0.0.1:23307 is in maintenance by alice: upgrade",
        ])
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.repoint(F.key(23306), in: topology, policy: policy) }
            == ["127.0.0.1:23306 is not a replica"])
    }
}

@Suite struct MasterChangeTests {
    let policy = RefactoringPolicy()

    @Test func takeMasterSwapsWithAnIntermediateMaster() throws {
        let swap = try RefactoringRules.takeMaster(F.key(23309), in: F.snapshot(F.chain(.coordinates)), policy: policy)
        #expect(swap == MasterSwap(instance: F.key(23309), master: F.key(23307), grandmaster: F.key(23306), method: .binlogCoordinates))
        #expect(try RefactoringRules.takeMaster(F.key(23309), in: F.snapshot(F.chain()), policy: policy).method == .mariaDBGTID)
    }

    @Test func takeMasterRefusesTheTopMasterACoMasterAndAnUnfitPair() {
        let topology = F.snapshot(F.chain())
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.takeMaster(F.key(23307), in: topology, policy: policy) } == [
            "127.0.0.1:23306 is not a replica: take-master swaps a replica with an intermediate master (use a graceful master takeover for the top master)",
        ])
        var a = F.server(23306, below: 23307)
        a.isCoMaster = true
        let ring = F.snapshot([a, F.server(23307, below: 23306), F.server(23308, below: 23306)])
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.takeMaster(F.key(23308), in: ring, policy: policy) }
            == ["127.0.0.1:23306 is a co-master"])
        var unfit = topology
        unfit.instances[F.key(23309)]?.logBinEnabled = false
        unfit.instances[F.key(23309)]?.version = "10.6.2-MariaDB"
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.takeMaster(F.key(23309), in: unfit, policy: policy) } == [
            "127.0.0.1:23309 has no binary log",
            "127.0.0.1:23309 runs version 10.6, older than 10.11 on 127.0.0.1:23306",
        ])
    }

    @Test func makeCoMasterFromAReadOnlyReplicaOfTheTopMaster() throws {
        let link = try RefactoringRules.makeCoMaster(F.key(23307), in: F.snapshot(F.chain(.coordinates)), policy: policy)
        #expect(link == CoMasterLink(
            instance: F.key(23307), master: F.key(23306), method: .binlogCoordinates,
            coordinates: BinlogCoordinates(logFile: "mysql-bin.000003", logPos: 24307)
        ))
        #expect(try RefactoringRules.makeCoMaster(F.key(23307), in: F.snapshot(F.chain(.mysqlGTID)), policy: policy).method == .mysqlGTID)
    }

    @Test func makeCoMasterRefusals() {
        var topology = F.snapshot(F.chain())
        topology.instances[F.key(23307)]?.readOnly = false
        topology.instances[F.key(23307)]?.ioThreadState = .stopped
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.makeCoMaster(F.key(23307), in: topology, policy: policy) } == [
            "127.0.0.1:23307 is writable: a new co-master must be read-only", "the IO thread of 127.0.0.1:23307 is not running",
        ])
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.makeCoMaster(F.key(23309), in: topology, policy: policy) }
            == ["127.0.0.1:23307 is not a top master: it replicates from 127.0.0.1:23306"])
        // 23306 ⇄ 23307 already; 23308 may not become another co-master of 23306 while 23307 is writable.
        var a = F.server(23306, below: 23307)
        a.isCoMaster = true
        var b = F.server(23307, below: 23306)
        b.readOnly = false
        let ring = F.snapshot([a, b, F.server(23308, below: 23306)])
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.makeCoMaster(F.key(23308), in: ring, policy: policy) }
            == ["127.0.0.1:23306 already is a co-master of the writable 127.0.0.1:23307"])
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.makeCoMaster(F.key(23307), in: ring, policy: policy) }
            == ["127.0.0.1:23307 already is the master of 127.0.0.1:23306", "127.0.0.1:23307 is writable: a new co-master must be read-only"])
        var readOnlyPartner = ring
        readOnlyPartner.instances[F.key(23307)]?.readOnly = true
        #expect((try? RefactoringRules.makeCoMaster(F.key(23308), in: readOnlyPartner, policy: policy)) != nil)
    }
}

@Suite struct BulkMoveTests {
    let policy = RefactoringPolicy()

    @Test func relocateReplicasFiltersByPatternAndSkipsTheTarget() throws {
        // 23306 ─┬─ 23307 ─┬─ 23309
        //        │         ├─ 23311
        //        │         └─ 23312
        //        └─ 23308
        let topology = F.snapshot(F.chain().dropLast() + [F.server(23311, below: 23307), F.server(23312, below: 23307)])
        let all = try RefactoringRules.relocateReplicas(of: F.key(23307), below: F.key(23308), in: topology, policy: policy)
        #expect(all.moves.map(\.instance) == [F.key(23309), F.key(23311), F.key(23312)])
        #expect(all.refusals.isEmpty)
        let some = try RefactoringRules.relocateReplicas(of: F.key(23307), below: F.key(23309), pattern: ":2331[12]$", in: topology, policy: policy)
        #expect(some.moves.map(\.instance) == [F.key(23311), F.key(23312)])
        let none = try RefactoringRules.relocateReplicas(of: F.key(23307), below: F.key(23308), pattern: "nomatch", in: topology, policy: policy)
        #expect(none == ReplicaRelocations())
        #expect(reasons { () throws(RefactoringRefusal) in
            try RefactoringRules.relocateReplicas(of: F.key(23307), below: F.key(23308), pattern: "(", in: topology, policy: policy)
        }.first?.hasPrefix("invalid pattern '('") == true)
    }

    @Test func relocateReplicasRefusesATargetBelowThemAndReportsPartialRefusals() throws {
        let topology = F.snapshot(F.chain(), maintenance: [F.lock(23308)])
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.relocateReplicas(of: F.key(23306), below: F.key(23310), in: topology, policy: policy) }
            == ["127.0.0.1:23310 is a descendant of 127.0.0.1:23307"])
        var partial = F.snapshot(F.chain() + [F.server(23311, below: 23307)])
        partial.instances[F.key(23311)]?.lastChecked = F.now.addingTimeInterval(-600)
        partial.instances[F.key(23311)]?.lastSeen = F.now.addingTimeInterval(-600)
        let result = try RefactoringRules.relocateReplicas(of: F.key(23307), below: F.key(23308), in: partial, policy: policy)
        #expect(result.moves.map(\.instance) == [F.key(23309)])
        #expect(result.refusals.map(\.description) == [
            "cannot move 127.0.0.1:23311 below 127.0.0.1:23308: 127.0.0.1:23311 was last checked 600 s ago, more than 25 s (5 × InstancePollSeconds)",
        ])
    }

    @Test func whenNoReplicaMayMoveTheWholeOperationIsRefused() {
        let topology = F.snapshot(F.chain(.coordinates))
        let error = reasons { () throws(RefactoringRefusal) in try RefactoringRules.relocateReplicas(of: F.key(23307), below: F.key(23308), in: topology, policy: policy) }
        #expect(error == [
            "no way to move 127.0.0.1:23309 below 127.0.0.1:23308: 127.0.0.1:23309 does not replicate with GTID, "
                + "and 127.0.0.1:23308 is neither a sibling of 127.0.0.1:23309 nor its master's master",
        ])
    }

    @Test func moveUpReplicasAndTakeSiblings() throws {
        let topology = F.snapshot(F.chain(.coordinates) + [F.server(23311, below: 23307, .coordinates)])
        let up = try RefactoringRules.moveUpReplicas(of: F.key(23307), in: topology, policy: policy)
        #expect(up.moves.map(\.description) == ["127.0.0.1:23309 below 127.0.0.1:23306 (moveUp)", "127.0.0.1:23311 below 127.0.0.1:23306 (moveUp)"])
        let siblings = try RefactoringRules.takeSiblings(F.key(23309), in: topology, policy: policy)
        #expect(siblings.moves.map(\.description) == ["127.0.0.1:23311 below 127.0.0.1:23309 (moveBelowSibling)"])
        #expect(reasons { () throws(RefactoringRefusal) in try RefactoringRules.moveUpReplicas(of: F.key(23306), in: topology, policy: policy) }
            == ["127.0.0.1:23306 is not a replica: its replicas have no level to move up to"])
    }

    @Test func repointReplicasRefreshesEachReplica() throws {
        let topology = F.snapshot(F.chain(), maintenance: [F.lock(23308)])
        let result = try RefactoringRules.repointReplicas(of: F.key(23306), in: topology, policy: policy)
        #expect(result.moves.map(\.description) == ["127.0.0.1:23307 below 127.0.0.1:23306 (repoint)"])
        #expect(result.refusals.map(\.description) == ["cannot repoint 127.0.0.1:23308 to 127.0.0.1:23306: 127.0.0.1:23308 is in maintenance by alice: upgrade"])
    }
}

@Suite struct RefusalShapeTests {
    @Test func aReasonFoundTwiceIsListedOnce() {
        // Not a replica: found by the method choice and by CanMove alike.
        let topology = F.snapshot([F.server(23306), F.server(23320), F.server(23321, below: 23320)])
        #expect(reasons { () throws(RefactoringRefusal) in
            try RefactoringRules.moveBelow(F.key(23306), sibling: F.key(23321), in: topology, policy: RefactoringPolicy())
        } == ["127.0.0.1:23306 and 127.0.0.1:23321 are not siblings", "127.0.0.1:23306 is not a replica"])
    }

    @Test func operationsNameThemselves() {
        let (a, b) = (F.key(23307), F.key(23308))
        #expect(RefactoringRefusal(operation: .moveUp(a), reasons: ["x", "y"]).description == "cannot move 127.0.0.1:23307 up: x; y")
        #expect(RefactoringOperation.repoint(a, to: b).description == "repoint 127.0.0.1:23307 to 127.0.0.1:23308")
        #expect(RefactoringOperation.takeMaster(a).description == "make 127.0.0.1:23307 take its master's place")
        #expect(RefactoringOperation.makeCoMaster(a).description == "make 127.0.0.1:23307 a co-master")
        #expect(RefactoringOperation.moveReplicas(of: a, below: b).description == "move the replicas of 127.0.0.1:23307 below 127.0.0.1:23308")
        #expect(RefactoringOperation.regroupReplicas(of: a).description == "regroup the replicas of 127.0.0.1:23307")
    }
}
