import Foundation
import Testing
@testable import orchestrator

@Suite struct ConfigurationTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "orchestrator-conf-\(UUID().uuidString).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func missingKeysTakeDefaults() throws {
        let config = try OrchestratorConfiguration.parse([:])
        #expect(config.listenAddress == ":3000")
        #expect(config.sqlite3DataFile == "orchestrator.sqlite3")
        #expect(config.instancePollSeconds == 1)
        #expect(config.replicaReconnectTestMilliseconds == 0, "the reconnect test touches replicas: off unless asked for")
        #expect(try config.listenHostAndPort() == ("0.0.0.0", 3000))
    }

    @Test func readsOrchestratorKeysAndReportsUnknownOnes() throws {
        let path = try write("""
        {"ListenAddress": "127.0.0.1:3099", "MySQLTopologyUser": "orc", "MySQLTopologyPassword": "${ORC_TEST_PASSWORD}",
         "InstancePollSeconds": 2, "DiscoverySeeds": ["db1:3306"], "ClusterNameToAlias": {"^db1": "shop"},
         "RecoveryPeriodBlockSeconds": 3600, "InstancePolSeconds": 5,
         "RecoverMasterClusterFilters": ["*"], "RecoverIntermediateMasterClusterFilters": ["alias=shop", "alias~=^sh", "db[0-9]"]}
        """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try OrchestratorConfiguration.load(path: path, environment: ["ORC_TEST_PASSWORD": "s3cret"])
        #expect(config.mySQLTopologyPassword.revealed == "s3cret")
        #expect(config.instancePollSeconds == 2)
        #expect(config.discoverySeeds == ["db1:3306"])
        #expect(config.clusterNameToAlias == ["^db1": "shop"])
        #expect(config.unknownKeys == ["InstancePolSeconds"])
        #expect(config.recoverMasterClusterFilters == ["*"], "`*` is every cluster, not a broken regex")
        #expect(config.recoverIntermediateMasterClusterFilters == ["alias=shop", "alias~=^sh", "db[0-9]"])
        #expect(try config.listenHostAndPort() == ("127.0.0.1", 3099))
    }

    @Test func theReconnectTestWindowReachesDiscovery() throws {
        let engine = try OrchestratorConfiguration.parse(["ReplicaReconnectTestMilliseconds": 300]).engineConfiguration(hostname: "h", token: "t")
        #expect(engine.discovery.replicaReconnectTestMilliseconds == 300)
        #expect(engine.discovery.masterPingMilliseconds == 250)
    }

    @Test func malformedFileNamesThePosition() throws {
        let path = try write("{\"ListenAddress\": \":3000\",\n \"InstancePollSeconds\": }")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try OrchestratorConfiguration.load(path: path)
            Issue.record("expected an error")
        } catch {
            let message = "\(error)"
            #expect(message.contains(path) && message.contains("not valid JSON"), "\(message)")
        }
    }

    @Test(arguments: [
        ("{\"InstancePollSeconds\": \"5\"}", "InstancePollSeconds"),
        ("{\"DiscoverByShowSlaveHosts\": 1}", "DiscoverByShowSlaveHosts"),
        ("{\"BackendDB\": \"mysql\"}", "BackendDB"),
        ("{\"ListenAddress\": \"nowhere\"}", "ListenAddress"),
        ("{\"InstancePollSeconds\": 0}", "InstancePollSeconds"),
        ("{\"ClusterNameToAlias\": {\"(\": \"x\"}}", "ClusterNameToAlias"),
        ("{\"ReplicaReconnectTestMilliseconds\": -1}", "ReplicaReconnectTestMilliseconds"),
        ("{\"ReplicaReconnectTestMilliseconds\": 200, \"MasterPingMilliseconds\": 0}", "needs MasterPingMilliseconds"),
        ("[1, 2]", "JSON object"),
    ])
    func badValuesNameTheKey(text: String, key: String) throws {
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try OrchestratorConfiguration.load(path: path)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
        }
    }

    @Test func credentialsFileOverridesUserAndPassword() throws {
        let credentials = NSTemporaryDirectory() + "orc-creds-\(UUID().uuidString).cnf"
        try Data("[client]\nuser = fromfile\npassword = \"p w\"\n".utf8).write(to: URL(fileURLWithPath: credentials))
        defer { try? FileManager.default.removeItem(atPath: credentials) }
        let config = try OrchestratorConfiguration.parse(["MySQLTopologyUser": "x", "MySQLTopologyCredentialsConfigFile": credentials])
        #expect(config.mySQLTopologyUser == "fromfile")
        #expect(config.mySQLTopologyPassword.revealed == "p w")
    }
}
