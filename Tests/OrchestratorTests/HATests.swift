import Foundation
import OrchestratorTesting
import Sandbox
import Testing

/// Three `orchestrator serve` nodes coordinated through a real etcd on 127.0.0.1, against a
/// sandbox MariaDB topology: one leader recovers, a killed leader is replaced, a paused leader
/// is fenced, and a client given all three URLs finds the leader the way orchestrator-client does.
@Suite(.serialized, .timeLimit(.minutes(20)))
struct HATests {
    /// Waits until every node sees the whole topology (so a new leader starts warm).
    static func awaitDiscovered(_ nodes: HANodes, ports: [Int]) async throws {
        for api in nodes.apis {
            let seen = try await expectEventually(timeout: .seconds(60)) {
                let data = (try? await HTTPGet.data(api + "/cluster/127.0.0.1:\(ports[0])")) ?? Data()
                let instances = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
                return instances.count == ports.count
            }
            try #require(seen, "\(api) discovered \(ports)")
        }
    }

    /// The sandbox instance that is now a writable master, with every other live one replicating from it.
    static func master(of sandbox: Sandbox, among indexes: [Int]) async throws -> Int? {
        var masters: [Int] = []
        var sources: [Int: Int] = [:]
        for index in indexes {
            let connection = try await sandbox.connect(index)
            let status = try await connection.query("SHOW SLAVE STATUS").first
            let readOnly = try await connection.query("SELECT @@global.read_only AS ro").first?.int("ro")
            await connection.close()
            if let status { sources[index] = status.int("Master_Port").map(Int.init) } else if readOnly == 0 { masters.append(index) }
        }
        guard masters.count == 1 else { return nil }
        let port = sandbox.instances[masters[0]].port
        return sources.values.allSatisfy { $0 == port } ? masters[0] : nil
    }

    // Each test's body is a function of its own: deeply nested closures have been miscompiled
    // (a closure passed to `expectEventually` that never ran).
    @Test func aKilledLeaderIsReplacedAndAMasterKilledWithItIsRecoveredOnce() async throws {
        try await withEtcd { etcd in
            try await withSandbox(topology: "1>0,2>0") { sandbox in
                try await HANodes.with(etcd: etcd, seed: sandbox.instances[0].port) { nodes in try await Self.killedLeader(sandbox, nodes) }
            }
        }
    }

    static func killedLeader(_ sandbox: Sandbox, _ nodes: HANodes) async throws {
        let ports = sandbox.instances.map(\.port)
        let leader = try #require(try await nodes.awaitLeader(), "one node leads: \(nodes.logTail(0))")
        try await awaitDiscovered(nodes, ports: ports)
        #expect(await whichAPI(nodes) == nodes.apis[leader], "a client given every node finds the leader")
        let others = nodes.ports.indices.filter { $0 != leader }
        // A follower forwards operations to the leader, which alone carries them out.
        #expect(await HTTPGet.status(nodes.apis[others[0]] + "/routed-leader-check") == 200)
        let tag = "/tag/127.0.0.1/\(ports[1])?tag=forwarded%3Dyes"
        #expect(await HTTPGet.status(nodes.apis[others[0]] + tag) == 200)
        let taggedOnLeader = String(decoding: try await HTTPGet.data(nodes.apis[leader] + "/tagged?tag=forwarded"), as: UTF8.self)
        #expect(taggedOnLeader.contains("\(ports[1])"), "the leader tagged it before answering: \(taggedOnLeader)")
        // Every node mirrors the tags the leader shares through etcd.
        let taggedEverywhere = try await expectEventually {
            for api in nodes.apis {
                let tagged = String(decoding: (try? await HTTPGet.data(api + "/tagged?tag=forwarded")) ?? Data(), as: UTF8.self)
                if !tagged.contains("\(ports[1])") { return false }
            }
            return true
        }
        #expect(taggedEverywhere, "every node shows the tag")
        // A promotion rule given to a follower reaches the leader, and through etcd the next one:
        // the replica that would be promoted otherwise (the first) must not be.
        #expect(await HTTPGet.status(nodes.apis[others[1]] + "/register-candidate/127.0.0.1/\(ports[1])/must_not") == 200)

        kill(nodes.processes[leader].processIdentifier, SIGKILL)
        try sandbox.kill(0)
        let next = try #require(try await nodes.awaitLeader(among: others), "another node leads")
        #expect(await whichAPI(nodes) == nodes.apis[next], "a client given every node finds the new leader")
        // So does our own client, given every node (the dead one first) for an operation.
        let discover = try CommandLineTests.run(["discover", "-i", "127.0.0.1:\(ports[1])", "--api", nodes.apis.joined(separator: " ")])
        #expect(discover.status == 0, "\(discover.stderr)")
        let recovered = try await expectEventually(timeout: .seconds(90)) {
            try await nodes.recoveries(next).contains { $0["IsSuccessful"] as? Bool == true }
        }
        try #require(recovered, "the new leader recovered the dead master: \(nodes.logTail(next))")
        // Every surviving node shows the one recovery the leader ran (the follower takes it in).
        let shownEverywhere = try await expectEventually {
            for index in others where try await nodes.recoveries(index).isEmpty { return false }
            return true
        }
        #expect(shownEverywhere, "the follower shows the leader's recovery")
        var uids: [String] = []
        for index in others { uids += try await nodes.recoveries(index).compactMap { $0["UID"] as? String } }
        #expect(Set(uids).count == 1 && uids.count == others.count, "one recovery across the nodes: \(uids)")
        #expect(try await master(of: sandbox, among: [1, 2]) == 2, "the replica without must_not is the new master, the other below it")
    }

    @Test func aPausedLeaderThatWakesUpAfterLosingItsLeaseDoesNothing() async throws {
        try await withEtcd { etcd in
            try await withSandbox(topology: "1>0,2>0") { sandbox in
                // Every recovery waits in its pre-failover hook long enough to pause its node there.
                let hook = #", "PreFailoverProcesses": ["sleep 4"]"#
                try await HANodes.with(etcd: etcd, seed: sandbox.instances[0].port, extraSettings: hook) { nodes in try await Self.pausedLeader(sandbox, nodes) }
            }
        }
    }

    static func pausedLeader(_ sandbox: Sandbox, _ nodes: HANodes) async throws {
        let leader = try #require(try await nodes.awaitLeader(), "one node leads")
        try await awaitDiscovered(nodes, ports: sandbox.instances.map(\.port))
        let others = nodes.ports.indices.filter { $0 != leader }

        try sandbox.kill(0)
        let inHook = try await expectEventually(timeout: .seconds(60)) {
            try await nodes.recoveries(leader).contains { ($0["LastStep"] as? String)?.contains("running PreFailoverProcesses") == true }
        }
        try #require(inHook, "the leader's recovery reached its hook")
        kill(nodes.processes[leader].processIdentifier, SIGSTOP)
        // (`HANodes.with` resumes it before stopping it, whatever happens here.)
        let next = try #require(try await nodes.awaitLeader(among: others), "another node leads while the old one is paused")
        let recovered = try await expectEventually(timeout: .seconds(90)) {
            try await nodes.recoveries(next).contains { $0["IsSuccessful"] as? Bool == true }
        }
        try #require(recovered, "the new leader recovered: \(nodes.logTail(next))")
        let newMaster = try #require(try await master(of: sandbox, among: [1, 2]))

        kill(nodes.processes[leader].processIdentifier, SIGCONT)
        let fenced = try await expectEventually(timeout: .seconds(60)) {
            try await nodes.recoveries(leader).contains { record in
                (record["AllErrors"] as? [String] ?? []).contains { $0.contains("fenced") } && record["IsSuccessful"] as? Bool == false
            }
        }
        let records = try await nodes.recoveries(leader)
        #expect(fenced, "the old leader's recovery stopped at its fence: \(records)")
        let audit = try await nodes.audit(leader)
        #expect(audit.contains { $0.type == "fenced" }, "the audit says so: \(audit)")
        #expect(audit.contains { $0.type == "leadership-lost" }, "\(audit)")
        #expect(await HTTPGet.status(nodes.apis[leader] + "/leader-check") == 404)
        #expect(try await master(of: sandbox, among: [1, 2]) == newMaster, "the old leader changed nothing")
    }

    /// What `orchestrator-client -c which-api` answers with every node in `ORCHESTRATOR_API`:
    /// the first API whose `leader-check` answers 200. (The client itself lives outside this
    /// repository, so `make test` does not run it; `docs/high-availability.md` shows it by hand.)
    static func whichAPI(_ nodes: HANodes) async -> String? {
        for api in nodes.apis where await HTTPGet.status(api + "/leader-check") == 200 {
            return api
        }
        return nil
    }
}
