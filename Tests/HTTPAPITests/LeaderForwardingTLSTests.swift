import APIModels
import AsyncHTTPClient
import Engine
import Foundation
import HTTPAPI
import Hummingbird
import Logging
import NIOSSL
import OrchestratorTesting
import Store
import Testing
import Topology

/// Two nodes serving HTTPS with `UseMutualTLS` and a private CA, leading through a real etcd:
/// an operation sent to the follower reaches the leader, which alone carries it out. The
/// follower trusts `SSLCAFile` and presents its own certificate, as orchestrator's raft client.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct LeaderForwardingTLSTests {
    struct Node: Sendable {
        let port: Int
        let store: SQLiteStore
        let leadership: EtcdLeadership
        let context: APIContext
    }

    @Test func aFollowerForwardsAnOperationToTheLeaderOverMutualTLS() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let nodeCertificate = try await certificates.node(named: "node", unit: "orchestrator")
        let operatorCertificate = try await certificates.client(named: "alice", unit: "dba")
        var https = HTTPSConfiguration(certificateFile: nodeCertificate.certificate, privateKeyFile: nodeCertificate.key)
        https.requiresClientCertificate = true
        https.caFile = certificates.caFile
        https.validOUs = ["dba", "orchestrator"]
        try await withEtcd { etcd in
            let base = try SandboxPorts.allocate(count: 2)
            let nodes = try (0..<2).map { try Self.node(port: base + $0, https: https, etcd: etcd) }
            try await Self.forwarded(nodes, operatorCertificate: operatorCertificate, ca: certificates.caFile)
        }
    }

    static func node(port: Int, https: HTTPSConfiguration, etcd: LocalServer) throws -> Node {
        let store = try SQLiteStore.inMemory()
        var settings = APISettings(pollSeconds: 5, hostname: "localhost", token: "t\(port)", startedAt: Date(), appVersion: "test", databaseFile: ":memory:")
        settings.https = https
        let leadership = EtcdLeadership(
            configuration: LeadershipConfiguration(
                endpoints: ["http://127.0.0.1:\(etcd.port)"], record: LeaderRecord(node: "localhost:\(port)", url: "https://localhost:\(port)")
            ),
            store: store, logger: Logger(label: "test")
        )
        var context = APIContext(engine: RoutesTests.plainEngine(store: store), settings: settings)
        context.leadership = leadership
        return Node(port: port, store: store, leadership: leadership, context: context)
    }

    static func forwarded(_ nodes: [Node], operatorCertificate: (certificate: String, key: String), ca: String) async throws {
        var logger = Logger(label: "test.forwarding")
        logger.logLevel = .critical
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(ca)
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(operatorCertificate.certificate).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: operatorCertificate.key, format: .pem))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        @Sendable func get(_ node: Node, _ path: String) async throws -> (Int, String) {
            let response = try await http.execute(HTTPClientRequest(url: "https://localhost:\(node.port)/api/\(path)"), timeout: .seconds(30))
            return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
        }
        do {
            try await serve(nodes, logger: logger, get: get)
            try await http.shutdown()
        } catch {
            try await http.shutdown()
            throw error
        }
    }

    static func serve(_ nodes: [Node], logger: Logger, get: @escaping @Sendable (Node, String) async throws -> (Int, String)) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            defer { group.cancelAll() }
            for node in nodes {
                let app = try APIRouter.application(context: node.context, host: "127.0.0.1", port: node.port, logger: logger)
                group.addTask { try await app.runService() }
            }
            group.addTask { try await nodes[0].leadership.run() }
            try #require(try await expectEventually { nodes[0].leadership.state.isLeader }, "the first node leads")
            group.addTask { try await nodes[1].leadership.run() }
            let following = try await expectEventually { nodes[1].leadership.state == .follower(leader: nodes[0].leadership.ownRecord) }
            try #require(following, "the second node follows the first: \(nodes[1].leadership.state)")
            let listening = try await expectEventually { (try? await get(nodes[1], "leader-check")) != nil }
            try #require(listening, "the second node answers over HTTPS")

            let (status, body) = try await get(nodes[1], "disable-global-recoveries")
            #expect(status == 200, "forwarded and carried out by the leader: \(body)")
            #expect(try await nodes[0].store.areGlobalRecoveriesDisabled(), "the leader carried it out")
            #expect(try await !nodes[1].store.areGlobalRecoveriesDisabled(), "the follower did not")
            let (routed, _) = try await get(nodes[1], "routed-leader-check")
            #expect(routed == 200)
        }
    }
}
