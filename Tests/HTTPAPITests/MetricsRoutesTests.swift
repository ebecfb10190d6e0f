import APIModels
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import OrchestratorTesting
import Prometheus
import Store
import Testing

/// `/metrics` and the request counter, over a registry of the test's own.
@Suite struct MetricsRoutesTests {
    let routes = RoutesTests()

    func body(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test func requestsAreCountedByRoutePatternAndStatus() async throws {
        let registry = PrometheusCollectorRegistry()
        try await routes.withApp(metrics: APIMetrics(registry: registry)) { client in
            for port in [3307, 3308] {
                try await client.execute(uri: "/api/instance/db/\(port)", method: .get) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/api/instance/nowhere/3306", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/no-such-route", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = body(response)
                let route = "/api/instance/{host}/{port}"
                #expect(text.contains("# TYPE orchestrator_http_requests_total counter"), "\(text)")
                // Two answered, one refused: the pattern, never the raw path, names the series.
                #expect(PrometheusText.value(in: text, "orchestrator_http_requests_total", ["route": route, "status": "200"]) == 2, "\(text)")
                #expect(PrometheusText.value(in: text, "orchestrator_http_requests_total", ["route": route, "status": "404"]) == 1, "\(text)")
                #expect(PrometheusText.value(in: text, "orchestrator_http_requests_total", ["route": "unmatched", "status": "404"]) == 1, "\(text)")
                #expect(!text.contains("nowhere") && !text.contains("3307"), "\(text)")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(PrometheusText.value(in: body(response), "orchestrator_http_requests_total", ["route": "/metrics", "status": "200"]) == 1)
            }
        }
    }

    @Test func withoutMetricsThereIsNoMetricsRoute() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func healthStatusAndLeaderCheckAnswerAsOrchestrator() async throws {
        try await routes.withApp { client in
            for uri in ["/api/health", "/api/status"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    let json = routes.json(response)
                    #expect(json["Code"]?.stringValue == "OK" && json["Message"]?.stringValue == "Application node is healthy", "\(uri)")
                    #expect(json["Details"]?["Healthy"] == .bool(true) && json["Details"]?["Hostname"]?.stringValue == "test", "\(uri)")
                    #expect(json["Details"]?["AvailableNodes"]?.arrayValue?.first?["AppVersion"]?.stringValue == "test", "\(uri)")
                }
            }
            for uri in ["/api/leader-check", "/api/leader-check/503", "/api/routed-leader-check", "/api/lb-check", "/api/_ping"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(body(response) == "\"OK\"", "\(uri)")
                }
            }
        }
    }

    /// A node that cannot write its store records no detection and runs no recovery: its health
    /// says so (a 2 MiB tmpfs the test mounts and fills), and is healthy again once space returns.
    @Test func aNodeThatCannotWriteItsStoreIsUnhealthyAndSaysWhy() async throws {
        let disk = try TinyFileSystem.mount()
        defer { disk.unmount() }
        let store = try SQLiteStore(path: disk.path + "/orchestrator.sqlite3")
        try await routes.withApp(store: store) { client in
            try disk.fill()
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.status == .internalServerError)
                let message = routes.json(response)["Message"]?.stringValue ?? ""
                #expect(message.hasPrefix("Application node is unhealthy: cannot write to its store"), "\(message)")
            }
            try disk.free()
            try await client.execute(uri: "/api/health", method: .get) { #expect($0.status == .ok) }
        }
    }

    /// `StatusEndpoint` other than `/api/status`: served at that path verbatim, and `/api/status` is gone.
    @Test func statusEndpointMovesTheStatusRoute() async throws {
        try await routes.withApp(adjust: { $0.statusEndpoint = "/healthz" }) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Application node is healthy")
            }
            try await client.execute(uri: "/api/status", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(routes.json(response)["Code"]?.stringValue == "ERROR")
            }
            try await client.execute(uri: "/api/health", method: .get) { #expect($0.status == .ok) }
        }
    }
}
