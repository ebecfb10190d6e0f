import APIModels
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

/// The refactoring routes' answers that need no live server: unknown and malformed instances,
/// unsupported Pseudo-GTID routes, maintenance locks (the moves themselves are tested on
/// sandboxes in EngineTests).
struct RefactoringRoutesTests {
    let routes = RoutesTests()

    @Test(arguments: [
        "/api/relocate/nowhere/3306/db/3306", "/api/relocate-slaves/db/3307/nowhere/1", "/api/move-up/nowhere/3306",
        "/api/take-master/nowhere/3306", "/api/stop-slave/nowhere/3306", "/api/can-replicate-from/db/3308/nowhere/1",
    ])
    func unknownInstanceIs404(uri: String) async throws {
        try await routes.withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .notFound, "\(uri)")
                let body = routes.json(response)
                #expect(body["Code"]?.stringValue == "ERROR")
                #expect(body["Message"]?.stringValue?.hasPrefix("Cannot read instance: nowhere:") == true, "\(uri)")
            }
        }
    }

    @Test(arguments: ["/api/relocate/db/33o8/db/3306", "/api/move-below/db/3308/db/x", "/api/regroup-replicas/db/-1"])
    func malformedPortIs400(uri: String) async throws {
        try await routes.withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest, "\(uri)")
                #expect(routes.json(response)["Message"]?.stringValue?.hasPrefix("Invalid port:") == true)
            }
        }
    }

    @Test(arguments: [
        ("/api/match/db/3308/db/3306", "relocate or move-below-gtid"), ("/api/match-up/db/3308", "move-up"),
        ("/api/match-slaves/db/3307/db/3306", "relocate-replicas or move-replicas-gtid"), ("/api/regroup-slaves-pgtid/db/3306", "regroup-replicas"),
    ])
    func pseudoGTIDRoutesSayWhatToUseInstead(uri: String, instead: String) async throws {
        try await routes.withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .notFound)
                let message = routes.json(response)["Message"]?.stringValue ?? ""
                #expect(message.hasPrefix("Pseudo-GTID is not supported: use \(instead)"), "\(message)")
            }
        }
    }

    @Test func maintenanceIsTakenListedRefusedTwiceAndEnded() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/api/begin-maintenance/db/3307/alice%0A/upgrade%0A", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Maintenance begun: db:3307")
                #expect(routes.json(response)["Details"] == .object([("Hostname", .string("db")), ("Port", .int(3307))]))
            }
            try await client.execute(uri: "/api/begin-maintenance/db/3307/bob/other", method: .get) { response in
                #expect(response.status == .conflict)
                let message = routes.json(response)["Message"]?.stringValue ?? ""
                #expect(message.hasPrefix("Cannot begin maintenance for instance: db:3307; maintenance reason: other"), "\(message)")
                #expect(message.contains("in maintenance by alice"), "\(message)")
            }
            try await client.execute(uri: "/api/in-maintenance/db/3307", method: .get) { response in
                #expect(routes.json(response)["Message"]?.stringValue == "true")
            }
            try await client.execute(uri: "/api/maintenance", method: .get) { response in
                let entries = routes.json(response).arrayValue ?? []
                #expect(entries.count == 1)
                #expect(entries.first?["Owner"]?.stringValue == "alice" && entries.first?["Reason"]?.stringValue == "upgrade")
                #expect(entries.first?["IsActive"] == .bool(true))
            }
            try await client.execute(uri: "/api/end-maintenance/db/3307", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Maintenance ended: db:3307")
            }
            try await client.execute(uri: "/api/in-maintenance/db/3307", method: .get) { response in
                #expect(routes.json(response)["Message"]?.stringValue == "false")
            }
            try await client.execute(uri: "/api/end-maintenance/x", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test(arguments: [
        ("/api/no-such-route", "GET"), ("/api/relocate/db/3307", "GET"), ("/api/move-up/db/3307/extra/1/2", "GET"),
        ("/api/instance/db/3307", "POST"), ("/api/clusters", "DELETE"),
    ])
    func anythingElseUnderAPIIsA404Envelope(uri: String, method: String) async throws {
        try await routes.withApp { client in
            try await client.execute(uri: uri, method: HTTPRequest.Method(rawValue: method)!) { response in
                #expect(response.status == .notFound, "\(method) \(uri)")
                let body = routes.json(response)
                #expect(body["Code"]?.stringValue == "ERROR")
                #expect(body["Message"]?.stringValue?.hasPrefix("unsupported route: \(method) ") == true, "\(body)")
            }
            // Served routes are not shadowed by the catch-all.
            try await client.execute(uri: "/api/clusters", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
