import Foundation
import Testing
import Topology

/// Which replica a graceful takeover hands mastership to, and every refusal, on plain values.
struct TakeoverDesignationTests {
    static let master = replica(1, dataCenter: "east", region: "eu")

    static func replica(_ port: Int, dataCenter: String = "east", region: String = "eu", rule: PromotionRule = .neutral, logBin: Bool = true) -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db-\(port).example", port: port))
        instance.version = "10.11.6-MariaDB-log"
        instance.serverID = Int64(port)
        instance.dataCenter = dataCenter
        instance.region = region
        instance.promotionRule = rule
        instance.logBinEnabled = logBin
        instance.logReplicationUpdatesEnabled = logBin
        instance.lastChecked = .distantPast
        instance.lastSeen = .distantPast
        if port != 1 { instance.masterKey = master.key }
        return instance
    }

    static func key(_ port: Int) -> InstanceKey { InstanceKey(hostname: "db-\(port).example", port: port) }

    static func choose(_ replicas: [Instance], designated: Int? = nil, auto: Bool = false, policy: RecoveryPolicy = RecoveryPolicy()) -> Result<Int, TakeoverRefusal> {
        do throws(TakeoverRefusal) {
            return .success(try TakeoverDesignation.choose(master: master, replicas: replicas, designated: designated.map(key), auto: auto, policy: policy).key.port)
        } catch {
            return .failure(error)
        }
    }

    @Test func theDesignatedReplicaOrTheOnlyOneTakesOver() {
        #expect(Self.choose([Self.replica(2), Self.replica(3)], designated: 3) == .success(3))
        #expect(Self.choose([Self.replica(2)]) == .success(2))
    }

    @Test func severalReplicasAndNoneDesignatedIsRefusedUnlessAuto() {
        let replicas = [Self.replica(2, rule: .preferNot), Self.replica(3, rule: .prefer)]
        let refusal = Self.choose(replicas)
        #expect(refusal == .failure(.severalReplicas(master: Self.master.key, count: 2)))
        if case .failure(let error) = refusal {
            #expect(error.description.contains("has 2 direct replicas and none was designated"))
            #expect(error.description.contains("graceful-master-takeover-auto"))
        }
        #expect(Self.choose(replicas, auto: true) == .success(3), "auto picks what a failover would promote")
    }

    @Test func aDesignatedServerThatIsNotADirectReplicaIsRefused() {
        let refusal = Self.choose([Self.replica(2), Self.replica(3)], designated: 7)
        #expect(refusal == .failure(.notDirectReplica(Self.key(7), master: Self.master.key)))
        if case .failure(let error) = refusal { #expect(error.description == "db-7.example:7 is not a direct replica of the master db-1.example:1") }
    }

    @Test func crossDataCenterAndCrossRegionTargetsAreRefusedWhenPrevented() {
        var policy = RecoveryPolicy()
        let remote = [Self.replica(2), Self.replica(3, dataCenter: "west", region: "us")]
        #expect(Self.choose(remote, designated: 3) == .success(3), "allowed unless prevented")
        policy.preventCrossDataCenterMasterFailover = true
        policy.preventCrossRegionMasterFailover = true
        guard case .failure(.notPromotable(let key, let reasons)) = Self.choose(remote, designated: 3, policy: policy) else {
            Issue.record("a cross-data-center target was accepted")
            return
        }
        #expect(key == Self.key(3))
        #expect(reasons == [
            "data center west differs from the master's east (PreventCrossDataCenterMasterFailover)",
            "region us differs from the master's eu (PreventCrossRegionMasterFailover)",
        ])
        #expect(Self.choose(remote, designated: 2, policy: policy) == .success(2))
    }

    @Test func bannedReplicasAreRefusedWithEveryReason() {
        var policy = RecoveryPolicy()
        policy.promotionIgnoreHostnameFilters = ["db-2"]
        let refusal = Self.choose([Self.replica(2, rule: .mustNot, logBin: false)], policy: policy)
        guard case .failure(.notPromotable(_, let reasons)) = refusal else {
            Issue.record("a banned replica was chosen: \(refusal)")
            return
        }
        #expect(reasons.count == 3, "\(reasons)")
        #expect(reasons.first == "promotion rule must_not")
    }

    @Test func noReplicasIsRefused() {
        #expect(Self.choose([]) == .failure(.noReplicas(master: Self.master.key)))
    }
}
