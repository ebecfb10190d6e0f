import Engine
import Foundation
import MySQLClient
import OrchestratorTesting
import Sandbox
import Testing
import Topology

/// `MySQLTopologyUseMutualTLS` through the engine: the discovery configuration's TLS reaches
/// the probes, so a server that requires TLS is discovered, and without it is not.
@Suite(.timeLimit(.minutes(10)))
struct TopologyTLSTests {
    @Test func probesAServerThatRequiresTLSOnlyWithTLSConfigured() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let tls = certificates.serverTLS()
        try await withSandbox(topology: "0", options: SandboxOptions(tls: tls)) { sandbox in
            let key = InstanceKey(hostname: "127.0.0.1", port: sandbox.instances[0].port)
            var configuration = EngineConfiguration.sandbox()
            try await withRunningEngine(configuration) { engine in
                let error = await #expect(throws: (any Error).self) { try await engine.discovery.discover(key) }
                // MariaDB's answer to a plain connection under require_secure_transport.
                #expect("\(error.map { "\($0)" } ?? "")".contains("Access denied"))
            }
            configuration.discovery.tls = MySQLTLSOptions(caFile: certificates.caFile)
            try await withRunningEngine(configuration) { engine in
                let instance = try await engine.discovery.discover(key)
                #expect(instance.isLastCheckValid && instance.isMariaDB)
            }
        }
    }
}
