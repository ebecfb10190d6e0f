import APIModels
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Instance tags through the routes of `api.md` §7.12 and `topology-tags`, as orchestrator-client
/// calls them, and the bad inputs answered with the envelope.
struct TagRoutesTests {
    let routes = RoutesTests()

    func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (status: Int, body: JSONValue) {
        try await client.execute(uri: uri, method: .get) { response in (Int(response.status.code), routes.json(response)) }
    }

    func keys(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).map { "\($0["Hostname"]?.stringValue ?? ""):\($0["Port"]?.intValue ?? 0)" }
    }

    @Test func tagReadAndListAnInstancesTags() async throws {
        try await routes.withApp { client in
            // orchestrator-client: `tag/HP?tag=<urlencoded>` with its trailing newline.
            var answer = try await get(client, "/api/tag/db/3307?tag=role%3Dreplica%0A")
            #expect(answer.status == 200)
            #expect(answer.body["Code"]?.stringValue == "OK")
            #expect(answer.body["Message"]?.stringValue == "db:3307 tagged with role=replica")
            #expect(answer.body["Details"] == .object([("Hostname", .string("db")), ("Port", .int(3307))]))
            answer = try await get(client, "/api/tag/db/3307/env/prod")
            #expect(answer.body["Message"]?.stringValue == "db:3307 tagged with env=prod")
            answer = try await get(client, "/api/tag/db/3307?tag=backup")
            #expect(answer.body["Message"]?.stringValue == "db:3307 tagged with backup=")
            // The query wins over the path parameters.
            answer = try await get(client, "/api/tag/db/3307/ignored/value?tag=role=relay")
            #expect(answer.body["Message"]?.stringValue == "db:3307 tagged with role=relay")

            answer = try await get(client, "/api/tags/db/3307/")
            #expect(answer.status == 200)
            #expect(answer.body == .array([.string("backup="), .string("env=prod"), .string("role=relay")]))
            #expect(try await get(client, "/api/tags/db/3306").body == .array([]))

            answer = try await get(client, "/api/tag-value/db/3307?tag=role%0A")
            #expect(answer.status == 200)
            #expect(answer.body == .string("relay"))
            #expect(try await get(client, "/api/tag-value/db/3307/env").body == .string("prod"))
            #expect(try await get(client, "/api/tag-value/db/3307/backup").body == .string(""))
            answer = try await get(client, "/api/tag-value/db/3307?tag=owner")
            #expect(answer.status == 404)
            #expect(answer.body["Code"]?.stringValue == "ERROR")
            #expect(answer.body["Message"]?.stringValue == "tag owner not found for db:3307")
        }
    }

    @Test func taggedSelectsAllOfTheSpecsSorted() async throws {
        try await routes.withApp { client in
            for uri in ["/api/tag/db/3308?tag=role=replica", "/api/tag/db/3307?tag=role=replica", "/api/tag/db/3307?tag=backup",
                        "/api/tag/db/3306?tag=role=primary"] {
                #expect(try await get(client, uri).status == 200, "\(uri)")
            }
            // orchestrator-client: `tagged/?tag=<urlencoded>`.
            var answer = try await get(client, "/api/tagged/?tag=role%3Dreplica%0A")
            #expect(answer.status == 200)
            #expect(keys(answer.body) == ["db:3307", "db:3308"])
            #expect(keys(try await get(client, "/api/tagged?tag=role").body) == ["db:3306", "db:3307", "db:3308"])
            #expect(keys(try await get(client, "/api/tagged?tag=role,~backup").body) == ["db:3306", "db:3308"])
            #expect(keys(try await get(client, "/api/tagged?tag=role,!backup").body) == ["db:3306", "db:3308"])
            #expect(keys(try await get(client, "/api/tagged?tag=~role=replica").body) == ["db:3306"])
            #expect(keys(try await get(client, "/api/tagged?tag=role%3Dreplica,backup").body) == ["db:3307"])
            answer = try await get(client, "/api/tagged?tag=nothing")
            #expect(answer.body == .array([]))
        }
    }

    @Test func untagOneInstanceAndUntagAll() async throws {
        try await routes.withApp { client in
            for uri in ["/api/tag/db/3306?tag=role=primary", "/api/tag/db/3307?tag=role=replica", "/api/tag/db/3308?tag=role=replica",
                        "/api/tag/db/3308?tag=backup"] {
                #expect(try await get(client, uri).status == 200, "\(uri)")
            }
            // orchestrator-client: `untag/HP?tag=<not encoded>`.
            var answer = try await get(client, "/api/untag/db/3307?tag=role")
            #expect(answer.status == 200)
            #expect(answer.body["Message"]?.stringValue == "role removed from 1 instances")
            #expect(keys(answer.body["Details"]) == ["db:3307"])
            answer = try await get(client, "/api/untag/db/3308?tag=role=primary")
            #expect(answer.body["Message"]?.stringValue == "role removed from 0 instances")
            #expect(answer.body["Details"] == .array([]))
            answer = try await get(client, "/api/untag/db/3308/backup")
            #expect(answer.body["Message"]?.stringValue == "backup removed from 1 instances")

            #expect(try await get(client, "/api/tag/db/3307?tag=role=replica").status == 200)
            answer = try await get(client, "/api/untag-all?tag=role=replica")
            #expect(answer.status == 200)
            #expect(answer.body["Message"]?.stringValue == "role removed from 2 instances")
            #expect(keys(answer.body["Details"]) == ["db:3307", "db:3308"])
            answer = try await get(client, "/api/untag-all/role/primary/")
            #expect(keys(answer.body["Details"]) == ["db:3306"])
            #expect(try await get(client, "/api/tagged?tag=role").body == .array([]))

            let audit = try await get(client, "/api/audit").body.arrayValue ?? []
            #expect(audit.contains { $0["AuditType"]?.stringValue == "delete-instance-tag" })
            #expect(audit.contains { $0["AuditType"]?.stringValue == "put-instance-tag" })
        }
    }

    @Test func topologyTagsShowsEachInstancesTags() async throws {
        try await routes.withApp { client in
            #expect(try await get(client, "/api/tag/db/3306?tag=role=primary").status == 200)
            #expect(try await get(client, "/api/tag/db/3308?tag=env=prod").status == 200)
            #expect(try await get(client, "/api/tag/db/3308?tag=backup").status == 200)
            let expected = """
            db:3306     [0s,ok,10.11.6-MariaDB-log,rw,ROW,>>] [role=primary]
            + db:3307   [0s,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID] []
              + db:3308 [0s,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID] [backup,env=prod]
            """
            for uri in ["/api/topology-tags/shop", "/api/topology-tags/db:3307", "/api/topology-tags/db/3308"] {
                let answer = try await get(client, uri)
                #expect(answer.status == 200, "\(uri)")
                #expect(answer.body["Message"]?.stringValue == "Topology for cluster db:3306")
                #expect(answer.body["Details"]?.stringValue == expected, "\(uri)")
            }
            #expect(try await get(client, "/api/topology-tags/nosuchcluster").status == 404)
        }
    }

    @Test(arguments: [
        ("/api/tag/db/3307", 400, "Unable to parse tag: empty tag; expected name, name=value, ~name or ~name=value"),
        ("/api/tag/db/3307?tag=%0A", 400, "Unable to parse tag: empty tag; expected name, name=value, ~name or ~name=value"),
        ("/api/tag/db/3307?tag==primary", 400, "Unable to parse tag: =primary: empty tag name"),
        ("/api/tag/db/3307?tag=~role", 400, "Unable to use tag ~role: a negated tag selects instances (tagged) and cannot be set"),
        ("/api/tag-value/db/3307?tag=!role", 400, "Unable to use tag ~role: a negated tag selects instances (tagged) and cannot be read"),
        ("/api/tag-value/db/3307", 400, "Unable to parse tag: empty tag; expected name, name=value, ~name or ~name=value"),
        ("/api/untag/db/3307?tag=!role", 400, "Unable to use tag ~role: a negated tag selects instances (tagged) and cannot be removed"),
        ("/api/untag-all?tag=role", 400, "Will not remove tag role from every instance without a value: give role=value, or untag one instance"),
        ("/api/untag-all", 400, "Unable to parse tag: empty tag; expected name, name=value, ~name or ~name=value"),
        ("/api/tagged", 400, "Unable to parse tag: empty tag; expected name, name=value, ~name or ~name=value"),
        ("/api/tagged?tag=role,", 400, "Unable to parse tag: empty tag; expected name, name=value, ~name or ~name=value"),
        ("/api/tagged?tag=~", 400, "Unable to parse tag: ~: empty tag name"),
        ("/api/tag/nowhere/1?tag=role=x", 404, "Cannot read instance: nowhere:1"),
        ("/api/tags/nowhere/1", 404, "Cannot read instance: nowhere:1"),
        ("/api/tag-value/nowhere/1/role", 404, "Cannot read instance: nowhere:1"),
        ("/api/untag/nowhere/1/role", 404, "Cannot read instance: nowhere:1"),
        ("/api/tags/db/x", 400, "Invalid port: x (in db:x)"),
        ("/api/tagged/db/3307?tag=role", 404, "unsupported route: GET /api/tagged/db/3307"),
    ])
    func badInput(uri: String, status: Int, message: String) async throws {
        try await routes.withApp { client in
            let answer = try await get(client, uri)
            #expect(answer.status == status, "\(uri)")
            #expect(answer.body["Code"]?.stringValue == "ERROR", "\(uri)")
            #expect(answer.body["Message"]?.stringValue == message, "\(uri)")
        }
    }
}
