import ArgumentParser
import Engine
import Foundation
import Topology

/// A simulation, not a measurement of real servers: what dividing the probes among nodes
/// (`DivideProbesAmongNodes`) would cost for a fleet larger than one machine can host. It uses
/// the real ownership function (`ProbeOwnership`) on the fleet's cluster names and models the
/// rest from per-probe figures `bench/scale` measured: CPU per probe, CPU per result received
/// from a peer, and bytes per published result. Compared with orchestrator/raft, where every
/// node probes every server.
struct BenchScaleSimulationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-scale-simulation", abstract: "Simulate divided probes for a large fleet (used by bench/scale-simulation).", shouldDisplay: false
    )

    @Option(name: .long) var servers = 100_000
    @Option(name: .long) var clusterSize = 5
    @Option(name: .long) var nodes = 5
    @Option(name: .long, help: "InstancePollSeconds (ours defaults to 1, orchestrator's to 5).") var pollSeconds: [Double] = [1, 5]
    @Option(name: .long, help: "CPU milliseconds per probe (bench/scale, division off).") var cpuPerProbeMs = 1.0
    @Option(name: .long, help: "CPU milliseconds per own probe to publish it: encoded once, served to every peer (bench/scale).") var cpuPerPublishedMs = 0.3
    @Option(name: .long, help: "CPU milliseconds per result received from a peer (bench/scale).") var cpuPerReceivedMs = 0.1
    @Option(name: .long, help: "Bytes per published probe result (bench/scale).") var resultBytes = 3000
    @Option(name: .long, parsing: .upToNextOption, help: "Registry sizes the per-result costs are measured at in this process.")
    var registrySizes: [Int] = [2_500, 5_000, 10_000]

    func run() async throws {
        let clusterCount = servers / clusterSize
        // Cluster names as discovery gives them: the master's host:port.
        let clusters = (0..<clusterCount).map { "10.\($0 >> 16 & 255).\($0 >> 8 & 255).\($0 & 255):3306" }
        let names = (1...nodes + 1).map { "orchestrator-\($0).example.com:3000" }
        let live = Array(names.prefix(nodes))
        print("SIMULATION (no servers): \(servers) servers in \(clusterCount) clusters of \(clusterSize), \(nodes) nodes; ownership by the real ProbeOwnership")

        let clock = ContinuousClock()
        let started = clock.now
        let owners = clusters.map { ProbeOwnership.owner(of: $0, among: live)! }
        let ownershipCost = (clock.now - started).inSeconds / Double(clusterCount)
        var perNode: [String: Int] = Dictionary(uniqueKeysWithValues: live.map { ($0, 0) })
        for owner in owners { perNode[owner, default: 0] += clusterSize }
        let counts = perNode.values.sorted()
        let even = Double(servers) / Double(nodes)
        print(String(format: "servers per node: min %d, max %d (even share %.0f; %+.1f%% / %+.1f%%)", counts[0], counts[counts.count - 1], even,
                     (Double(counts[0]) / even - 1) * 100, (Double(counts[counts.count - 1]) / even - 1) * 100))
        print(String(format: "ownership check: %.2f µs per cluster for %d nodes (every poll tick of every instance asks it)", ownershipCost * 1e6, nodes))

        for poll in pollSeconds {
            print(String(format: "-- InstancePollSeconds %g", poll))
            let maxOwn = Double(counts[counts.count - 1]) / poll, minOwn = Double(counts[0]) / poll
            let total = Double(servers) / poll
            let received = total - minOwn
            print(String(format: "probes/s per node: %.0f–%.0f (orchestrator/raft: %.0f on every node; whole fleet %.0f vs %.0f)", minOwn, maxOwn, total, total, total * Double(nodes)))
            print(String(format: "exchange per node: sends %.0f results/s (%.1f MB/s) to %d peers, receives up to %.0f results/s (%.1f MB/s); whole group %.0f results/s, %.1f MB/s",
                         maxOwn * Double(nodes - 1), maxOwn * Double(nodes - 1) * Double(resultBytes) / 1e6, nodes - 1, received, received * Double(resultBytes) / 1e6,
                         total * Double(nodes - 1), total * Double(nodes - 1) * Double(resultBytes) / 1e6))
            let ownCPU = maxOwn * (cpuPerProbeMs + cpuPerPublishedMs) / 1000, receiveCPU = received * cpuPerReceivedMs / 1000
            // Every instance's poll loop asks whose it is on every tick.
            let ownershipCPU = total * ownershipCost
            print(String(format: "cores per node: %.2f (own probes and publishing them %.2f + received results %.2f + ownership checks %.3f); orchestrator/raft-style every-node-probes-all: %.2f",
                         ownCPU + receiveCPU + ownershipCPU, ownCPU, receiveCPU, ownershipCPU, total * cpuPerProbeMs / 1000))
        }

        for size in registrySizes { try await measureInProcess(clusterCount: size / clusterSize) }

        // A node dies: only its clusters move, spread over the survivors.
        var deathMoves: [Int] = []
        for dead in live {
            let survivors = live.filter { $0 != dead }
            var moved = 0, strayed = 0
            for (index, cluster) in clusters.enumerated() {
                let after = ProbeOwnership.owner(of: cluster, among: survivors)!
                if owners[index] == dead { moved += 1 } else if after != owners[index] { strayed += 1 }
            }
            precondition(strayed == 0, "a surviving node's cluster moved")
            deathMoves.append(moved)
        }
        print(String(format: "a node dies: %d–%d clusters move (%.1f%%–%.1f%% of all; only the dead node's, spread over the %d survivors)",
                     deathMoves.min()!, deathMoves.max()!, Double(deathMoves.min()!) / Double(clusterCount) * 100,
                     Double(deathMoves.max()!) / Double(clusterCount) * 100, nodes - 1))
        // A node joins: it takes about 1/(N+1), from every node.
        let joined = names[nodes]
        var joinMoves = 0
        for (index, cluster) in clusters.enumerated() {
            let after = ProbeOwnership.owner(of: cluster, among: live + [joined])!
            if after != owners[index] {
                precondition(after == joined, "a cluster moved between two old nodes")
                joinMoves += 1
            }
        }
        print(String(format: "a node joins: %d clusters move to it (%.1f%%; 1/%d = %.1f%%)", joinMoves, Double(joinMoves) / Double(clusterCount) * 100,
                     nodes + 1, 100 / Double(nodes + 1)))
    }

    /// The per-result work a node does at this fleet's size, measured in this process with the
    /// code a node runs (no servers): encoding a result for publication, decoding it from a
    /// peer's page, and recording it in a registry that holds the whole fleet.
    private func measureInProcess(clusterCount: Int) async throws {
        let now = Date()
        var fleet: [Instance] = []
        fleet.reserveCapacity(clusterCount * clusterSize)
        for cluster in 0..<clusterCount {
            let host = "10.\(cluster >> 16 & 255).\(cluster >> 8 & 255).\(cluster & 255)"
            let master = InstanceKey(hostname: host, port: 3306)
            for member in 0..<clusterSize {
                var instance = Instance(key: InstanceKey(hostname: host, port: 3306 + member))
                instance.version = "10.11.6-MariaDB-log"
                instance.binlogFormat = "ROW"
                instance.usingMariaDBGTID = true
                instance.gtidCurrentPos = "0-\(cluster)-\(1_000_000 + member)"
                instance.gtidBinlogPos = instance.gtidCurrentPos
                instance.executedGtidSet = instance.gtidCurrentPos
                instance.lastChecked = now
                instance.lastSeen = now
                if member > 0 {
                    instance.masterKey = master
                    instance.readOnly = true
                    instance.ioThreadState = .running
                    instance.sqlThreadState = .running
                    instance.secondsBehindMaster = 0
                    instance.gtidSlavePos = instance.gtidCurrentPos
                }
                fleet.append(instance)
            }
        }
        let registry = InstanceRegistry()
        await registry.load(fleet, aliasOverrides: [:])
        let sample = (0..<2000).map { fleet[($0 * 7919) % fleet.count] }
        let clock = ContinuousClock()

        var start = clock.now
        let encoded = try sample.map { try SharedProbeResult.success($0, startedAt: now, finishedAt: now).encoded() }
        let encodeCost = (clock.now - start).inSeconds / Double(sample.count)
        let page = try ProbeSharePage.assemble(epoch: "e", sequence: 1, encodedResults: encoded)
        start = clock.now
        let decoded = try ProbeSharePage(decoding: page).results
        let decodeCost = (clock.now - start).inSeconds / Double(decoded.count)
        start = clock.now
        for (index, result) in decoded.prefix(500).enumerated() {
            _ = await registry.recordSuccess(result.instance!, at: now.addingTimeInterval(Double(index + 1)), startedAt: now.addingTimeInterval(Double(index + 1)))
        }
        let recordCost = (clock.now - start).inSeconds / 500
        print(String(format: "measured in this process, registry of %d instances: encode %.3f ms, decode %.3f ms, record %.3f ms per result (%d bytes each, synthetic)",
                     fleet.count, encodeCost * 1000, decodeCost * 1000, recordCost * 1000, page.count / max(1, encoded.count)))
        print(String(format: "  every node records every server's probe in either mode: at this size and InstancePollSeconds 1, recording costs %.2f cores per node",
                     recordCost * Double(fleet.count)))
    }
}
