import APIModels
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Bad input for every family of routes that names an instance: a malformed port, an unknown
/// instance, a path part missing or extra, another method, a large body. Each gets a clear
/// error in orchestrator's envelope with a 4xx status, and none changes anything.
struct BadInputTests {
    let routes = RoutesTests()

    /// One route per family; `H/P` stands for the instance, `T/Q` for a second (known) one.
    /// History (audit, acknowledgements) may name instances no longer known: those answer for
    /// any well-formed key.
    static let families: [(family: String, route: String)] = [
        ("instance reads", "instance/H/P"),
        ("discovery", "forget/H/P"),
        ("refactoring", "relocate/H/P/T/Q"),
        ("replication control", "stop-replica/H/P"),
        ("maintenance", "begin-maintenance/H/P/alice/upgrade"),
        ("downtime", "begin-downtime/H/P/alice/upgrade/1h"),
        ("tags", "tag/H/P/role/backup"),
        ("promotion rules", "register-candidate/H/P/prefer"),
        ("recovery", "recover/H/P"),
        ("acknowledgement", "ack-recovery/instance/H/P?comment=checked"),
        ("audit", "audit/instance/H/P"),
        ("analysis", "replication-analysis/instance/H/P"),
        ("clusters", "cluster/instance/H/P"),
        ("hostname unresolve", "register-hostname-unresolve/H/P/vip"),
        ("errant GTID", "gtid-errant-reset-master/H/P"),
    ]

    static func uri(_ route: String, host: String = "db", port: String = "3308") -> String {
        "/api/" + route.replacingOccurrences(of: "H/P", with: "\(host)/\(port)").replacingOccurrences(of: "T/Q", with: "db/3306")
    }

    @Test(arguments: families.map(\.route))
    func malformedPortsUnknownInstancesAndWrongShapesAreRefused(route: String) async throws {
        try await routes.withApp { client in
            func expectError(_ uri: String, _ method: HTTPRequest.Method = .get, body: ByteBuffer? = nil, status: Int, containing text: String) async throws {
                try await client.execute(uri: uri, method: method, body: body) { response in
                    #expect(Int(response.status.code) == status, "\(method) \(uri): \(String(buffer: response.body))")
                    let json = routes.json(response)
                    #expect(json["Code"] == .string("ERROR"), "\(uri)")
                    #expect(json["Message"]?.stringValue?.contains(text) == true, "\(uri): \(json["Message"]?.stringValue ?? "")")
                }
            }
            try await expectError(Self.uri(route, port: "x"), status: 400, containing: "x")
            try await expectError(Self.uri(route, port: "70000"), status: 400, containing: "70000")
            if !["register-hostname-unresolve", "audit/", "ack-recovery/"].contains(where: route.hasPrefix) {
                try await expectError(Self.uri(route, host: "nowhere", port: "1"), status: 404, containing: "nowhere:1")
            }
            let good = Self.uri(route)
            let path = good.split(separator: "?")[0]
            try await expectError(String(path.prefix(upTo: path.range(of: "/3308")!.lowerBound)), status: 404, containing: "unsupported route")
            try await expectError(path + "/extra/part/more", status: 404, containing: "unsupported route")
            try await expectError(good, .post, body: ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 20), status: 404, containing: "unsupported route: POST")
            try await expectError(good, .delete, status: 404, containing: "unsupported route: DELETE")
            // Nothing was recorded or changed.
            for uri in ["/api/audit", "/api/downtimed", "/api/maintenance", "/api/tagged?tag=role"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(routes.json(response) == .array([]), "\(uri) after bad requests to \(route)")
                }
            }
            try await client.execute(uri: "/api/instance/db/3308", method: .get) { response in
                #expect(routes.json(response)["MasterKey"]?["Port"]?.intValue == 3307)
                #expect(routes.json(response)["PromotionRule"]?.stringValue == "neutral")
            }
        }
    }
}
