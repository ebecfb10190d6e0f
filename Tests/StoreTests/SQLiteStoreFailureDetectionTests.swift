import Foundation
import Store
import Testing
import Topology

struct SQLiteStoreFailureDetectionTests {
    let master = InstanceKey(hostname: "127.0.0.1", port: 10111)
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    func detection(_ code: String, actionable: Bool = true, at date: Date) -> FailureDetection {
        FailureDetection(
            key: master, analysis: code, clusterName: "127.0.0.1:10111", clusterAlias: "main", countReplicas: 2,
            countValidReplicas: 2, countValidReplicatingReplicas: 0, countReplicasFailingToConnect: 2,
            replicas: [InstanceKey(hostname: "127.0.0.1", port: 10112), InstanceKey(hostname: "127.0.0.1", port: 10113)],
            isActionable: actionable, startActivePeriod: date, processingNodeHostname: "node", processingNodeToken: "token"
        )
    }

    @Test func oneActiveDetectionPerInstanceAndActionability() async throws {
        let store = try SQLiteStore.inMemory()
        let first = try await store.registerFailureDetection(detection("DeadMaster", at: start))
        #expect(first != nil)
        // Same instance, still active: not registered again, whatever the code.
        let again = try await store.registerFailureDetection(detection("DeadMasterAndSomeReplicas", at: start.addingTimeInterval(5)))
        #expect(again == nil)
        // A non-actionable detection of the same instance has its own slot.
        let nonActionable = try await store.registerFailureDetection(detection("UnreachableMaster", actionable: false, at: start))
        #expect(nonActionable != nil)
        let all = try await store.failureDetections()
        #expect(all.map(\.analysis) == ["UnreachableMaster", "DeadMaster"])
        #expect(all.last?.replicas.map(\.port) == [10112, 10113])
        #expect(all.last.map { [$0.countReplicas, $0.countValidReplicas, $0.countValidReplicatingReplicas, $0.countReplicasFailingToConnect] } == [2, 2, 0, 2])
        let allActive = all.allSatisfy(\.isActive)
        #expect(allActive)
    }

    @Test func expiryReopensTheSlot() async throws {
        let store = try SQLiteStore.inMemory()
        let first = try #require(try await store.registerFailureDetection(detection("DeadMaster", at: start)))
        // The block period has not passed for this one: nothing expires.
        let notYet = try await store.expireFailureDetections(startedBefore: start, at: start)
        #expect(notYet == 0)
        let expired = try await store.expireFailureDetections(startedBefore: start.addingTimeInterval(1), at: start.addingTimeInterval(3600))
        #expect(expired == 1)
        let second = try await store.registerFailureDetection(detection("DeadMaster", at: start.addingTimeInterval(3601)))
        #expect(second != nil && second != first)
        let byID = try await store.failureDetections(id: first)
        #expect(byID.count == 1 && byID.first?.isActive == false)
        let main = try await store.failureDetections(clusterAlias: "main")
        let other = try await store.failureDetections(clusterAlias: "other")
        #expect(main.count == 2 && other.isEmpty)
        let ended = try await store.endFailureDetections(of: master, at: start.addingTimeInterval(3700))
        #expect(ended == 1)
        let after = try await store.failureDetections()
        let noneActive = after.allSatisfy { !$0.isActive }
        #expect(noneActive)
    }
}
