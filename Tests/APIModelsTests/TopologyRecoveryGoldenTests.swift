import APIModels
import Foundation
import Testing
import Topology

/// A recovery row read back must serve orchestrator's own `audit-recovery` bytes (our extra
/// fields aside).
struct TopologyRecoveryGoldenTests {
    @Test func auditRecoveryRowMatchesOrchestratorByteForByte() throws {
        let start = try #require(APITimestamp.parse("2026-11-22T21:46:40Z"))
        let replicas = (10112...10114).map { InstanceKey(hostname: "127.0.0.1", port: $0) }
        var recovery = TopologyRecovery(
            uid: "1795384000537196358:9a344852531e7cba5ec896fb5f1ac938dc3f256cf06893a90e01d6c968e68edf",
            key: InstanceKey(hostname: "127.0.0.1", port: 10111), analysis: "DeadMaster", clusterName: "127.0.0.1:10111", clusterAlias: "ci",
            replicas: replicas, type: "", recoveryType: "NotMasterRecovery", startActivePeriod: start,
            processingNodeHostname: "orchestrator-node-1", processingNodeToken: "858e3b2a5b0e82fcd13ef86e1c904e0384c9f1e1ccda19648f05ad519ef85a47"
        )
        recovery.id = 1
        recovery.isActive = false
        recovery.isSuccessful = true
        recovery.successor = InstanceKey(hostname: "127.0.0.1", port: 10113)
        recovery.endRecovery = start
        recovery.lastDetectionID = 1
        let encoded = TopologyRecoveryJSON.encode(recovery, automatedMaster: true, automatedIntermediateMaster: true)
        guard case .object(let members) = encoded else {
            Issue.record("not an object")
            return
        }
        let ours: Set<String> = ["LostTransactions", "PlanSummary", "LastStep"]
        let orchestratorShape = JSONValue.object(members.filter { !ours.contains($0.0) })
        #expect(JSONValue.array([orchestratorShape]).serialized() == (try Fixture.text("audit-recovery.json")))
    }
}
