import Engine
import Foundation
import MySQLClient
import OrchestratorTesting
import Prometheus
import Sandbox
import Secrets
import Testing
import Topology

/// The engine's metrics, through a registry of the test's own (never the process-wide one).
@Suite(.serialized, .timeLimit(.minutes(15)))
struct MetricsTests {
    @Test func probesOfASandboxAreCountedAndTimedByResult() async throws {
        try await withSandbox(topology: "1>0") { sandbox in
            let registry = PrometheusCollectorRegistry()
            let keys = sandbox.instances.map { InstanceKey(hostname: "127.0.0.1", port: $0.port) }
            var configuration = EngineConfiguration.sandbox()
            configuration.seeds = [keys[1]]
            try await withRunningEngine(configuration, metricsFactory: PrometheusMetricsFactory(registry: registry)) { engine in
                try await requireDiscovered(keys, in: engine.registry)
                let counted = try await expectEventually(timeout: .seconds(10)) {
                    PrometheusText.value(in: registry.emitToString(), "orchestrator_discovery_instances_known") == 2
                }
                let text = registry.emitToString()
                #expect(counted, "\(text)")
                #expect((PrometheusText.value(in: text, "orchestrator_discovery_probes_total", ["result": "ok"]) ?? 0) > 0, "\(text)")
                #expect((PrometheusText.value(in: text, "orchestrator_discovery_probe_duration_seconds_count", ["result": "ok"]) ?? 0) > 0, "\(text)")
                #expect(text.contains("# TYPE orchestrator_discovery_probe_duration_seconds histogram"), "\(text)")
            }
        }
    }

    /// A wrong password: the probe fails as `access_denied`, and neither the error, nor what
    /// the registry keeps of it, nor a failed operation's error shows the password.
    @Test func aWrongPasswordIsCountedAndNeverShown() async throws {
        try await withSandbox(topology: "0") { sandbox in
            let registry = PrometheusCollectorRegistry()
            let key = InstanceKey(hostname: "127.0.0.1", port: sandbox.instances[0].port)
            let password = "wrong-pass-\(UInt32.random(in: 1000...9999))"
            var configuration = EngineConfiguration.sandbox()
            configuration.discovery.credentials = MySQLCredentials(user: Sandbox.topologyCredentials.user, password: Secret(password))
            configuration.watchMasters = false
            try await withRunningEngine(configuration, metricsFactory: PrometheusMetricsFactory(registry: registry)) { engine in
                let error = try #require(await #expect(throws: ProbeError.self) { try await engine.discovery.discover(key) })
                #expect(error.result == .accessDenied)
                #expect(error.description.contains("1045") && !error.description.contains(password), "\(error)")
                #expect(!"\(configuration.discovery.credentials)".contains(password))
                #expect(!String(reflecting: configuration.discovery.credentials).contains(password))
                let operation = try #require(await #expect(throws: OperationError.self) { try await engine.operations.setReadOnly(key, true) })
                #expect(!operation.description.contains(password), "\(operation)")
                let text = registry.emitToString()
                #expect(PrometheusText.value(in: text, "orchestrator_discovery_probes_total", ["result": "access_denied"]) == 1, "\(text)")
                #expect(PrometheusText.value(in: text, "orchestrator_discovery_probe_errors_total", ["kind": "access_denied"]) == 1, "\(text)")
                #expect(!text.contains(password))
            }
        }
    }

    @Test func analysisEntriesByCodeGoBackToZeroWhenTheProblemEnds() {
        let registry = PrometheusCollectorRegistry()
        let metrics = EngineMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let details = AnalysisClusterDetails(clusterName: "c", clusterAlias: "c", clusterDomain: "", hasAutomatedMasterRecovery: false, hasAutomatedIntermediateMasterRecovery: false)
        var dead = ReplicationAnalysis(analyzedInstanceKey: InstanceKey(hostname: "a", port: 1), analyzedInstanceMasterKey: InstanceKey(hostname: "", port: 0), clusterDetails: details)
        dead.analysis = .deadMaster
        var healthy = dead
        healthy.analysis = .noProblem
        metrics.analysisEntries([dead, dead, healthy])
        #expect(PrometheusText.value(in: registry.emitToString(), "orchestrator_analysis_entries", ["analysis": "DeadMaster"]) == 2)
        #expect(PrometheusText.value(in: registry.emitToString(), "orchestrator_analysis_entries", ["analysis": "NoProblem"]) == nil)
        metrics.analysisEntries([])
        #expect(PrometheusText.value(in: registry.emitToString(), "orchestrator_analysis_entries", ["analysis": "DeadMaster"]) == 0)
    }
}
