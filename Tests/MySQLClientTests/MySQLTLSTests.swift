import Foundation
import MySQLClient
import OrchestratorTesting
import Sandbox
import Testing

/// TLS to a server (`MySQLTopologyUseMutualTLS`): a sandbox MariaDB with a certificate the test
/// made, which requires TLS from TCP clients.
@Suite(.timeLimit(.minutes(15)))
struct MySQLTLSTests {
    func cipher(_ connection: MySQLConnection) async throws -> String {
        try await connection.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'").first?.string("Value") ?? ""
    }

    @Test func encryptsWhenConfiguredAndAServerRequiringTLSRefusesPlainText() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let tls = certificates.serverTLS()
        try await withSandbox(topology: "0", options: SandboxOptions(tls: tls)) { sandbox in
            let endpoint = sandbox.instances[0].endpoint
            let plain = try #require(await #expect(throws: MySQLError.self) {
                try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials)
            })
            // MariaDB answers a plain connection under require_secure_transport as a failed login.
            #expect(plain.code == 1045 && plain.description.contains("Access denied"), "\(plain)")
            #expect(!plain.description.contains(Sandbox.topologyCredentials.password.revealed))

            // Verified against the test CA, host name included (the certificate names 127.0.0.1).
            var options = MySQLConnectionOptions(connectTimeoutSeconds: 5, readTimeoutSeconds: 5, writeTimeoutSeconds: 5)
            options.tls = MySQLTLSOptions(caFile: certificates.caFile)
            let verified = try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: options)
            #expect(try await cipher(verified).isEmpty == false)
            await verified.close()

            // A CA that did not sign the server's certificate: refused, unless verification is skipped.
            let strangers = try await TestCertificates.make()
            defer { strangers.remove() }
            options.tls = MySQLTLSOptions(caFile: strangers.caFile)
            let unverified = try #require(await #expect(throws: MySQLError.self) {
                try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: options)
            })
            #expect(unverified.isConnectionFailure, "\(unverified)")
            options.tls = MySQLTLSOptions(caFile: strangers.caFile, verifiesServerCertificate: false)
            let skipped = try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: options)
            #expect(try await cipher(skipped).isEmpty == false)
            await skipped.close()

            // A client certificate from the CA is presented when configured.
            let client = try await certificates.client(named: "orchestrator", unit: "dba")
            options.tls = MySQLTLSOptions(caFile: certificates.caFile, certificateFile: client.certificate, privateKeyFile: client.key)
            let mutual = try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: options)
            #expect(try await cipher(mutual).isEmpty == false)
            await mutual.close()
        }
    }

    @Test func aServerWithoutTLSIsRefusedWhenTLSIsRequired() async throws {
        try await withSandbox(topology: "0") { sandbox in
            var options = MySQLConnectionOptions(connectTimeoutSeconds: 5, readTimeoutSeconds: 5, writeTimeoutSeconds: 5)
            options.tls = MySQLTLSOptions(verifiesServerCertificate: false)
            let refused = try #require(await #expect(throws: MySQLError.self) {
                try await MySQLConnection.connect(to: sandbox.instances[0].endpoint, credentials: Sandbox.topologyCredentials, options: options)
            })
            #expect(refused.isConnectionFailure && refused.message.contains("does not offer"), "no silent plain-text fallback: \(refused)")
        }
    }
}
