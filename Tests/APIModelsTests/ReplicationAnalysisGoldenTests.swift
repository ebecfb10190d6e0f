import APIModels
import Foundation
import Testing
import Topology

/// The analyzer, fed the facts orchestrator had right after the sandbox master was killed,
/// must answer `/api/replication-analysis` with orchestrator's own bytes.
struct ReplicationAnalysisGoldenTests {
    @Test func deadMasterAnswerMatchesOrchestratorByteForByte() throws {
        let seen = Date(timeIntervalSince1970: 1_790_000_000)
        let now = seen.addingTimeInterval(3)
        let masterKey = InstanceKey(hostname: "127.0.0.1", port: 10111)
        var master = Instance(key: masterKey)
        master.selfBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000001", logPos: 328)
        master.clusterName = "127.0.0.1:10111"
        master.logBinEnabled = true
        master.logReplicationUpdatesEnabled = true
        master.lastSeen = seen
        master.lastChecked = now
        master.lastAttemptedCheck = now
        master.lastCheckPartialSuccess = false
        var instances = [master]
        for port in 10112...10114 {
            var replica = Instance(key: InstanceKey(hostname: "127.0.0.1", port: port))
            replica.masterKey = masterKey
            replica.selfBinlogCoordinates = master.selfBinlogCoordinates
            replica.clusterName = master.clusterName
            replica.replicationDepth = 1
            replica.readOnly = true
            replica.logBinEnabled = true
            replica.logReplicationUpdatesEnabled = true
            replica.binlogFormat = "ROW"
            replica.version = "10.11.14-MariaDB-log"
            replica.usingMariaDBGTID = true
            replica.sqlThreadState = .running
            replica.ioThreadState = .other
            replica.lastIOError = "error reconnecting to master 'repl@127.0.0.1:10111' - retry-time: 1  maximum-retries: 100000  message: Can't connect to MySQL server on '127.0.0.1' (111 \"Connection refused\")"
            replica.lastSeen = now
            replica.lastChecked = now
            replica.lastAttemptedCheck = now
            replica.lastCheckPartialSuccess = true
            instances.append(replica)
        }
        var configuration = AnalysisConfiguration()
        configuration.recoverMasterClusterFilters = ["*"]
        configuration.recoverIntermediateMasterClusterFilters = ["*"]
        let snapshot = AnalysisSnapshot(instances: instances, now: now, clusterAliases: ["127.0.0.1:10111": "ci"])
        let entries = Analyzer.analyze(snapshot, configuration: configuration, hints: .api)
        let node = ReplicationAnalysisJSON.Node(
            hostname: "orchestrator-node-1", token: "858e3b2a5b0e82fcd13ef86e1c904e0384c9f1e1ccda19648f05ad519ef85a47"
        )
        let answer = APIEnvelope.ok("Analysis", details: .array(entries.map { ReplicationAnalysisJSON.encode($0, node: node) }))
        let expected = try Fixture.text("replication-analysis-dead-master.json")
        #expect(answer.serialized() == expected)
    }
}
