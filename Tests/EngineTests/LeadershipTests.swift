import Engine
import Foundation
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// Leadership through a real etcd: one node leads, a hand-over ends the old term, work of an
/// ended term touches no server, and without etcd nobody recovers.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct LeadershipTests {
    static func configuration(_ etcd: LocalServer, node: Int) -> LeadershipConfiguration {
        LeadershipConfiguration(
            endpoints: ["http://127.0.0.1:\(etcd.port)"],
            record: LeaderRecord(node: "127.0.0.1:\(40000 + node)", url: "http://127.0.0.1:\(40000 + node)")
        )
    }

    /// Runs every node's campaign while `body` runs, then stops them (each revokes its lease).
    func withCampaigning<T: Sendable>(_ nodes: [EtcdLeadership], _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { try await node.run() } }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    static func auditTypes(_ store: SQLiteStore) async throws -> [String] {
        try await store.auditEntries(page: 0, pageSize: 100).map(\.type)
    }

    // Each test's body is a function of its own: deeply nested closures have been miscompiled
    // (a closure passed to `expectEventually` that never ran).
    @Test func oneNodeLeadsAndSteppingDownHandsOverAndEndsTheOldTerm() async throws {
        try await withEtcd { etcd in
            let stores = try [SQLiteStore.inMemory(), SQLiteStore.inMemory()]
            let nodes = (0..<2).map { EtcdLeadership(configuration: Self.configuration(etcd, node: $0), store: stores[$0], logger: .init(label: "test")) }
            try await withCampaigning(nodes) { try await Self.handOver(nodes, stores) }
        }
    }

    static func handOver(_ nodes: [EtcdLeadership], _ stores: [SQLiteStore]) async throws {
        let settled = try await expectEventually(timeout: .seconds(30)) {
            let states = nodes.map(\.state)
            return states.filter(\.isLeader).count == 1 && states.allSatisfy { $0.isHealthy }
        }
        try #require(settled, "one leader, one follower: \(nodes.map(\.state))")
        let leaderIndex = try #require(nodes.firstIndex { $0.state.isLeader })
        let leader = nodes[leaderIndex], follower = nodes[1 - leaderIndex]
        #expect(follower.state == .follower(leader: leader.ownRecord))
        #expect(Set(await follower.nodes().map(\.node)) == Set(nodes.map(\.ownRecord.node)))
        let term = try #require(leader.state.term)
        #expect(await leader.verify(term) == .proceed)

        #expect(await leader.stepDown() == nil)
        let handedOver = try await expectEventually(timeout: .seconds(30)) {
            follower.state.isLeader && leader.state == .follower(leader: follower.ownRecord)
        }
        try #require(handedOver, "the other node leads: \(nodes.map(\.state))")
        let verdict = await leader.verify(term)
        #expect(verdict != .proceed, "work of the ended term is refused")
        if case .refuse(let why) = verdict { #expect(why.contains("moved to \(follower.ownRecord.node)"), "\(why)") }
        // Audited right after the state changed.
        #expect(try await expectEventually { try await auditTypes(stores[leaderIndex]).contains("leadership-lost") })
    }

    @Test func anOperationOfAnEndedTermTouchesNoServerAndSaysSo() async throws {
        try await withEtcd { etcd in
            try await withSandbox(topology: "1>0") { sandbox in
                try await withDetection(configure: { $0.leadership = Self.configuration(etcd, node: 0) }) { harness in
                    try await Self.endedTerm(sandbox, harness)
                }
            }
        }
    }

    static func endedTerm(_ sandbox: Sandbox, _ harness: DetectionHarness) async throws {
        let keys = try await DetectionTests.discovered(sandbox, harness)
        let engine = harness.engine
        let leads = try await expectEventually(timeout: .seconds(30)) { engine.leadership.state.isLeader }
        try #require(leads, "the only node leads: \(engine.leadership.state)")
        let oldTerm = try #require(engine.leadership.state.term)
        // The term ends (as when a paused leader's lease expires); the node leads again later,
        // under a new term.
        #expect(await engine.leadership.stepDown() == nil)
        let again = try await expectEventually(timeout: .seconds(30)) {
            engine.leadership.state.term.map { $0 != oldTerm } ?? false
        }
        try #require(again, "a new term: \(engine.leadership.state)")

        await #expect(throws: OperationError.self) {
            try await LeadershipScope.$term.withValue(oldTerm) { try await engine.operations.stopReplication(keys[1]) }
        }
        let connection = try await sandbox.connect(1)
        let running = try await connection.query("SHOW SLAVE STATUS").first?.string("Slave_SQL_Running")
        await connection.close()
        #expect(running == "Yes", "the replica was not touched")
        let fenced = try await engine.store.auditEntries(page: 0, pageSize: 100).first { $0.type == "fenced" }
        #expect(fenced?.message.contains("did not") == true && fenced?.message.contains("moved to") == true, "\(String(describing: fenced))")
        // Without a term (not started by the leader) nothing runs either.
        await #expect(throws: OperationError.self) { try await engine.operations.stopReplication(keys[1]) }
        // Under the current term the same operation runs.
        let current = try #require(engine.leadership.state.term)
        try await LeadershipScope.$term.withValue(current) { try await engine.operations.stopReplication(keys[1]) }
        try await LeadershipScope.$term.withValue(current) { try await engine.operations.startReplication(keys[1]) }
    }

    @Test func withoutEtcdNoNodeRecoversAndReadsGoOnAndWithEtcdBackALeaderRecovers() async throws {
        try await withEtcd { etcd in
            try await withSandbox(topology: "1>0,2>0") { sandbox in
                try await withDetection(recovery: RecoveryConfiguration(), configure: { $0.leadership = Self.configuration(etcd, node: 0) }) { harness in
                    try await Self.withoutEtcd(etcd, sandbox, harness)
                }
            }
        }
    }

    static func withoutEtcd(_ etcd: LocalServer, _ sandbox: Sandbox, _ harness: DetectionHarness) async throws {
        let keys = try await DetectionTests.discovered(sandbox, harness)
        let engine = harness.engine
        try #require(try await expectEventually(timeout: .seconds(30)) { engine.leadership.state.isLeader })

        // Stopped (as a partition would look): every request to it times out.
        kill(etcd.pid, SIGSTOP)
        let lost = try await expectEventually(timeout: .seconds(30)) { engine.leadership.state.problem?.contains("etcd unreachable") == true }
        try #require(lost, "no leader known without etcd: \(engine.leadership.state)")
        try sandbox.kill(0)
        let dead = try await expectEventually(timeout: .seconds(30)) { await harness.entry(keys[0])?.analysis == .deadMaster }
        try #require(dead, "the node goes on probing and analysing")
        let refused = await recover(engine, await harness.entry(keys[0]))
        #expect(refused.contains("does not lead"), "\(refused)")
        let records = try await engine.store.recoveries(RecoveryQuery())
        #expect(records.isEmpty, "no recovery without a leader: \(records)")
        #expect(await engine.registry.instance(keys[1]) != nil, "reads go on")
        #expect(try await expectEventually { try await auditTypes(engine.store).contains("leadership-lost") }, "the lapse is audited")

        kill(etcd.pid, SIGCONT)
        let recovered = try await expectEventually(timeout: .seconds(60)) {
            try await engine.store.recoveries(RecoveryQuery()).contains { $0.isSuccessful }
        }
        #expect(recovered, "etcd back: the node leads again and recovers the dead master")
        #expect(engine.leadership.state.isLeader)
    }

    /// What `recover` answered for `entry`, as text.
    static func recover(_ engine: OrchestratorEngine, _ entry: ReplicationAnalysis?) async -> String {
        guard let entry else { return "no analysis entry" }
        switch await engine.recovery.recover(entry) {
        case .notAttempted(let why): return why
        case let other: return "\(other)"
        }
    }
}
