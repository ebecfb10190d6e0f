import APIModels
import Foundation
import Hummingbird
import HummingbirdTesting
import OrchestratorTesting
import Testing

/// Downtime through the routes: shown on the instance, listed, ended; bad input answered.
struct DowntimeRoutesTests {
    let routes = RoutesTests()

    @Test func beginListShowAndEnd() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/api/begin-downtime/db/3307/alice%0A/kernel%20upgrade%0A/2h%0A", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Downtime begun: db:3307")
            }
            try await client.execute(uri: "/api/instance/db/3307", method: .get) { response in
                let body = routes.json(response)
                #expect(body["IsDowntimed"] == .bool(true))
                #expect(body["DowntimeOwner"]?.stringValue == "alice")
                #expect(body["DowntimeReason"]?.stringValue == "kernel upgrade")
                #expect(body["DowntimeEndTimestamp"]?.stringValue?.isEmpty == false)
            }
            for uri in ["/api/downtimed", "/api/downtimed/db:3306", "/api/downtimed/"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let keys = (routes.json(response).arrayValue ?? []).compactMap { $0["Key"]?["Port"]?.intValue }
                    #expect(keys == [3307], "\(uri)")
                }
            }
            try await client.execute(uri: "/api/end-downtime/db/3307", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Downtime ended: db:3307")
            }
            try await client.execute(uri: "/api/instance/db/3307", method: .get) { response in
                #expect(routes.json(response)["IsDowntimed"] == .bool(false))
                #expect(routes.json(response)["DowntimeOwner"]?.stringValue == "")
            }
            try await client.execute(uri: "/api/downtimed", method: .get) { response in
                #expect(routes.json(response) == .array([]))
            }
        }
    }

    /// The route begins the downtime on the engine's clock, the one that ends it.
    @Test func aDowntimeBegunThroughTheAPIEndsOnTheEnginesClock() async throws {
        let clock = ManualClock()
        try await routes.withApp(clock: clock) { client in
            func downtimed() async throws -> [Int64] {
                try await client.execute(uri: "/api/downtimed", method: .get) { (response: TestResponse) -> [Int64] in
                    let listed: [JSONValue] = routes.json(response).arrayValue ?? []
                    return listed.compactMap { $0["Key"]?["Port"]?.intValue }
                }
            }
            try await client.execute(uri: "/api/begin-downtime/db/3307/alice/upgrade/1h", method: .get) { response in
                #expect(response.status == .ok)
            }
            clock.advance(by: .seconds(3599))
            #expect(try await downtimed() == [3307], "59 min 59 s into a 1 h downtime")
            clock.advance(by: .seconds(1))
            #expect(try await downtimed() == [], "1 h: over")
        }
    }

    @Test(arguments: [
        ("/api/begin-downtime/db/3307/alice/r/soon", 400, "Cannot parse simple time: soon"),
        ("/api/begin-downtime/nowhere/1/alice/r/1h", 404, "Cannot read instance: nowhere:1"),
        ("/api/end-downtime/nowhere/1", 404, "Cannot read instance: nowhere:1"),
        ("/api/begin-downtime/db/3307/alice", 404, "unsupported route: GET /api/begin-downtime/db/3307/alice"),
    ])
    func badInput(uri: String, status: Int, message: String) async throws {
        try await routes.withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(Int(response.status.code) == status, "\(uri)")
                #expect(routes.json(response)["Message"]?.stringValue == message)
            }
        }
    }
}
