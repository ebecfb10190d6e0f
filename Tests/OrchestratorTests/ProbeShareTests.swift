import Foundation
import OrchestratorTesting
import Sandbox
import Testing
import Topology

/// `DivideProbesAmongNodes`: three `orchestrator serve` nodes and etcd on 127.0.0.1 against a
/// sandbox of two clusters. Each cluster is probed by one node, every node shows every cluster,
/// and a killed node's cluster is probed again by another node (its dead master recovered once).
@Suite(.serialized, .timeLimit(.minutes(20)))
struct ProbeShareTests {
    static let divide = #", "DivideProbesAmongNodes": true"#

    // Each test's body is a function of its own (see HATests).
    @Test func eachClusterIsProbedByOneNodeAndAKilledOwnersClusterIsProbedAndRecoveredByAnother() async throws {
        try await withEtcd { etcd in
            // Cluster A: 0 with replicas 1 and 2; cluster B: 3 alone.
            try await withSandbox(topology: "1>0,2>0,3") { sandbox in
                let ports = sandbox.instances.map(\.port)
                try await HANodes.with(etcd: etcd, seeds: [ports[0], ports[3]], extraSettings: Self.divide) { nodes in
                    try await Self.divided(sandbox, nodes, etcd: etcd)
                }
            }
        }
    }

    static func divided(_ sandbox: Sandbox, _ nodes: HANodes, etcd: LocalServer) async throws {
        let ports = sandbox.instances.map(\.port)
        let clusters = [[ports[0], ports[1], ports[2]], [ports[3]]]
        _ = try #require(try await nodes.awaitLeader(), "one node leads: \(nodes.logTail(0))")
        for api in nodes.apis {
            for cluster in clusters {
                let seen = try await expectEventually(timeout: .seconds(90)) { await clusterSize(api, master: cluster[0]) == cluster.count }
                try #require(seen, "\(api) shows the cluster of \(cluster[0]) whole")
            }
        }

        // (a) Once the nodes know each other, each cluster is probed by exactly one of them.
        var window: [Int: Set<Int>] = [:]
        let divided = try await expectEventually(timeout: .seconds(90), interval: .zero) {
            window = try await probeWindow(nodes, among: Array(nodes.ports.indices), covering: ports)
            return clusters.allSatisfy { cluster in probers(of: cluster, in: window).count == 1 }
        }
        try #require(divided, "each cluster probed by one node: \(window)")
        // It stays so (no node drifts back to probing everything).
        window = try await probeWindow(nodes, among: Array(nodes.ports.indices), covering: ports)
        #expect(clusters.allSatisfy { probers(of: $0, in: window).count == 1 }, "\(window)")
        #expect(Set(window.values.flatMap { $0 }) == Set(ports), "every instance probed by someone: \(window)")
        // Every node shows both clusters, whoever probes them.
        for api in nodes.apis {
            for cluster in clusters { #expect(await clusterSize(api, master: cluster[0]) == cluster.count, "\(api)") }
            let names = try JSONSerialization.jsonObject(with: try await HTTPGet.data(api + "/clusters")) as? [String] ?? []
            #expect(Set(names) == Set(clusters.map { "127.0.0.1:\($0[0])" }), "\(api): \(names)")
        }

        // (a′) etcd stopped (as a partition would look): no node leads, and each keeps the
        // node list it last read, so each cluster is still probed by exactly one node and every
        // node still shows both clusters.
        kill(etcd.pid, SIGSTOP)
        do {
            let leaderless = try await expectEventually(timeout: .seconds(60)) { await nodes.leaders().isEmpty }
            try #require(leaderless, "no node leads without etcd")
            let outage = try await probeWindow(nodes, among: Array(nodes.ports.indices), covering: ports)
            #expect(clusters.allSatisfy { probers(of: $0, in: outage).count == 1 }, "divided as before: \(outage)")
            #expect(outage == window, "the same node probes the same cluster: \(outage), before \(window)")
            for api in nodes.apis {
                for cluster in clusters { #expect(await clusterSize(api, master: cluster[0]) == cluster.count, "\(api) during the outage") }
            }
        } catch {
            kill(etcd.pid, SIGCONT)
            throw error
        }
        kill(etcd.pid, SIGCONT)
        _ = try #require(try await nodes.awaitLeader(), "etcd back: one node leads again")

        // (b) kill -9 the node that probes cluster A, and A's master with it.
        let owner = try #require(probers(of: clusters[0], in: window).first)
        let survivors = nodes.ports.indices.filter { $0 != owner }
        kill(nodes.processes[owner].processIdentifier, SIGKILL)
        try sandbox.kill(0)
        let taken = try await expectEventually(timeout: .seconds(90), interval: .zero) {
            let after = try await probeWindow(nodes, among: survivors, covering: [ports[1], ports[2], ports[3]])
            return !probers(of: [ports[1], ports[2]], in: after).isEmpty
        }
        try #require(taken, "a surviving node probes the killed node's cluster: \(survivors.map { nodes.logTail($0) })")
        let leader = try #require(try await nodes.awaitLeader(among: survivors), "a surviving node leads")
        let recovered = try await expectEventually(timeout: .seconds(90)) {
            try await nodes.recoveries(leader).contains { $0["IsSuccessful"] as? Bool == true }
        }
        try #require(recovered, "the dead master was recovered: \(nodes.logTail(leader))")
        // Followers show the leader's recoveries too: one recovery, however many nodes show it.
        var uids: Set<String> = []
        for index in survivors { uids.formUnion(try await nodes.recoveries(index).compactMap { $0["UID"] as? String }) }
        #expect(uids.count == 1, "one recovery across the nodes: \(uids)")
        #expect(try await HATests.master(of: sandbox, among: [1, 2]) != nil, "one new master, the other replica below it")
    }

    /// How many instances node `api` shows in the cluster of `master`.
    static func clusterSize(_ api: String, master: Int) async -> Int {
        let data = (try? await HTTPGet.data(api + "/cluster/127.0.0.1:\(master)")) ?? Data()
        return ((try? JSONSerialization.jsonObject(with: data)) as? [Any])?.count ?? 0
    }

    /// The nodes of `window` that probed any of `ports`.
    static func probers(of ports: [Int], in window: [Int: Set<Int>]) -> [Int] {
        window.filter { !$0.value.isDisjoint(with: ports) }.keys.sorted()
    }

    /// Which sandbox ports each of `indexes` probed from now until every port of `covering`
    /// was probed, by whichever node, at least three times: read from each node's
    /// `probe-share` feed, which holds only that node's own probes.
    static func probeWindow(_ nodes: HANodes, among indexes: [Int], covering: [Int]) async throws -> [Int: Set<Int>] {
        var cursors: [Int: (epoch: String, sequence: UInt64)] = [:]
        for index in indexes {
            let page = try await page(nodes.apis[index], since: 0, epoch: nil)
            cursors[index] = (page.epoch, page.sequence)
        }
        var window: [Int: Set<Int>] = [:]
        var times: [Int: Int] = [:]
        _ = try await expectEventually(timeout: .seconds(60)) {
            for index in indexes {
                guard let cursor = cursors[index] else { continue }
                let page = try await page(nodes.apis[index], since: cursor.sequence, epoch: cursor.epoch)
                cursors[index] = (page.epoch, page.sequence)
                for result in page.results {
                    window[index, default: []].insert(result.key.port)
                    times[result.key.port, default: 0] += 1
                }
            }
            return covering.allSatisfy { times[$0, default: 0] >= 3 }
        }
        return window
    }

    static func page(_ api: String, since: UInt64, epoch: String?) async throws -> ProbeSharePage {
        let url = api + "/probe-share?since=\(since)&wait=200" + (epoch.map { "&epoch=\($0)" } ?? "")
        return try ProbeSharePage(decoding: try await HTTPGet.data(url))
    }
}
