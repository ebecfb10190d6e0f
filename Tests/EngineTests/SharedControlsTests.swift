import Engine
import Foundation
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// Downtime, maintenance, promotion rules, the global recovery switch and tags set on one leader hold
/// on the node that leads after it (a real etcd, two nodes): the follower mirrors them, cannot
/// change them, and once it leads changes them for both; the old leader's term writes nothing.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct SharedControlsTests {
    @Test func controlsSetOnTheLeaderHoldOnTheNodeThatLeadsNext() async throws {
        try await withEtcd { etcd in
            try await withSandbox(topology: "1>0,2>0") { sandbox in
                try await withDetection(recovery: RecoveryConfiguration(), configure: { $0.leadership = LeadershipTests.configuration(etcd, node: 0) }) { harness in
                    try await Self.handedOver(etcd, sandbox, harness)
                }
            }
        }
    }

    /// The second node: its own store, registry, campaign and mirror.
    struct OtherNode {
        let store: SQLiteStore
        let registry = InstanceRegistry()
        let leadership: EtcdLeadership
        let controls: EtcdControls

        init(_ etcd: LocalServer) throws {
            store = try SQLiteStore.inMemory()
            leadership = EtcdLeadership(configuration: LeadershipTests.configuration(etcd, node: 1), store: store, logger: .init(label: "test"))
            controls = leadership.sharedControls(
                store: store, registry: registry, candidateLifetime: 3600, interval: .seconds(1), clock: SystemClock(), logger: .init(label: "test")
            )
        }
    }

    static func handedOver(_ etcd: LocalServer, _ sandbox: Sandbox, _ harness: DetectionHarness) async throws {
        let keys = try await DetectionTests.discovered(sandbox, harness)
        let engine = harness.engine
        try #require(try await expectEventually { engine.leadership.state.isLeader }, "the engine's node leads")
        let other = try OtherNode(etcd)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await other.leadership.run() }
            defer { group.cancelAll() }
            try await setOnTheFirstLeader(keys, engine)
            try await mirroredOnTheFollower(keys, other)
            try await changedByTheNextLeader(keys, engine, other)
        }
    }

    static func setOnTheFirstLeader(_ keys: [InstanceKey], _ engine: OrchestratorEngine) async throws {
        let term = try #require(engine.leadership.state.term)
        try await LeadershipScope.$term.withValue(term) {
            _ = try await engine.downtimes.begin(keys[1], owner: "ops", reason: "disk swap", duration: 3600, at: Date())
            try await engine.controls.registerCandidate(SharedCandidate(key: keys[2], rule: .mustNot, registeredAt: Date()))
            try await engine.controls.setRecoveriesDisabled(true)
            try await engine.controls.putTag(keys[1], name: "role", value: "backup", at: Date())
            try await engine.controls.putTag(keys[2], name: "role", value: "spare", at: Date())
            try await engine.controls.putTag(keys[2], name: "dc", value: "east", at: Date())
            let lock = try await engine.refactorer.beginMaintenance(keys[2], owner: "ops", reason: "backup", duration: 3600)
            #expect(lock.key == keys[2] && lock.isExplicit)
            do {
                _ = try await engine.refactorer.beginMaintenance(keys[2], owner: "someone", reason: "another", duration: 60)
                Issue.record("a second lock on \(keys[2]) was granted")
            } catch {
                #expect("\(error)".contains("backup"), "the refusal names the holder: \(error)")
            }
        }
        // The leader's own store and registry show them at once.
        #expect(await engine.registry.activeDowntimes(at: Date())[keys[1]]?.reason == "disk swap")
        #expect(try await engine.store.areGlobalRecoveriesDisabled())
    }

    static func mirroredOnTheFollower(_ keys: [InstanceKey], _ other: OtherNode) async throws {
        let following = try await expectEventually { other.leadership.state.leaderNode != nil && !other.leadership.state.isLeader }
        try #require(following, "the second node follows: \(other.leadership.state)")
        try await other.controls.refresh()
        let now = Date()
        #expect(try await other.store.downtimes().map(\.key) == [keys[1]])
        #expect(await other.registry.activeDowntimes(at: now)[keys[1]]?.owner == "ops")
        #expect(try await other.store.promotionRules(registeredSince: now.addingTimeInterval(-60)) == [keys[2]: .mustNot])
        #expect(try await other.store.areGlobalRecoveriesDisabled())
        #expect(try await other.store.allTags() == [keys[1]: ["role": "backup"], keys[2]: ["role": "spare", "dc": "east"]])
        #expect(try await other.store.activeMaintenance(at: now).map { "\($0.key) \($0.reason)" } == ["\(keys[2]) backup"])
        let refusal = await refusalToEnable(other.controls)
        guard case .notLeader = refusal else {
            Issue.record("a follower's write was not refused as not leading: \(String(describing: refusal))")
            return
        }
    }

    /// Why `controls` did not enable recoveries; `nil` when it did.
    static func refusalToEnable(_ controls: any OperatorControls) async -> ControlsError? {
        do throws(ControlsError) {
            try await controls.setRecoveriesDisabled(false)
            return nil
        } catch {
            return error
        }
    }

    static func changedByTheNextLeader(_ keys: [InstanceKey], _ engine: OrchestratorEngine, _ other: OtherNode) async throws {
        let oldTerm = try #require(engine.leadership.state.term)
        #expect(await engine.leadership.stepDown() == nil)
        try #require(try await expectEventually { other.leadership.state.isLeader }, "the second node leads: \(other.leadership.state)")
        let refusal = await LeadershipScope.$term.withValue(oldTerm) { await refusalToEnable(engine.controls) }
        guard case .notLeader = refusal else {
            Issue.record("the old term's write was not refused as not leading: \(String(describing: refusal))")
            return
        }
        try await other.controls.refresh()
        #expect(try await other.store.areGlobalRecoveriesDisabled(), "the old term's write did not happen")

        #expect(try await other.controls.endMaintenance(keys[2], at: Date()))
        try await other.controls.setRecoveriesDisabled(false)
        #expect(try await other.controls.endDowntime(keys[1], beganAt: nil))
        #expect(try await other.controls.removeTag(name: "role", value: nil, from: nil) == [keys[1], keys[2]], "untag-all, in one transaction")
        #expect(try await other.store.activeMaintenance(at: Date()).isEmpty)
        // The first node, now a follower, mirrors the new leader's changes on its own.
        let mirrored = try await expectEventually {
            let store = engine.store
            let disabled = try await store.areGlobalRecoveriesDisabled()
            let downtimes = try await store.downtimes()
            let locks = try await store.activeMaintenance(at: Date())
            let inForce = await engine.registry.activeDowntimes(at: Date())
            let tags = try await store.allTags()
            return !disabled && downtimes.isEmpty && locks.isEmpty && inForce.isEmpty && tags == [keys[2]: ["dc": "east"]]
        }
        #expect(mirrored, "the first node mirrors what the new leader changed")
        #expect(try await engine.store.promotionRules(registeredSince: Date().addingTimeInterval(-60)) == [keys[2]: .mustNot], "the rule stays")
    }
}
