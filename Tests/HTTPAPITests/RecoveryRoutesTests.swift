import APIModels
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import Topology

struct RecoveryRoutesTests {
    let routes = RoutesTests()
    let master = InstanceKey(hostname: "db", port: 3306)

    func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, JSONValue) {
        try await client.execute(uri: uri, method: .get) { response in (response.status, routes.json(response)) }
    }

    /// The fixture topology with GTID positions, as probes would have read them.
    static func withPositions(_ registry: InstanceRegistry) async {
        var master = RoutesTests.instance(3306, master: nil)
        master.gtidBinlogPos = "0-1-10"
        var replica = RoutesTests.instance(3307, master: 3306)
        replica.gtidCurrentPos = "0-1-10"
        var leaf = RoutesTests.instance(3308, master: 3307)
        leaf.gtidCurrentPos = "0-1-9"
        await registry.load([master, replica, leaf], aliasOverrides: [:])
    }

    @Test func acknowledgementsNeedAComment() async throws {
        try await routes.withApp { client in
            for uri in ["/api/ack-all-recoveries", "/api/ack-recovery/7", "/api/ack-recovery/instance/db/3306", "/api/ack-recovery/cluster/shop?comment=%20"] {
                let (status, body) = try await get(client, uri)
                #expect(status == .badRequest, "\(uri)")
                #expect(body["Message"]?.stringValue == "No acknowledge comment given", "\(uri)")
            }
            let (status, body) = try await get(client, "/api/ack-recovery/x?comment=checked")
            #expect(status == .badRequest && body["Message"]?.stringValue == "Invalid recovery id: x")
        }
    }

    @Test func globalRecoveriesCanBeDisabledAndEnabled() async throws {
        try await routes.withApp { client in
            #expect(try await get(client, "/api/check-global-recoveries").1["Details"] == "enabled")
            let (_, disabled) = try await get(client, "/api/disable-global-recoveries")
            #expect(disabled["Message"]?.stringValue == "Globally disabled recoveries")
            let (_, check) = try await get(client, "/api/check-global-recoveries")
            #expect(check["Details"] == "disabled" && check["Message"]?.stringValue == "Global recoveries disabled")
            _ = try await get(client, "/api/enable-global-recoveries")
            #expect(try await get(client, "/api/check-global-recoveries").1["Details"] == "enabled")
        }
    }

    @Test func registeredPromotionRulesChangeThePlan() async throws {
        try await routes.withApp(prepare: { registry, _ in await Self.withPositions(registry) }) { client in
            let (status, plan) = try await get(client, "/api/recovery-plan/shop")
            #expect(status == .ok)
            let details = plan["Details"]
            #expect(details?["Promoted"]?["Port"]?.intValue == 3307)
            #expect(details?["Steps"]?.arrayValue?.count == 3)
            #expect(details?["Blockers"]?.arrayValue?.first?.stringValue == "cluster db:3306 does not match RecoverMasterClusterFilters")
            #expect(details?["WouldRecoverAutomatically"] == false)

            let (mustStatus, must) = try await get(client, "/api/register-candidate/db/3307/must")
            #expect(mustStatus == .badRequest && must["Message"]?.stringValue == "CandidatePromotionRule: must not supported yet")
            let (invalidStatus, invalid) = try await get(client, "/api/register-candidate/db/3307/best")
            #expect(invalidStatus == .badRequest && invalid["Message"]?.stringValue == "Invalid CandidatePromotionRule: best")
            #expect(try await get(client, "/api/register-candidate/db/9999/prefer").0 == .notFound)
            let (registered, body) = try await get(client, "/api/register-candidate/db/3307/must_not")
            #expect(registered == .ok && body["Message"]?.stringValue == "Registered candidate")

            let banned = try await get(client, "/api/recovery-plan/db:3306").1["Details"]
            #expect(banned?["Promoted"] == .null)
            #expect(banned?["Excluded"]?.arrayValue?.first?["Reasons"]?.arrayValue?.first?.stringValue == "promotion rule must_not")
            #expect(banned?["Error"]?.stringValue?.hasPrefix("no replica of db:3306 can be promoted") == true)
        }
    }

    @Test func recoveryHistoryListsAndAcknowledges() async throws {
        try await routes.withApp(prepare: { _, store in
            let record = TopologyRecovery(
                uid: "1:abc", key: InstanceKey(hostname: "db", port: 3306), analysis: "DeadMaster", clusterName: "db:3306", clusterAlias: "shop",
                replicas: [InstanceKey(hostname: "db", port: 3307)], type: "MasterRecovery", recoveryType: "MasterRecoveryGTID",
                startActivePeriod: RoutesTests.now, processingNodeHostname: "test", processingNodeToken: "t"
            )
            _ = try await store.registerRecovery(record, blockOnRecentSuccessor: true, blockOnActiveCluster: true, forced: false)
            try await store.appendRecoveryStep(uid: "1:abc", message: "promote db:3307", at: RoutesTests.now)
        }) { client in
            let (_, list) = try await get(client, "/api/audit-recovery")
            #expect(list.arrayValue?.count == 1)
            #expect(list.arrayValue?.first?["UID"]?.stringValue == "1:abc")
            #expect(list.arrayValue?.first?["IsActive"] == true)
            #expect(list.arrayValue?.first?["AnalysisEntry"]?["ClusterDetails"]?["ClusterAlias"]?.stringValue == "shop")
            #expect(try await get(client, "/api/audit-recovery/cluster/db:3306").1.arrayValue?.count == 1)
            #expect(try await get(client, "/api/audit-recovery/alias/other").1.arrayValue?.count == 0)
            #expect(try await get(client, "/api/active-cluster-recovery/shop").1.arrayValue?.count == 1)
            let steps = try await get(client, "/api/audit-recovery-steps/1:abc").1
            #expect(steps.arrayValue?.first?["Message"]?.stringValue == "promote db:3307")

            let (ackStatus, ack) = try await get(client, "/api/ack-recovery/instance/db/3306?comment=handled")
            #expect(ackStatus == .ok && ack["Message"]?.stringValue == "Acknowledged instance recoveries")
            #expect(try await get(client, "/api/audit-recovery?unacknowledged=true").1.arrayValue?.count == 0)
            let acknowledged = try await get(client, "/api/audit-recovery/id/1").1.arrayValue?.first
            #expect(acknowledged?["Acknowledged"] == true && acknowledged?["AcknowledgedComment"]?.stringValue == "handled")
            #expect(acknowledged?["IsActive"] == false)
        }
    }

    @Test func recoverWithoutAFailureIsNotAttempted() async throws {
        try await routes.withApp { client in
            let (status, body) = try await get(client, "/api/recover/db/3306")
            #expect(status == .conflict)
            #expect(body["Message"]?.stringValue == "Recovery not attempted")
            #expect(body["Details"]?["Port"]?.intValue == 3306)
        }
    }
}
