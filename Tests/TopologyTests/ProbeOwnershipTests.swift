import Foundation
import Testing
import Topology

/// Rendezvous hashing of clusters over the live nodes (`DivideProbesAmongNodes`), with plain values.
struct ProbeOwnershipTests {
    let nodes = ["10.0.0.11:3000", "10.0.0.12:3000", "10.0.0.13:3000", "10.0.0.14:3000", "10.0.0.15:3000"]
    /// Cluster names as discovery gives them: the master's key.
    let clusters = (0..<20_000).map { "db\($0 / 250).example.com:\(3306 + $0 % 250)" }

    @Test func theStableHashIsFNV1aThenMixedAndTheSameInEveryProcess() {
        // FNV-1a 64 reference values (the empty string is the offset basis).
        #expect(StableHash.fnv1a64("".utf8) == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a64("a".utf8) == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.fnv1a64("foobar".utf8) == 0x8594_4171_f739_67e8)
        // Fixed values: a change here would move clusters between nodes of different versions
        // during a rolling upgrade (two nodes would disagree on who probes what).
        #expect(ProbeOwnership.weight(node: "10.0.0.11:3000", identity: "db1:3306") == 13_783_131_652_360_706_006)
        #expect(ProbeOwnership.owner(of: "db1.example.com:3306", among: nodes) == "10.0.0.15:3000")
        #expect(ProbeOwnership.owner(of: "db1.example.com:3306", among: nodes) == ProbeOwnership.owner(of: "db1.example.com:3306", among: nodes.reversed()))
    }

    @Test func theOwnerDoesNotDependOnTheOrderOfTheListOrDuplicates() {
        for cluster in clusters.prefix(500) {
            let owner = ProbeOwnership.owner(of: cluster, among: nodes)
            #expect(owner == ProbeOwnership.owner(of: cluster, among: nodes.shuffled() + [nodes[2]]))
            #expect(owner.map(nodes.contains) == true)
        }
        #expect(ProbeOwnership.owner(of: "db1:3306", among: []) == nil)
        #expect(ProbeOwnership.owner(of: "db1:3306", among: ["only:3000"]) == "only:3000")
    }

    @Test func aClusterIsKnownByItsNameOrElseByTheInstancesOwnKey() {
        let key = InstanceKey(hostname: "db7", port: 3307)
        #expect(ProbeOwnership.identity(clusterName: "db1:3306", key: key) == "db1:3306")
        #expect(ProbeOwnership.identity(clusterName: "", key: key) == "db7:3307")
    }

    @Test(arguments: [2, 3, 5])
    func clustersAreBalancedWithinTenPercentOfAnEvenShare(nodeCount: Int) {
        let counts = ProbeOwnership.counts(of: clusters, among: Array(nodes.prefix(nodeCount)))
        let even = Double(clusters.count) / Double(nodeCount)
        for (node, count) in counts {
            #expect(abs(Double(count) - even) < 0.1 * even, "\(node) owns \(count) of \(clusters.count), even share \(even)")
        }
        #expect(counts.values.reduce(0, +) == clusters.count)
    }

    @Test func aNodeThatLeavesGivesUpOnlyItsOwnClusters() {
        let gone = nodes[3]
        let survivors = nodes.filter { $0 != gone }
        var moved = 0
        for cluster in clusters {
            let before = ProbeOwnership.owner(of: cluster, among: nodes)
            let after = ProbeOwnership.owner(of: cluster, among: survivors)
            if before == gone { moved += 1 } else { #expect(before == after, "\(cluster) moved from a surviving node") }
        }
        // And what it owned spreads over all the survivors, not onto one of them.
        let inherited = ProbeOwnership.counts(of: clusters.filter { ProbeOwnership.owner(of: $0, among: nodes) == gone }, among: survivors)
        let share = Double(moved) / Double(survivors.count)
        #expect(inherited.values.allSatisfy { abs(Double($0) - share) < 0.2 * share }, "\(inherited)")
    }

    @Test func aNodeThatJoinsTakesAboutOneNthFromEveryNodeAndNothingMovesElsewhere() {
        let before = Array(nodes.prefix(4))
        let joined = nodes[4]
        var moved = 0
        for cluster in clusters {
            let old = ProbeOwnership.owner(of: cluster, among: before)
            let new = ProbeOwnership.owner(of: cluster, among: nodes)
            if old != new {
                #expect(new == joined, "\(cluster) moved between two old nodes")
                moved += 1
            }
        }
        let expected = Double(clusters.count) / Double(nodes.count)
        #expect(abs(Double(moved) - expected) < 0.1 * expected, "\(moved) of \(clusters.count) clusters moved")
    }
}

/// The probe-share buffer: the newest entry per key, stamped with a growing sequence number.
struct SequencedLatestTests {
    @Test func aReaderGetsWhatWasRecordedAfterItsSequenceOnceEachNewestOnly() {
        var buffer = SequencedLatest<String, Int>()
        #expect(buffer.entries(after: 0) == ([], 0))
        buffer.record(1, for: "a")
        buffer.record(2, for: "b")
        let first = buffer.entries(after: 0)
        #expect(first.entries == [1, 2] && first.sequence == 2)
        #expect(buffer.entries(after: 2) == ([], 2))
        buffer.record(3, for: "a")
        // "a" was recorded again: only its newest value, in the order of recording.
        #expect(buffer.entries(after: 0) == ([2, 3], 3))
        #expect(buffer.entries(after: 2) == ([3], 3))
        #expect(buffer.count == 2)
    }

    @Test func aSequenceFromAnEarlierLifeOfTheBufferGetsEverything() {
        var buffer = SequencedLatest<String, Int>()
        buffer.record(1, for: "a")
        #expect(buffer.entries(after: 99) == ([1], 1))
    }

    @Test func aRemovedKeyIsNoLongerServed() {
        var buffer = SequencedLatest<String, Int>()
        buffer.record(1, for: "a")
        buffer.record(2, for: "b")
        buffer.remove("a")
        #expect(buffer.entries(after: 0) == ([2], 2))
    }

    @Test func aPageRoundTripsTheProbeStartInstantExactly() throws {
        let started = Date(timeIntervalSince1970: 1_764_540_000.123456)
        var instance = Instance(key: InstanceKey(hostname: "127.0.0.1", port: 3306))
        instance.serverID = 7
        let page = ProbeSharePage(epoch: "e", sequence: 4, results: [
            .success(instance, startedAt: started, finishedAt: started.addingTimeInterval(0.004)),
            .failure(InstanceKey(hostname: "127.0.0.1", port: 3307), error: "refused", partialSuccess: false, startedAt: started, finishedAt: started),
        ])
        let decoded = try ProbeSharePage(decoding: page.encoded())
        #expect(decoded == page)
        #expect(decoded.results[0].startedAt == started)
        // Assembled from results encoded one by one: the same page.
        let assembled = try ProbeSharePage.assemble(epoch: "e", sequence: 4, encodedResults: page.results.map { try $0.encoded() })
        #expect(try ProbeSharePage(decoding: assembled) == page)
        #expect(try ProbeSharePage(decoding: ProbeSharePage.assemble(epoch: "e", sequence: 0, encodedResults: [])) == ProbeSharePage(epoch: "e", sequence: 0, results: []))
    }
}
