import Foundation
import MySQLClient
import Secrets
import Testing
@testable import orchestrator

/// Passwords never show: not when printed, not in `config dump`, not in a configuration error.
@Suite struct SecretTests {
    @Test func everyPrintedFormOfASecretIsRedacted() {
        let secret = Secret("hunter2")
        #expect(secret.revealed == "hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(describing: secret) == "<redacted>" && String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"), "\(dumped)")
        let credentials = MySQLCredentials(user: "orc", password: secret)
        #expect("\(credentials)" == "orc:<redacted>")
        var dumpedCredentials = ""
        dump(credentials, to: &dumpedCredentials)
        #expect(!dumpedCredentials.contains("hunter2") && !String(reflecting: credentials).contains("hunter2"), "\(dumpedCredentials)")
    }

    func write(_ text: String, suffix: String = ".json") throws -> String {
        let path = NSTemporaryDirectory() + "orchestrator-secret-\(UUID().uuidString)\(suffix)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func configDumpRedactsEveryPasswordAndSecretKey() throws {
        let path = try write("""
        {"ListenAddress": ":3000", "MySQLTopologyUser": "orc", "MySQLTopologyPassword": "t0p-s3cret",
         "MySQLOrchestratorPassword": "${ORC_DB_PASSWORD}", "HTTPAuthPassword": "h77p-s3cret", "OAuthClientSecret": "oauth-s3cret",
         "ConsulAclToken": "consul-s3cret", "DiscoverySeeds": ["db1:3306"], "InstancePollSeconds": 5, "HTTPAuthUser": "${ORC_USER}"}
        """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dump = try ConfigurationDump.render(path: path, environment: ["ORC_DB_PASSWORD": "env-s3cret", "ORC_USER": "admin"])
        for secret in ["t0p-s3cret", "env-s3cret", "h77p-s3cret", "oauth-s3cret", "consul-s3cret"] {
            #expect(!dump.contains(secret), "\(secret) in \(dump)")
        }
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
        for key in ["MySQLTopologyPassword", "MySQLOrchestratorPassword", "HTTPAuthPassword", "OAuthClientSecret", "ConsulAclToken"] {
            #expect(parsed[key] as? String == "<redacted>", "\(key)")
        }
        #expect(parsed["MySQLTopologyUser"] as? String == "orc")
        #expect(parsed["HTTPAuthUser"] as? String == "admin", "other values are shown as the service reads them")
        #expect(parsed["InstancePollSeconds"] as? Int == 5)
        #expect(parsed["DiscoverySeeds"] as? [String] == ["db1:3306"])
    }

    @Test func aPasswordOfTheWrongTypeIsNotQuotedInTheError() throws {
        do {
            _ = try OrchestratorConfiguration.parse(["MySQLTopologyPassword": 987_654_321])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("MySQLTopologyPassword") && !"\(error)".contains("987654321"), "\(error)")
        }
    }

    @Test func theCredentialsFilePasswordReachesTheEngineAsASecret() throws {
        let credentials = try write("[client]\nuser = fromfile\npassword = file-s3cret\n", suffix: ".cnf")
        defer { try? FileManager.default.removeItem(atPath: credentials) }
        let config = try OrchestratorConfiguration.parse(["MySQLTopologyCredentialsConfigFile": credentials])
        let engine = try config.engineConfiguration(hostname: "h", token: "t")
        #expect(engine.discovery.credentials.password.revealed == "file-s3cret")
        #expect(!"\(engine.discovery.credentials)".contains("file-s3cret"))
    }
}
