import Foundation
import HTTPAPI
import MySQLClient
import Testing
@testable import orchestrator

/// The authentication, HTTPS and topology TLS keys: what is refused at start-up, and what
/// reaches the API and the engine. And `config dump`, which never shows a secret.
@Suite struct SecurityConfigurationTests {
    func refusal(_ values: [String: Any]) -> String {
        do {
            _ = try OrchestratorConfiguration.parse(values)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    func temporaryFile(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "orchestrator-\(UUID().uuidString)-\(name)"
        try Data("not read here".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func authenticationKeysReachThePolicy() throws {
        let config = try OrchestratorConfiguration.parse([
            "AuthenticationMethod": "Proxy", "AuthUserHeader": "X-Remote-User", "PowerAuthUsers": ["alice", "bob"], "ReadOnly": true,
            "URLPrefix": "orchestrator/",
        ])
        #expect(config.access.method == .proxy)
        #expect(config.access.userHeader == "X-Remote-User")
        #expect(config.access.powerUsers == ["alice", "bob"])
        #expect(config.access.readOnly)
        #expect(config.urlPrefix == "/orchestrator")
        let defaults = try OrchestratorConfiguration.parse([:])
        #expect(defaults.access.method == .open && defaults.access.powerUsers == ["*"] && defaults.access.userHeader == "X-Forwarded-User")
        #expect(defaults.https == nil && defaults.mySQLTopologyTLS == nil && defaults.urlPrefix == "")
    }

    @Test func unknownMethodIsRefused() {
        let message = refusal(["AuthenticationMethod": "kerberos"])
        #expect(message.contains("AuthenticationMethod") && message.contains("'kerberos'"), "\(message)")
    }

    @Test func aURLPrefixWithMoreThanPathCharactersIsRefused() {
        let message = refusal(["URLPrefix": "/orc\"><script>"])
        #expect(message.contains("URLPrefix"), "\(message)")
    }

    @Test func multiWithoutAUserIsRefused() {
        let message = refusal(["AuthenticationMethod": "multi", "HTTPAuthPassword": "s3cret"])
        #expect(message.contains("HTTPAuthUser") && message.contains("multi"), "\(message)")
        #expect(!message.contains("s3cret"))
    }

    @Test func unimplementedMethodsAndGroupsAreReported() throws {
        let config = try OrchestratorConfiguration.parse(["AuthenticationMethod": "oauth", "PowerAuthGroups": ["admins"]])
        #expect(config.warnings.contains { $0.contains("oauth") && $0.contains("refused") })
        #expect(config.warnings.contains { $0.contains("PowerAuthGroups") })
    }

    @Test func missingCertificateFilesAreRefusedByKey() throws {
        var message = refusal(["UseSSL": true, "SSLCertFile": "/nonexistent/cert.pem", "SSLPrivateKeyFile": "/nonexistent/key.pem"])
        #expect(message.contains("configuration key SSLCertFile: '/nonexistent/cert.pem'"), "\(message)")
        message = refusal(["UseSSL": true])
        #expect(message.contains("SSLCertFile"), "\(message)")
        message = refusal(["UseMutualTLS": true])
        #expect(message.contains("UseMutualTLS") && message.contains("UseSSL"), "\(message)")
        message = refusal(["MySQLTopologyUseMutualTLS": true, "MySQLTopologySSLCAFile": "/nonexistent/ca.pem"])
        #expect(message.contains("MySQLTopologySSLCAFile"), "\(message)")
    }

    @Test func topologyTLSReachesEveryTopologyConnection() throws {
        let ca = try temporaryFile("ca.pem"), certificate = try temporaryFile("client.pem"), key = try temporaryFile("client.key")
        defer { for path in [ca, certificate, key] { try? FileManager.default.removeItem(atPath: path) } }
        let config = try OrchestratorConfiguration.parse([
            "MySQLTopologyUseMutualTLS": true, "MySQLTopologySSLCAFile": ca, "MySQLTopologySSLCertFile": certificate,
            "MySQLTopologySSLPrivateKeyFile": key, "MySQLTopologySSLSkipVerify": true,
        ])
        let engine = try config.engineConfiguration(hostname: "h", token: "t")
        #expect(engine.discovery.connectionOptions.tls == MySQLTLSOptions(
            caFile: ca, certificateFile: certificate, privateKeyFile: key, verifiesServerCertificate: false
        ))
        let message = refusal(["MySQLTopologyUseMutualTLS": true, "MySQLTopologySSLCertFile": certificate])
        #expect(message.contains("MySQLTopologySSLPrivateKeyFile"), "\(message)")
        let plain = try OrchestratorConfiguration.parse(["MySQLTopologySSLCAFile": ca])
        #expect(plain.mySQLTopologyTLS == nil)
        #expect(plain.warnings.contains { $0.contains("MySQLTopologyUseMutualTLS") })
    }

    @Test func dumpRedactsEverySecret() throws {
        let text = try ConfigurationDump.render([
            "HTTPAuthUser": "admin", "HTTPAuthPassword": "http-s3cret", "MySQLTopologyUser": "orc",
            "MySQLTopologyPassword": "${ORC_PW}", "MySQLOrchestratorPassword": "", "ListenAddress": ":3000", "ReadOnly": true,
            "ReplicationCredentialsQuery": "SELECT 'repl', 'repl-s3cret', \"\" FROM dual",
        ], environment: ["ORC_PW": "mysql-s3cret"])
        #expect(!text.contains("s3cret"), "\(text)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(shown["HTTPAuthPassword"] as? String == "<redacted>")
        #expect(shown["MySQLTopologyPassword"] as? String == "<redacted>")
        #expect(shown["MySQLOrchestratorPassword"] as? String == "", "an unset secret shows as unset")
        #expect(shown["HTTPAuthUser"] as? String == "admin")
        #expect(shown["ReadOnly"] as? Bool == true)
        #expect(shown["ReplicationCredentialsQuery"] as? String == "SELECT '<redacted>', '<redacted>', \"<redacted>\" FROM dual")
    }

    /// Our client sends what orchestrator-client would: Basic from the two variables, and the proxy header.
    @Test func clientSendsCredentialsFromTheEnvironment() {
        let headers = APIClient.authHeaders([
            "ORCHESTRATOR_AUTH_USER": "admin", "ORCHESTRATOR_AUTH_PASSWORD": "s3cret", "ORCHESTRATOR_AUTH_USER_HEADER": "X-Forwarded-User:alice",
        ])
        #expect(headers.map(\.0) == ["Authorization", "X-Forwarded-User"])
        #expect(headers.first?.1 == "Basic " + Data("admin:s3cret".utf8).base64EncodedString())
        #expect(headers.last?.1 == "alice")
        #expect(APIClient.authHeaders([:]).isEmpty)
    }
}
