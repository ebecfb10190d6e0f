import APIModels
import AsyncHTTPClient
import Engine
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Logging
import MySQLClient
import NIOSSL
import OrchestratorTesting
import Store
import Testing
import Topology

/// `UseSSL` and `UseMutualTLS` on a live server, with certificates made by `openssl` for the test.
@Suite(.serialized) struct HTTPSTests {
    /// Serves the API over HTTPS (as the daemon builds it) and hands `body` the port.
    func withServer(_ https: HTTPSConfiguration, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        var logger = Logger(label: "test.https")
        logger.logLevel = .critical
        let engine = RoutesTests.plainEngine(store: try SQLiteStore.inMemory())
        var settings = APISettings(pollSeconds: 5, hostname: "test", token: "t", startedAt: Date(), appVersion: "test", databaseFile: ":memory:")
        settings.https = https
        let app = try APIRouter.application(context: APIContext(engine: engine, settings: settings), host: "127.0.0.1", port: 0, logger: logger)
        try await app.test(.live) { client in try await body(try #require(client.port)) }
    }

    /// GET over HTTPS trusting the test CA, optionally presenting a client certificate.
    func get(_ port: Int, _ path: String, trusting ca: String, client: (certificate: String, key: String)? = nil) async throws -> (Int, JSONValue) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(ca)
        if let client {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(client.certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: client.key, format: .pem))
        }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            let response = try await http.execute(HTTPClientRequest(url: "https://localhost:\(port)\(path)"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            try await http.shutdown()
            return (Int(response.status.code), (try? JSONValue(parsing: Data(body.readableBytesView))) ?? .null)
        } catch {
            try await http.shutdown()
            throw error
        }
    }

    @Test func servesTheAPIOverHTTPS() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let https = HTTPSConfiguration(certificateFile: certificates.serverCertificateFile, privateKeyFile: certificates.serverKeyFile)
        try await withServer(https) { port in
            let (status, body) = try await get(port, "/api/clusters", trusting: certificates.caFile)
            #expect(status == 200 && body == .array([]))
        }
    }

    @Test func mutualTLSNeedsACertificateFromTheCAWithAValidOU() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        var https = HTTPSConfiguration(certificateFile: certificates.serverCertificateFile, privateKeyFile: certificates.serverKeyFile)
        https.requiresClientCertificate = true
        https.caFile = certificates.caFile
        https.validOUs = ["dba"]
        let dba = try await certificates.client(named: "alice", unit: "dba")
        let web = try await certificates.client(named: "bob", unit: "web")
        let stranger = try await certificates.selfSigned(named: "mallory")
        try await withServer(https) { port in
            await #expect(throws: (any Error).self, "no client certificate: the handshake fails") {
                try await get(port, "/api/clusters", trusting: certificates.caFile)
            }
            await #expect(throws: (any Error).self, "a certificate the CA did not sign: the handshake fails") {
                try await get(port, "/api/clusters", trusting: certificates.caFile, client: stranger)
            }
            let (refused, envelope) = try await get(port, "/api/clusters", trusting: certificates.caFile, client: web)
            #expect(refused == 401 && envelope["Code"]?.stringValue == "ERROR")
            #expect(envelope["Message"]?.stringValue?.contains("not in SSLValidOUs") == true)
            let (status, body) = try await get(port, "/api/clusters", trusting: certificates.caFile, client: dba)
            #expect(status == 200 && body == .array([]))
            // Only the status endpoint itself skips the OU check: not an operation whose free-text
            // path parts happen to end the same way.
            let (statusCheck, _) = try await get(port, "/api/status", trusting: certificates.caFile, client: web)
            #expect(statusCheck == 200, "a load balancer's certificate reads the status")
            let (lookalike, _) = try await get(port, "/api/begin-downtime/db/3307/api/status", trusting: certificates.caFile, client: web)
            #expect(lookalike == 401)
        }
    }

    @Test func unusableFilesNameTheirKey() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let other = try await certificates.client(named: "other", unit: "dba")
        let cases: [(HTTPSConfiguration, String)] = [
            (HTTPSConfiguration(certificateFile: "/nonexistent/server.pem", privateKeyFile: certificates.serverKeyFile), "SSLCertFile"),
            (HTTPSConfiguration(certificateFile: certificates.serverCertificateFile, privateKeyFile: ""), "SSLPrivateKeyFile"),
            (HTTPSConfiguration(certificateFile: certificates.serverKeyFile, privateKeyFile: certificates.serverKeyFile), "SSLCertFile"),
            (HTTPSConfiguration(certificateFile: certificates.serverCertificateFile, privateKeyFile: other.key), "SSLPrivateKeyFile"),
        ]
        for (https, key) in cases {
            let error = try #require(throws: HTTPSConfigurationError.self) { try https.tlsConfiguration() }
            #expect(error.description.hasPrefix("configuration key \(key): "), "\(error)")
        }
        var mutual = HTTPSConfiguration(certificateFile: certificates.serverCertificateFile, privateKeyFile: certificates.serverKeyFile)
        mutual.requiresClientCertificate = true
        let error = try #require(throws: HTTPSConfigurationError.self) { try mutual.tlsConfiguration() }
        #expect(error.file.key == "SSLCAFile", "UseMutualTLS without SSLCAFile: \(error)")
    }
}
