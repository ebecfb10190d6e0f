import Foundation
import Testing
import Topology

private typealias F = RefactoringFixture

/// The refusal `body` throws (failing the test when it does not).
private func refusal<T>(_ body: () throws(RefactoringRefusal) -> T) -> RefactoringRefusal? {
    do {
        let result = try body()
        Issue.record("expected a refusal, got \(result)")
        return nil
    } catch {
        return error
    }
}

@Suite struct RelocateTests {
    let policy = RefactoringPolicy()

    @Test func theIssueExampleWordForWord() {
        // 23306 ── 23308 ── 23307 (no binary log)
        var below = F.server(23307, below: 23308)
        below.logBinEnabled = false
        let topology = F.snapshot([F.server(23306), F.server(23308, below: 23306), below])
        let error = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23308), below: F.key(23307), in: topology, policy: policy) }
        #expect(error?.description
            == "cannot move 127.0.0.1:23308 below 127.0.0.1:23307: 127.0.0.1:23307 has no binary log; 127.0.0.1:23307 is a descendant of 127.0.0.1:23308")
        #expect(error?.operation == .move(F.key(23308), below: F.key(23307)))
    }

    @Test func belowItsOwnReplicaOrGrandchildIsALoop() {
        let topology = F.snapshot(F.chain())
        let child = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23307), below: F.key(23309), in: topology, policy: policy) }
        #expect(child?.reasons == ["127.0.0.1:23309 is a descendant of 127.0.0.1:23307"])
        let grandchild = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23306), below: F.key(23310), in: topology, policy: policy) }
        #expect(grandchild?.reasons == ["127.0.0.1:23310 is a descendant of 127.0.0.1:23306"])
        let itself = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23307), below: F.key(23307), in: topology, policy: policy) }
        #expect(itself?.reasons == ["127.0.0.1:23307 cannot replicate from itself"])
    }

    @Test func mariaDBGTIDOnBothSidesMovesAnywhere() throws {
        let topology = F.snapshot(F.chain())
        let move = try RefactoringRules.relocate(F.key(23310), below: F.key(23308), in: topology, policy: policy)
        #expect(move == Relocation(instance: F.key(23310), target: F.key(23308), method: .mariaDBGTID, currentMaster: F.key(23309)))
        #expect(move.method.rewireMethod == .mariaDBGTID)
        // The top master uses no GTID as a replica but is MariaDB: a fine source.
        #expect(try RefactoringRules.relocate(F.key(23310), below: F.key(23306), in: topology, policy: policy).method == .mariaDBGTID)
    }

    @Test func mysqlGTIDNeedsNothingPurgedTheReplicaLacks() throws {
        var topology = F.snapshot(F.chain(.mysqlGTID))
        #expect(try RefactoringRules.relocate(F.key(23310), below: F.key(23308), in: topology, policy: policy).method == .mysqlGTID)
        topology.instances[F.key(23308)]?.gtidPurged = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-150"
        topology.instances[F.key(23310)]?.executedGtidSet = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100"
        let error = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23310), below: F.key(23308), in: topology, policy: policy) }
        #expect(error?.reasons == ["127.0.0.1:23308 purged transactions 127.0.0.1:23310 has not executed: 3e11fa47-71ca-11e1-9e33-c80aa9429562:101-150"])
    }

    @Test func mariaDBGTIDBelowMySQLIsRefused() {
        var mysql = F.server(23308, below: 23306, .mysqlGTID)
        mysql.version = "5.7.44-log"
        let topology = F.snapshot([F.server(23306), F.server(23307, below: 23306), mysql, F.server(23309, below: 23307)])
        let error = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23309), below: F.key(23308), in: topology, policy: policy) }
        #expect(error?.reasons == [
            "no way to move 127.0.0.1:23309 below 127.0.0.1:23308: 127.0.0.1:23309 replicates with MariaDB GTID but 127.0.0.1:23308 is not MariaDB, "
                + "and 127.0.0.1:23308 is neither a sibling of 127.0.0.1:23309 nor its master's master",
        ])
    }

    @Test func withoutGTIDCoordinatesApplyBetweenSiblingsAndUpOneLevel() throws {
        let topology = F.snapshot(F.chain(.coordinates))
        let sibling = try RefactoringRules.relocate(F.key(23307), below: F.key(23308), in: topology, policy: policy)
        #expect(sibling.method == .moveBelowSibling)
        let up = try RefactoringRules.relocate(F.key(23309), below: F.key(23306), in: topology, policy: policy)
        #expect(up == Relocation(instance: F.key(23309), target: F.key(23306), method: .moveUp, currentMaster: F.key(23307)))
        let error = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23310), below: F.key(23308), in: topology, policy: policy) }
        #expect(error?.description == "cannot move 127.0.0.1:23310 below 127.0.0.1:23308: no way to move 127.0.0.1:23310 below 127.0.0.1:23308: "
            + "127.0.0.1:23310 does not replicate with GTID, and 127.0.0.1:23308 is neither a sibling of 127.0.0.1:23310 nor its master's master")
    }

    @Test func coordinateMovesNeedCanMoveOnBothSiblings() {
        var topology = F.snapshot(F.chain(.coordinates))
        topology.instances[F.key(23308)]?.secondsBehindMaster = nil
        topology.instances[F.key(23307)]?.secondsBehindMaster = 300
        let error = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23307), below: F.key(23308), in: topology, policy: policy) }
        #expect(error?.reasons == [
            "127.0.0.1:23307 lags 300 s, more than 20 s (ReasonableMaintenanceReplicationLagSeconds)",
            "127.0.0.1:23308 has no replication lag figure (Seconds_Behind_Master is NULL)",
        ])
        // A GTID move only asks for a recent valid check.
        topology = F.snapshot(F.chain())
        topology.instances[F.key(23307)]?.secondsBehindMaster = 300
        #expect((try? RefactoringRules.relocate(F.key(23307), below: F.key(23308), in: topology, policy: policy))?.method == .mariaDBGTID)
    }

    @Test func aWritableCoMasterSiblingIsReachedByMovingUpNotBelow() throws {
        // 23306 ⇄ 23307 (writable co-master), 23308 replica of 23306: 23307 is 23308's sibling
        // and also its master's master. relocate (like orchestrator) moves up rather than below a
        // writable co-master; move-below itself does not ask.
        var top = F.server(23306, below: 23307, .coordinates)
        top.isCoMaster = true
        var coMaster = F.server(23307, below: 23306, .coordinates)
        coMaster.isCoMaster = true
        coMaster.readOnly = false
        var topology = F.snapshot([top, coMaster, F.server(23308, below: 23306, .coordinates)])
        #expect(try RefactoringRules.relocate(F.key(23308), below: F.key(23307), in: topology, policy: policy).method == .moveUp)
        #expect(try RefactoringRules.moveBelow(F.key(23308), sibling: F.key(23307), in: topology, policy: policy).method == .moveBelowSibling)
        // Read-only, it is a sibling like any other.
        topology.instances[F.key(23307)]?.readOnly = true
        #expect(try RefactoringRules.relocate(F.key(23308), below: F.key(23307), in: topology, policy: policy).method == .moveBelowSibling)
    }

    @Test func belowItsCurrentMasterIsARepoint() throws {
        var topology = F.snapshot(F.chain(.coordinates))
        topology.instances[F.key(23307)]?.sqlThreadState = .stopped
        let move = try RefactoringRules.relocate(F.key(23309), below: F.key(23307), in: topology, policy: policy)
        #expect(move.method == .repoint)
    }

    @Test func maintenanceOfEitherInstanceIsNamed() {
        let topology = F.snapshot(F.chain(), maintenance: [F.lock(23308), F.lock(23310, owner: "", reason: "")])
        let error = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23310), below: F.key(23308), in: topology, policy: policy) }
        #expect(error?.reasons == ["127.0.0.1:23310 is in maintenance", "127.0.0.1:23308 is in maintenance by alice: upgrade"])
        // An ended lock no longer counts.
        var ended = F.lock(23308)
        ended.endsAt = F.now
        let free = F.snapshot(F.chain(), maintenance: [ended])
        #expect((try? RefactoringRules.relocate(F.key(23310), below: F.key(23308), in: free, policy: policy)) != nil)
    }

    @Test func everyKindOfViolationInAStableOrder() {
        // Rules, then the loop, then maintenance (the method is moot below a descendant).
        var topology = F.snapshot(F.chain(.coordinates), maintenance: [F.lock(23307), F.lock(23310)])
        topology.instances[F.key(23310)]?.logBinEnabled = false
        let error = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23307), below: F.key(23310), in: topology, policy: policy) }
        #expect(error?.reasons == [
            "127.0.0.1:23310 has no binary log",
            "127.0.0.1:23310 is a descendant of 127.0.0.1:23307",
            "127.0.0.1:23307 is in maintenance by alice: upgrade",
            "127.0.0.1:23310 is in maintenance by alice: upgrade",
        ])
        // Rules, maintenance, then movability of the method that applies.
        var other = F.snapshot(F.chain(.coordinates), maintenance: [F.lock(23308)])
        other.instances[F.key(23308)]?.logBinEnabled = false
        other.instances[F.key(23308)]?.serverID = 23307
        other.instances[F.key(23307)]?.ioThreadState = .stopped
        let many = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23307), below: F.key(23308), in: other, policy: policy) }
        #expect(many?.reasons == [
            "127.0.0.1:23308 has no binary log",
            "127.0.0.1:23307 and 127.0.0.1:23308 have the same server_id 23307",
            "127.0.0.1:23308 is in maintenance by alice: upgrade",
            "the IO thread of 127.0.0.1:23307 is not running",
        ])
        // Without a method, the reason names what is missing instead of movability.
        other.instances[F.key(23310)]?.ioThreadState = .stopped
        let noMethod = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23310), below: F.key(23308), in: other, policy: policy) }
        #expect(noMethod?.reasons.count == 3)
        #expect(noMethod?.reasons.last?.hasPrefix("no way to move 127.0.0.1:23310 below 127.0.0.1:23308") == true)
    }

    @Test func unknownInstancesAreNamed() {
        let topology = F.snapshot(F.chain())
        let error = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23399), below: F.key(23398), in: topology, policy: policy) }
        #expect(error?.reasons == ["127.0.0.1:23399 is not a known instance", "127.0.0.1:23398 is not a known instance"])
    }

    @Test func aMasterThatIsNoReplicaCannotBeRelocated() {
        let topology = F.snapshot([F.server(23306), F.server(23307)])
        let error = refusal { () throws(RefactoringRefusal) in try RefactoringRules.relocate(F.key(23306), below: F.key(23307), in: topology, policy: policy) }
        #expect(error?.reasons == ["127.0.0.1:23306 is not a replica"])
    }
}
