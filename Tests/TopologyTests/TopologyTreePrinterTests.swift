import Foundation
import Testing
@testable import Topology

@Suite struct TopologyTreePrinterTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let version = "10.11.19-MariaDB-0+deb12u1-log"

    func healthy(_ port: Int, master: Int? = nil, lag: Int64 = 0) -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "127.0.0.1", port: port))
        instance.version = version
        instance.binlogFormat = "ROW"
        instance.logBinEnabled = true
        instance.logReplicationUpdatesEnabled = true
        instance.lastChecked = now.addingTimeInterval(-0.5)
        instance.lastSeen = instance.lastChecked
        instance.replicationLagSeconds = 0
        if let master {
            instance.masterKey = InstanceKey(hostname: "127.0.0.1", port: master)
            instance.readOnly = true
            instance.usingMariaDBGTID = true
            instance.sqlThreadState = .running
            instance.ioThreadState = .running
            instance.secondsBehindMaster = lag
            instance.replicationLagSeconds = lag
            instance.readBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000001", logPos: 328)
        }
        return instance
    }

    var printer: TopologyTreePrinter { TopologyTreePrinter(description: InstanceStatusDescription(pollSeconds: 5)) }

    @Test func rendersOrchestratorsSample() {
        // samples/orchestrator-client-topology.txt, produced by orchestrator itself.
        let text = printer.render([healthy(10114, master: 10111), healthy(10111), healthy(10113, master: 10111), healthy(10112, master: 10111)], now: now)
        #expect(text == """
        127.0.0.1:10111   [0s,ok,10.11.19-MariaDB-0+deb12u1-log,rw,ROW,>>]
        + 127.0.0.1:10112 [0s,ok,10.11.19-MariaDB-0+deb12u1-log,ro,ROW,>>,GTID]
        + 127.0.0.1:10113 [0s,ok,10.11.19-MariaDB-0+deb12u1-log,ro,ROW,>>,GTID]
        + 127.0.0.1:10114 [0s,ok,10.11.19-MariaDB-0+deb12u1-log,ro,ROW,>>,GTID]
        """)
    }

    @Test func rendersDepthAndProblems() {
        var dead = healthy(23302, master: 23300)
        dead.lastChecked = now
        dead.lastSeen = now.addingTimeInterval(-10)
        var stopped = healthy(23303, master: 23302)
        stopped.sqlThreadState = .stopped
        stopped.secondsBehindMaster = nil
        stopped.isDowntimed = true
        var lagging = healthy(23301, master: 23300, lag: 45)
        lagging.instanceAlias = "reports"
        let text = printer.render([healthy(23300), lagging, dead, stopped], now: now)
        #expect(text == """
        127.0.0.1:23300             [0s,ok,\(version),rw,ROW,>>]
        + 127.0.0.1:23301 (reports) [45s,lag,\(version),ro,ROW,>>,GTID]
        - 127.0.0.1:23302           [unknown,invalid,\(version),ro,ROW,>>,GTID]
          - 127.0.0.1:23303         [null,nonreplicating,\(version),ro,ROW,>>,GTID,downtimed]
        """)
    }

    @Test func staleChecksAreUnchecked() {
        var stale = healthy(23301, master: 23300)
        stale.lastChecked = now.addingTimeInterval(-60)
        stale.lastSeen = stale.lastChecked
        let lines = printer.render([healthy(23300), stale], now: now).split(separator: "\n")
        #expect(lines[1] == "- 127.0.0.1:23301 [unknown,unchecked,\(version),ro,ROW,>>,GTID]")
    }

    @Test func soloMasterWithoutBinlog() {
        var solo = Instance(key: InstanceKey(hostname: "solo", port: 3306))
        solo.version = "8.0.36"
        solo.lastChecked = now
        solo.lastSeen = now
        solo.replicationLagSeconds = 0
        #expect(printer.render([solo], now: now) == "solo:3306 [0s,ok,8.0.36,rw,nobinlog]")
    }

    @Test func coMastersStartAtDepthOne() {
        var m1 = healthy(1, master: 2)
        m1.key = InstanceKey(hostname: "m1", port: 3306)
        m1.masterKey = InstanceKey(hostname: "m2", port: 3306)
        m1.readOnly = false
        m1.isCoMaster = true
        var m2 = healthy(1, master: 1)
        m2.key = InstanceKey(hostname: "m2", port: 3306)
        m2.masterKey = m1.key
        m2.isCoMaster = true
        var r = healthy(1, master: 1)
        r.key = InstanceKey(hostname: "r", port: 3306)
        r.masterKey = m1.key
        let text = printer.render([m1, m2, r], now: now)
        #expect(text == """
        + m1:3306  [0s,ok,\(version),rw,ROW,>>,GTID]
          + r:3306 [0s,ok,\(version),ro,ROW,>>,GTID]
        + m2:3306  [0s,ok,\(version),ro,ROW,>>,GTID]
        """)
    }

    @Test func tagsFollowTheAlignedDescriptions() {
        // topology-text.md §6.3: tags ordered by name, `name` when valueless, `[]` when none.
        var lagging = healthy(23301, master: 23300, lag: 45)
        lagging.instanceAlias = "reports"
        let tags: [InstanceKey: [String: String]] = [
            InstanceKey(hostname: "127.0.0.1", port: 23300): ["role": "primary"],
            lagging.key: ["env": "prod", "backup": ""],
        ]
        let text = printer.renderWithTags([healthy(23300), lagging, healthy(23302, master: 23300)], tags: tags, now: now)
        #expect(text == """
        127.0.0.1:23300             [0s,ok,\(version),rw,ROW,>>] [role=primary]
        + 127.0.0.1:23301 (reports) [45s,lag,\(version),ro,ROW,>>,GTID] [backup,env=prod]
        + 127.0.0.1:23302           [0s,ok,\(version),ro,ROW,>>,GTID] []
        """)
    }

    @Test func tabulatedPadsColumns() {
        let text = printer.renderTabulated([healthy(23300), healthy(23301, master: 23300, lag: 45)], now: now)
        #expect(text == [
            "127.0.0.1:23300  | 0s|ok |\(version)|rw|ROW|>>     ",
            "+ 127.0.0.1:23301|45s|lag|\(version)|ro|ROW|>>,GTID",
        ].joined(separator: "\n"))
    }
}

@Suite struct ClusterMembershipTests {
    func key(_ port: Int) -> InstanceKey { InstanceKey(hostname: "h", port: port) }

    @Test func namesClustersAfterTheTopMaster() {
        let placements = ClusterMembership.placements(masters: [key(0): nil, key(1): key(0), key(2): key(0), key(3): key(2)])
        #expect(placements[key(3)] == ClusterPlacement(clusterName: "h:0", masterKey: key(0), depth: 2, isCoMaster: false))
        #expect(placements[key(0)]?.depth == 0)
        #expect(placements[key(1)]?.clusterName == "h:0")
    }

    @Test func unknownMasterMakesItsOwnCluster() {
        let placements = ClusterMembership.placements(masters: [key(1): key(9)])
        #expect(placements[key(1)]?.clusterName == "h:1")
        #expect(placements[key(1)]?.depth == 0)
    }

    @Test func coMastersShareTheSmallerName() {
        let placements = ClusterMembership.placements(masters: [key(5): key(4), key(4): key(5), key(6): key(5)])
        #expect(placements[key(5)]?.clusterName == "h:4")
        #expect(placements[key(4)]?.isCoMaster == true)
        #expect(placements[key(6)]?.clusterName == "h:4")
        #expect(placements[key(6)]?.isCoMaster == false)
    }
}
