import APIModels
import Engine
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Logging
import MySQLClient
import Store
import Testing
import Topology

/// Routes over a registry filled with plain values; no server is contacted except by `discover`.
@Suite struct RoutesTests {
    static let now = Date()

    static func instance(_ port: Int, master: Int?) -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db", port: port))
        instance.version = "10.11.6-MariaDB-log"
        instance.binlogFormat = "ROW"
        instance.logBinEnabled = true
        instance.logReplicationUpdatesEnabled = true
        instance.lastChecked = now
        instance.lastSeen = now
        instance.replicationLagSeconds = 0
        instance.suggestedClusterAlias = master == nil ? "shop" : ""
        if let master {
            instance.masterKey = InstanceKey(hostname: "db", port: master)
            instance.readOnly = true
            instance.usingMariaDBGTID = true
            instance.sqlThreadState = .running
            instance.ioThreadState = .running
            instance.secondsBehindMaster = 0
        }
        return instance
    }

    /// An engine over `store` that watches nothing and recovers nothing: the routes read what a
    /// test puts in its registry.
    static func plainEngine(store: SQLiteStore, kvStores: [any KVStore] = [], clock: (any EngineClock)? = nil) -> OrchestratorEngine {
        var configuration = EngineConfiguration(
            discovery: DiscoveryConfiguration(credentials: MySQLCredentials(user: "u", password: "p"), connectTimeoutSeconds: 1),
            detection: DetectionConfiguration(analysis: AnalysisConfiguration(), startupGracePeriod: .zero, nodeHostname: "test", nodeToken: "t"),
            recovery: RecoveryConfiguration()
        )
        configuration.watchMasters = false
        configuration.automatedRecovery = false
        configuration.kvStores = kvStores
        configuration.kvRetryDelays = []
        if let clock { configuration.clock = clock }
        return OrchestratorEngine(configuration: configuration, store: store, logLevel: .critical)
    }

    func withApp(
        kvStores: [any KVStore] = [],
        clock: (any EngineClock)? = nil,
        metrics: APIMetrics? = nil,
        adjust: (inout APISettings) -> Void = { _ in },
        prepare: @Sendable (InstanceRegistry, SQLiteStore) async throws -> Void = { _, _ in },
        configure: (inout APISettings) -> Void = { _ in },
        store: SQLiteStore? = nil,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let store = try store ?? SQLiteStore.inMemory()
        var logger = Logger(label: "test.http")
        logger.logLevel = .critical
        let engine = Self.plainEngine(store: store, kvStores: kvStores, clock: clock)
        let registry = engine.registry
        await registry.load([Self.instance(3306, master: nil), Self.instance(3307, master: 3306), Self.instance(3308, master: 3307)], aliasOverrides: [:])
        try await prepare(registry, store)
        var settings = APISettings(pollSeconds: 5, hostname: "test", token: "t", startedAt: Self.now, appVersion: "test", databaseFile: ":memory:")
        adjust(&settings)
        configure(&settings)
        let context = APIContext(engine: engine, settings: settings, metrics: metrics)
        let router = APIRouter.make(context: context, logger: logger)
        let app = Application(router: router, logger: logger)
        try await app.test(.router) { client in try await body(client) }
    }

    /// The parsed body; `.null` when it is not JSON (which the assertions then catch).
    func json(_ response: TestResponse) -> JSONValue {
        (try? JSONValue(parsing: Data(response.body.readableBytesView))) ?? .null
    }

    @Test func instanceRouteReturnsOrchestratorJSON() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/instance/db/3307", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=UTF-8")
                let body = json(response)
                #expect(body["Key"]?["Hostname"]?.stringValue == "db")
                #expect(body["MasterKey"]?["Port"]?.intValue == 3306)
                #expect(body["ClusterName"]?.stringValue == "db:3306")
                #expect(body["ReplicationDepth"]?.intValue == 1)
            }
        }
    }

    @Test func unknownInstanceIs404WithEnvelope() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/instance/nowhere/3306", method: .get) { response in
                #expect(response.status == .notFound)
                let body = json(response)
                #expect(body["Code"]?.stringValue == "ERROR")
                #expect(body["Message"]?.stringValue == "Cannot read instance: nowhere:3306")
            }
        }
    }

    @Test(arguments: ["/api/instance/db/33o7", "/api/instance/db/0", "/api/discover/db/99999", "/api/forget/db/x"])
    func malformedPortIs400(uri: String) async throws {
        try await withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                let message = json(response)["Message"]?.stringValue ?? ""
                #expect(message.hasPrefix("Invalid port:"), "\(message)")
            }
        }
    }

    @Test func trailingSlashAndNewlineAreAccepted() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/instance/db%0A/3307%0A/", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/clusters/", method: .get) { response in
                #expect(json(response) == .array([.string("db:3306")]))
            }
        }
    }

    @Test func topologyByHintAliasAndInstance() async throws {
        let expected = """
        db:3306     [0s,ok,10.11.6-MariaDB-log,rw,ROW,>>]
        + db:3307   [0s,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID]
          + db:3308 [0s,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID]
        """
        try await withApp { client in
            for uri in ["/api/topology/db:3306", "/api/topology/shop", "/api/topology/db/3308", "/api/topology/db:3308"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let body = json(response)
                    #expect(body["Code"]?.stringValue == "OK")
                    #expect(body["Message"]?.stringValue == "Topology for cluster db:3306")
                    #expect(body["Details"]?.stringValue == expected, "\(uri)")
                }
            }
            try await client.execute(uri: "/api/topology/nosuchcluster", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(json(response)["Message"]?.stringValue == "Unable to determine cluster name. clusterHint=nosuchcluster")
            }
        }
    }

    @Test func clusterRoutes() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/clusters-info", method: .get) { response in
                let info = json(response).arrayValue?.first
                #expect(info?["ClusterName"]?.stringValue == "db:3306")
                #expect(info?["ClusterAlias"]?.stringValue == "shop")
                #expect(info?["CountInstances"]?.intValue == 3)
            }
            try await client.execute(uri: "/api/cluster/alias/shop", method: .get) { response in
                #expect(json(response).arrayValue?.count == 3)
            }
            try await client.execute(uri: "/api/cluster/alias/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(json(response)["Message"]?.stringValue == "No cluster found for alias nope")
            }
            try await client.execute(uri: "/api/cluster/db:3307", method: .get) { response in
                #expect(json(response).arrayValue?.compactMap { $0["Key"]?["Port"]?.intValue } == [3306, 3307, 3308])
            }
            try await client.execute(uri: "/api/master/shop", method: .get) { response in
                #expect(json(response)["Key"]?["Port"]?.intValue == 3306)
            }
        }
    }

    @Test func forgetRemovesTheInstance() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/forget/db/3308", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response)["Message"]?.stringValue == "Instance forgotten: db:3308")
            }
            try await client.execute(uri: "/api/instance/db/3308", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/audit", method: .get) { response in
                #expect(json(response).arrayValue?.first?["AuditType"]?.stringValue == "forget")
            }
        }
    }

    @Test func discoverOfClosedPortIs404AndNamesTheServer() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/discover/127.0.0.1/1", method: .get) { response in
                #expect(response.status == .notFound)
                let message = json(response)["Message"]?.stringValue ?? ""
                #expect(message.contains("127.0.0.1:1"), "\(message)")
            }
            try await client.execute(uri: "/api/instance/127.0.0.1/1", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func healthAndUnknownRoute() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(json(response)["Message"]?.stringValue == "Application node is healthy")
            }
            try await client.execute(uri: "/api/no-such-route", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
