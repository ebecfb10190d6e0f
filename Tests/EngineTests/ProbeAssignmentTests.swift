import Engine
import Foundation
import Testing
import Topology

/// Which clusters a node probes when the nodes divide the probes, and the feed it publishes on.
struct ProbeAssignmentTests {
    let nodes = ["127.0.0.1:3000", "127.0.0.1:3001", "127.0.0.1:3002"]
    let clusters = (0..<300).map { "db\($0):3306" }

    @Test func beforeTheNodeListWasEverReadANodeProbesEverything() {
        let assignment = ProbeAssignment(ownNode: nodes[0])
        #expect(assignment.liveNodes == nil)
        #expect(clusters.allSatisfy(assignment.owns))
    }

    @Test func withAListANodeProbesOnlyWhatItOwnsAndAlwaysCountsItselfIn() {
        let assignments = nodes.map { ProbeAssignment(ownNode: $0) }
        // The first node's own registration is not visible yet: it counts itself in anyway.
        #expect(assignments[0].update(liveNodes: Array(nodes.dropFirst())) == [])
        for assignment in assignments.dropFirst() { assignment.update(liveNodes: nodes) }
        #expect(assignments[0].liveNodes == nodes)
        for cluster in clusters {
            #expect(assignments.filter { $0.owns(cluster) }.count == 1, "\(cluster) has exactly one owner")
        }
    }

    @Test func anUpdateSaysWhatItReplacedAndNothingWhenTheListIsTheSame() {
        let assignment = ProbeAssignment(ownNode: nodes[0])
        #expect(assignment.update(liveNodes: nodes) == [])
        #expect(assignment.update(liveNodes: nodes.reversed()) == nil)
        #expect(assignment.update(liveNodes: Array(nodes.prefix(2))) == nodes)
        // A node that took over a dead node's clusters owns more than before, and nothing it owned moved away.
        let before = ProbeAssignment(ownNode: nodes[0])
        before.update(liveNodes: nodes)
        #expect(clusters.filter(before.owns).allSatisfy(assignment.owns))
        #expect(clusters.filter(assignment.owns).count > clusters.filter(before.owns).count)
    }
}

struct ProbeFeedTests {
    static func result(_ port: Int) -> SharedProbeResult {
        .failure(InstanceKey(hostname: "db", port: port), error: "refused", partialSuccess: false, startedAt: Date(), finishedAt: Date())
    }

    @Test func aLongPollWithNothingNewAnswersEmptyOnceItsWaitIsOver() async throws {
        let feed = ProbeFeed()
        try feed.record(Self.result(3306))
        let page = try await feed.page(since: 1, epoch: feed.epoch, wait: .milliseconds(20))
        #expect(page.resultCount == 0 && page.sequence == 1)
    }

    @Test func closingTheFeedAnswersWaitingReadersAtOnceAndLaterOnesWithoutWaiting() async throws {
        let feed = ProbeFeed()
        async let waiting = feed.page(since: 0, epoch: feed.epoch, wait: .seconds(600))
        feed.close()
        #expect(try await waiting.resultCount == 0)
        #expect(try await feed.page(since: 0, epoch: feed.epoch, wait: .seconds(600)).resultCount == 0)
    }

    @Test func aForgottenInstanceIsNoLongerPublished() async throws {
        let feed = ProbeFeed()
        try feed.record(Self.result(3306))
        try feed.record(Self.result(3307))
        feed.remove(InstanceKey(hostname: "db", port: 3306))
        let page = try ProbeSharePage(decoding: try await feed.page(since: 0, epoch: nil, wait: .zero).body)
        #expect(page.results.map(\.key.port) == [3307])
    }
}
