import APIModels
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import Topology

/// Who may do what (`AuthenticationMethod`, `ReadOnly`, `URLPrefix`): reads and operations per
/// method, the statuses and envelopes of refusals, and that a refused operation changed nothing.
struct AccessTests {
    let routes = RoutesTests()

    struct Answer {
        var status: HTTPResponse.Status
        var body: JSONValue
        var challenge: String?
    }

    func get(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws -> Answer {
        try await client.execute(uri: uri, method: .get, headers: headers) { response in
            Answer(status: response.status, body: routes.json(response), challenge: response.headers[.wwwAuthenticate])
        }
    }

    static func basic(_ user: String, _ password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    static func proxyUser(_ user: String) -> HTTPFields {
        [HTTPField.Name("X-Forwarded-User")!: user]
    }

    /// The refused operation left nothing behind: no tag, no downtime.
    func expectNothingChanged(_ client: any TestClientProtocol, headers: HTTPFields, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await get(client, "/api/tags/db/3307", headers: headers).body == .array([]), sourceLocation: sourceLocation)
        #expect(try await get(client, "/api/downtimed", headers: headers).body == .array([]), sourceLocation: sourceLocation)
    }

    func expectRefused(_ answer: Answer, _ status: HTTPResponse.Status, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, sourceLocation: sourceLocation)
        #expect(answer.body["Code"]?.stringValue == "ERROR", sourceLocation: sourceLocation)
        #expect(answer.body["Message"]?.stringValue?.contains(text) == true, "\(answer.body)", sourceLocation: sourceLocation)
        #expect(answer.body["Details"] == .null, sourceLocation: sourceLocation)
    }

    @Test func openReadsAndOperatesWithoutCredentials() async throws {
        try await routes.withApp { client async throws in
            #expect(try await get(client, "/api/clusters").status == .ok)
            #expect(try await get(client, "/api/tag/db/3307?tag=role=replica").status == .ok)
            #expect(try await get(client, "/api/tags/db/3307").body == .array([.string("role=replica")]))
        }
    }

    @Test func basicNeedsTheConfiguredCredentialsOnEveryRequest() async throws {
        try await routes.withApp(configure: { $0.access = HTTPAccessPolicy(method: .basic, user: "admin", password: "s3cret") }) { client async throws in
            for uri in ["/api/clusters", "/api/tag/db/3307?tag=role=replica", "/api/no-such-route"] {
                let anonymous = try await get(client, uri)
                expectRefused(anonymous, .unauthorized, containing: "credentials are required")
                #expect(anonymous.challenge == #"Basic realm="Authorization Required""#)
                let wrong = try await get(client, uri, headers: Self.basic("admin", "guess"))
                expectRefused(wrong, .unauthorized, containing: "wrong user or password")
                #expect(wrong.challenge != nil)
                #expect(wrong.body["Message"]?.stringValue?.contains("guess") == false, "the password tried is never echoed")
            }
            // `readonly` is a user of `multi` only.
            expectRefused(try await get(client, "/api/clusters", headers: Self.basic("readonly", "x")), .unauthorized, containing: "wrong user")
            try await expectNothingChanged(client, headers: Self.basic("admin", "s3cret"))

            let admin = Self.basic("admin", "s3cret")
            #expect(try await get(client, "/api/clusters", headers: admin).status == .ok)
            #expect(try await get(client, "/api/tag/db/3307?tag=role=replica", headers: admin).status == .ok)
            #expect(try await get(client, "/api/tags/db/3307", headers: admin).body == .array([.string("role=replica")]))
        }
    }

    @Test func multiLetsUserReadonlyReadButNotOperate() async throws {
        try await routes.withApp(configure: { $0.access = HTTPAccessPolicy(method: .multi, user: "admin", password: "s3cret") }) { client async throws in
            let reader = Self.basic("readonly", "any password at all")
            #expect(try await get(client, "/api/clusters", headers: reader).body == .array([.string("db:3306")]))
            #expect(try await get(client, "/api/instance/db/3307", headers: reader).status == .ok)
            for uri in ["/api/tag/db/3307?tag=role=replica", "/api/begin-downtime/db/3307/alice/upgrade/1h", "/api/discover/db/3309"] {
                expectRefused(try await get(client, uri, headers: reader), .forbidden, containing: "user readonly may read but not operate")
            }
            try await expectNothingChanged(client, headers: reader)
            expectRefused(try await get(client, "/api/clusters"), .unauthorized, containing: "credentials are required")
            expectRefused(try await get(client, "/api/clusters", headers: Self.basic("admin", "wrong")), .unauthorized, containing: "wrong")

            let admin = Self.basic("admin", "s3cret")
            #expect(try await get(client, "/api/begin-downtime/db/3307/alice/upgrade/1h", headers: admin).status == .ok)
            #expect(try await get(client, "/api/downtimed", headers: reader).body.arrayValue?.count == 1)
        }
    }

    @Test func proxyLetsPowerUsersOperateAndOthersRead() async throws {
        try await routes.withApp(configure: { $0.access = HTTPAccessPolicy(method: .proxy, powerUsers: ["alice"]) }) { client async throws in
            let bob = Self.proxyUser("bob")
            #expect(try await get(client, "/api/clusters", headers: bob).status == .ok)
            #expect(try await get(client, "/api/clusters").status == .ok)
            expectRefused(try await get(client, "/api/tag/db/3307?tag=role=replica", headers: bob), .forbidden, containing: "user bob")
            expectRefused(try await get(client, "/api/begin-downtime/db/3307/bob/x/1h"), .forbidden, containing: "without header X-Forwarded-User")
            try await expectNothingChanged(client, headers: bob)

            let alice = Self.proxyUser("alice")
            #expect(try await get(client, "/api/tag/db/3307?tag=role=replica", headers: alice).status == .ok)
            #expect(try await get(client, "/api/tags/db/3307", headers: bob).body == .array([.string("role=replica")]))
        }
    }

    @Test func proxyWithTheDefaultPowerUsersLetsEveryoneOperate() async throws {
        try await routes.withApp(configure: { $0.access = HTTPAccessPolicy(method: .proxy) }) { client async throws in
            #expect(try await get(client, "/api/tag/db/3307?tag=a", headers: Self.proxyUser("carol")).status == .ok)
            #expect(try await get(client, "/api/tag/db/3307?tag=b").status == .ok)
        }
    }

    /// orchestrator records the authenticated user as the acknowledger.
    @Test func acknowledgementsNameTheAuthenticatedUser() async throws {
        try await routes.withApp(prepare: { _, store in
            let record = TopologyRecovery(
                uid: "1:abc", key: InstanceKey(hostname: "db", port: 3306), analysis: "DeadMaster", clusterName: "db:3306", clusterAlias: "shop",
                replicas: [], type: "MasterRecovery", recoveryType: "MasterRecoveryGTID",
                startActivePeriod: RoutesTests.now, processingNodeHostname: "test", processingNodeToken: "t"
            )
            _ = try await store.registerRecovery(record, blockOnRecentSuccessor: true, blockOnActiveCluster: true, forced: false)
        }, configure: { $0.access = HTTPAccessPolicy(method: .proxy, powerUsers: ["alice"]) }) { client async throws in
            let alice = Self.proxyUser("alice")
            #expect(try await get(client, "/api/ack-all-recoveries?comment=handled", headers: alice).status == .ok)
            let recovery = try await get(client, "/api/audit-recovery/id/1").body.arrayValue?.first
            #expect(recovery?["AcknowledgedBy"]?.stringValue == "alice")
        }
    }

    @Test func readOnlyRefusesEveryOperationWhoeverAsks() async throws {
        try await routes.withApp(configure: { $0.access = HTTPAccessPolicy(method: .basic, user: "admin", password: "s3cret", readOnly: true) }) { client async throws in
            let admin = Self.basic("admin", "s3cret")
            #expect(try await get(client, "/api/clusters", headers: admin).status == .ok)
            for uri in ["/api/tag/db/3307?tag=role=replica", "/api/begin-downtime/db/3307/alice/upgrade/1h", "/api/disable-global-recoveries"] {
                expectRefused(try await get(client, uri, headers: admin), .forbidden, containing: "read-only (ReadOnly: true)")
            }
            try await expectNothingChanged(client, headers: admin)
            #expect(try await get(client, "/api/check-global-recoveries", headers: admin).body["Details"] == .string("enabled"))
        }
    }

    @Test(arguments: [AuthenticationMethod.token, .oauth])
    func unimplementedMethodsReadButRefuseOperations(_ method: AuthenticationMethod) async throws {
        try await routes.withApp(configure: { $0.access = HTTPAccessPolicy(method: method) }) { client async throws in
            #expect(try await get(client, "/api/clusters").status == .ok)
            expectRefused(try await get(client, "/api/tag/db/3307?tag=x"), .forbidden, containing: "AuthenticationMethod \(method.rawValue)")
            try await expectNothingChanged(client, headers: [:])
        }
    }

    @Test func urlPrefixServesTheAPIBelowIt() async throws {
        try await routes.withApp(configure: { $0.urlPrefix = "/orchestrator" }) { client async throws in
            #expect(try await get(client, "/orchestrator/api/clusters").body == .array([.string("db:3306")]))
            #expect(try await get(client, "/orchestrator/api/downtimed/").status == .ok)
            let unprefixed = try await get(client, "/api/clusters")
            expectRefused(unprefixed, .notFound, containing: "the API is served under /orchestrator/api/")
            expectRefused(try await get(client, "/orchestrator/api/no-such-route"), .notFound, containing: "unsupported route")
        }
    }

    @Test func urlPrefixIsNormalisedAsOrchestratorDoes() {
        #expect(APIRouter.normalizedPrefix("orc/") == "/orc")
        #expect(APIRouter.normalizedPrefix("//orc//x/") == "/orc/x")
        #expect(APIRouter.normalizedPrefix("/") == "")
        #expect(APIRouter.normalizedPrefix("") == "")
    }

    @Test func methodNamesAreCaseInsensitive() {
        #expect(AuthenticationMethod(configured: "Basic") == .basic)
        #expect(AuthenticationMethod(configured: "MULTI") == .multi)
        #expect(AuthenticationMethod(configured: "") == .open)
        #expect(AuthenticationMethod(configured: "kerberos") == nil)
    }

    @Test func policyDescriptionNeverShowsThePassword() {
        let policy = HTTPAccessPolicy(method: .basic, user: "admin", password: "s3cret")
        #expect(!"\(policy)".contains("s3cret"))
        #expect("\(policy)".contains("HTTPAuthPassword=<redacted>"))
    }

    /// The table every route is registered through, against orchestrator's `A` column.
    @Test(arguments: [
        ("discover/:host/:port", RouteAccess.operation), ("relocate/:host/:port/:belowHost/:belowPort", .operation),
        ("begin-downtime/:host/:port/:owner/:reason", .operation), ("ack-recovery/uid/:uid", .operation),
        ("restart-replica-statements/:host/:port", .operation), ("tag/:host/:port", .operation),
        ("submit-masters-to-kv-stores", .operation), ("set-cluster-alias/:clusterName", .operation),
        ("instance/:host/:port", .read), ("topology/:host", .read), ("audit-recovery/cluster/:name", .read),
        ("can-replicate-from/:host/:port/:belowHost/:belowPort", .read), ("tags/:host/:port", .read), ("health", .read),
    ])
    func routesAreClassified(_ path: String, _ access: RouteAccess) {
        #expect(RouteAccess.of(route: path) == access)
    }

    @Test func anUnclassifiedRouteIsNotServed() {
        #expect(RouteAccess.of(route: "brand-new-route/:host") == nil)
    }
}

/// `/api/access` tells the web page whether to offer operation controls.
struct AccessRouteTests {
    let routes = RoutesTests()

    @Test func accessSaysWhetherTheCallerMayOperate() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/api/access", method: .get) { response in
                #expect(routes.json(response)["CanOperate"] == .bool(true))
            }
        }
        try await routes.withApp(configure: { $0.access.readOnly = true }) { client in
            try await client.execute(uri: "/api/access", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["CanOperate"] == .bool(false))
                #expect(routes.json(response)["Reason"]?.stringValue?.isEmpty == false)
            }
        }
    }
}

/// The web page's shell and files, at the root or under `URLPrefix`.
struct WebRoutesTests {
    let routes = RoutesTests()

    @Test func pagesAndFilesAreServedUnderThePrefix() async throws {
        for prefix in ["", "/orc"] {
            try await routes.withApp(configure: { $0.urlPrefix = prefix }) { client in
                try await client.execute(uri: "\(prefix)/", method: .get) { response in
                    #expect(response.status == .found)
                    #expect(response.headers[.location] == "\(prefix)/web/clusters")
                }
                for page in ["web/clusters", "web/cluster/127.0.0.1:3306", "web/cluster/alias/shop", "web/problems", "web/recoveries", "web/audit/2", "web/recovery-plan/shop"] {
                    try await client.execute(uri: "\(prefix)/\(page)", method: .get) { response in
                        #expect(response.status == .ok, "\(prefix)/\(page)")
                        let html = String(buffer: response.body)
                        #expect(html.contains("\(prefix)/web/static/app.js") && !html.contains("{{PREFIX}}"), "\(page)")
                    }
                }
                for (file, type) in [("app.js", "text/javascript"), ("app.css", "text/css")] {
                    try await client.execute(uri: "\(prefix)/web/static/\(file)", method: .get) { response in
                        #expect(response.status == .ok)
                        #expect(response.headers[.contentType]?.hasPrefix(type) == true)
                        #expect(response.body.readableBytes > 1000)
                    }
                }
                try await client.execute(uri: "\(prefix)/web/static/index.html", method: .get) { #expect($0.status == .notFound) }
                try await client.execute(uri: "\(prefix)/web/static/../Package.swift", method: .get) { #expect($0.status == .notFound) }
            }
        }
    }
}

/// Another site's page cannot make a browser run an operation; reads and our own page can.
struct CrossSiteTests {
    let routes = RoutesTests()

    @Test func crossSiteOperationsAreRefusedAndChangeNothing() async throws {
        try await routes.withApp { client in
            for site in ["cross-site", "same-site"] {
                try await client.execute(uri: "/api/begin-downtime/db/3307/eve/x/1h", method: .get, headers: [HTTPField.Name("Sec-Fetch-Site")!: site]) { response in
                    #expect(response.status == .forbidden, "\(site)")
                    #expect(routes.json(response)["Message"]?.stringValue?.contains("another site") == true)
                }
            }
            try await client.execute(uri: "/api/downtimed", method: .get, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]) { response in
                #expect(response.status == .ok, "reads stay open")
                #expect(routes.json(response) == .array([]), "nothing was downtimed")
            }
            try await client.execute(uri: "/api/begin-downtime/db/3307/ops/x/1h", method: .get, headers: [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]) { response in
                #expect(response.status == .ok, "the web page's own request")
            }
        }
    }
}
