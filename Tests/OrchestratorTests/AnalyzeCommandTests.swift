import Foundation
import Testing

/// `orchestrator analyze --snapshot`: shadow mode through the executable.
struct AnalyzeCommandTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("APIModelsTests/Fixtures")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TopologyTests/AnalysisFixtures")

    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "snapshot-\(UUID().uuidString).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func orchestratorsOwnClusterJSONOfAHealthyTopologyPrintsNothing() throws {
        let result = try CommandLineTests.run(["analyze", "--snapshot", Self.samples.appendingPathComponent("cluster-127.0.0.1-10111.json").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func objectFormWithBackendStateDowntimeAndStructureWarnings() throws {
        let dead = try CommandLineTests.run(["analyze", "--snapshot", Self.fixtures.appendingPathComponent("dead_master.json").path])
        #expect(dead.status == 0)
        #expect(dead.stdout.split(separator: "\n") == [
            "127.0.0.1:10111 (cluster 127.0.0.1:10111): DeadMaster",
            "127.0.0.1:10112 (cluster 127.0.0.1:10111): FirstTierReplicaFailingToConnectToMaster",
            "127.0.0.1:10113 (cluster 127.0.0.1:10111): FirstTierReplicaFailingToConnectToMaster",
            "127.0.0.1:10114 (cluster 127.0.0.1:10111): FirstTierReplicaFailingToConnectToMaster",
        ])
        let warnings = try CommandLineTests.run(["analyze", "--snapshot", Self.fixtures.appendingPathComponent("structure_no_logging_no_failover_support.json").path])
        #expect(warnings.stdout.split(separator: "\n") == [
            "127.0.0.1:10111 (cluster 127.0.0.1:10111): NoLoggingReplicasStructureWarning",
            "127.0.0.1:10111 (cluster 127.0.0.1:10111): NoFailoverSupportStructureWarning",
        ])
    }

    @Test(arguments: [
        ("{not json", "not valid JSON"),
        (#"{"instances": 3}"#, "field instances: expected an array"),
        (#"[{"Key": {"Hostname": "db1", "Port": 3306}}, {"MasterKey": {"Hostname": "db1", "Port": 3306}}]"#, "instances #1: field Key: missing"),
        (#"[{"Key": {"Hostname": "db1", "Port": 3306}, "ReadOnly": "yes"}]"#, "instances #0 (db1:3306): field ReadOnly: expected true or false"),
        (#"{"now": "yesterday", "instances": []}"#, "now: expected an RFC 3339 time, got 'yesterday'"),
        ("""
        [{"Key": {"Hostname": "a", "Port": 1}, "MasterKey": {"Hostname": "c", "Port": 1}},
         {"Key": {"Hostname": "b", "Port": 1}, "MasterKey": {"Hostname": "a", "Port": 1}},
         {"Key": {"Hostname": "c", "Port": 1}, "MasterKey": {"Hostname": "b", "Port": 1}}]
        """, "instance a:1: field MasterKey: replication cycle a:1 -> c:1 -> b:1 -> a:1"),
        (#"{"instances": [{"Key": {"Hostname": "a", "Port": 1}}], "downtime": [{"Owner": "me"}]}"#, "downtime #0: field Key: missing"),
    ])
    func malformedSnapshotsAreRejectedNamingThePlace(_ document: String, _ message: String) throws {
        let path = try write(document)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CommandLineTests.run(["analyze", "--snapshot", path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func coMastersAreNotACycle() throws {
        let path = try write("""
        [{"Key": {"Hostname": "a", "Port": 1}, "MasterKey": {"Hostname": "b", "Port": 1}, "ReplicationIOThreadState": 1, "ReplicationSQLThreadState": 1, "LastSeenTimestamp": "2026-11-23T10:00:00Z", "IsLastCheckValid": true},
         {"Key": {"Hostname": "b", "Port": 1}, "MasterKey": {"Hostname": "a", "Port": 1}, "ReplicationIOThreadState": 1, "ReplicationSQLThreadState": 1, "LastSeenTimestamp": "2026-11-23T10:00:00Z", "IsLastCheckValid": true}]
        """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CommandLineTests.run(["analyze", "--snapshot", path])
        #expect(result.status == 0, "\(result.stderr)")
    }
}
