import APIModels
import Engine
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Logging
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// Thousands of requests, random but reproducible (a fixed seed), against the API of an engine
/// watching a real sandbox: every route of orchestrator's API with good and bad parameters,
/// missing and extra path parts, garbage paths, wrong methods, large bodies and odd query
/// strings. None may answer 5xx, crash the service or fail without orchestrator's envelope.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct APIFuzzTests {
    static let requestCount = 3000
    static let seed: UInt64 = 0x2026_1130

    static func templates() throws -> [String] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/orchestrator-routes.txt")
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    @Test func randomRequestsNeverGetAServerErrorOrAnEmptyError() async throws {
        let templates = try Self.templates()
        try #require(templates.count > 200, "the route list is complete")
        try await withSandbox(topology: "1>0,2>0,3>1") { sandbox in
            let keys = sandbox.instances.map { InstanceKey(hostname: "127.0.0.1", port: $0.port) }
            var configuration = EngineConfiguration.sandbox()
            configuration.seeds = [keys[0]]
            configuration.operationsWaitTimeoutSeconds = 1
            try await withRunningEngine(configuration) { engine in
                try await requireDiscovered(keys, in: engine.registry)
                var logger = Logger(label: "test.fuzz")
                logger.logLevel = .critical
                let settings = APISettings(pollSeconds: 1, hostname: "test", token: "t", startedAt: Date(), appVersion: "test", databaseFile: ":memory:")
                let router = APIRouter.make(context: APIContext(engine: engine, settings: settings), logger: logger)
                let app = Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)), logger: logger)
                try await app.test(.live) { client in
                    var generator = FuzzRequestGenerator(seed: Self.seed, templates: templates, keys: keys)
                    var failures: [String] = []
                    var statuses: [Int: Int] = [:]
                    for _ in 0..<Self.requestCount {
                        let request = generator.next()
                        do {
                            try await client.execute(uri: request.uri, method: request.method, body: request.body) { response in
                                statuses[Int(response.status.code), default: 0] += 1
                                if let failure = Self.check(response, request) { failures.append(failure) }
                            }
                        } catch {
                            failures.append("\(request.method) \(request.uri.prefix(200)): \(error)")
                        }
                        if failures.count >= 10 { break }
                    }
                    print("fuzz statuses: \(statuses.sorted { $0.key < $1.key })")
                    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
                    // Statuses seen, for the log of a failing run: the mix shows the requests reached routes.
                    #expect((statuses[200] ?? 0) > Self.requestCount / 10, "\(statuses.sorted { $0.key < $1.key })")
                    // Still serving, still watching the servers.
                    try await client.execute(uri: "/api/health", method: .get) { response in
                        #expect(response.status == .ok)
                    }
                }
            }
        }
    }

    /// What is wrong with an answer, if anything.
    static func check(_ response: TestResponse, _ request: FuzzRequest) -> String? {
        let description = "\(request.method) \(request.uri.prefix(200))"
        if response.status.code >= 500 { return "\(response.status.code) for \(description): \(String(buffer: response.body).prefix(300))" }
        guard response.status.code >= 400 else { return nil }
        guard let json = try? JSONValue(parsing: Data(response.body.readableBytesView)),
              json["Code"] == .string("ERROR"), let message = json["Message"]?.stringValue, !message.isEmpty else {
            return "\(response.status.code) without the error envelope for \(description): \(String(buffer: response.body).prefix(300))"
        }
        return nil
    }
}

struct FuzzRequest {
    var method: HTTPRequest.Method
    var uri: String
    var body: ByteBuffer?
}

/// A reproducible stream of requests: route templates filled with good and bad values, then
/// sometimes cut, extended, sent with another method or a large body, or replaced by garbage.
struct FuzzRequestGenerator {
    var random: SplitMix64
    let templates: [String]
    let keys: [InstanceKey]

    init(seed: UInt64, templates: [String], keys: [InstanceKey]) {
        random = SplitMix64(seed: seed)
        self.templates = templates
        self.keys = keys
    }

    mutating func next() -> FuzzRequest {
        let template = pick(templates)
        var segments = fill(template)
        var method = HTTPRequest.Method.get
        var body: ByteBuffer?
        var query = ""
        switch random.next() % 100 {
        case 0..<60: break
        case 60..<70: if segments.count > 1 { segments.remove(at: Int(random.next() % UInt64(segments.count))) }
        case 70..<80: segments.append(encoded(text()))
        case 80..<88: segments = (0...(random.next() % 5)).map { _ in encoded(text()) }
        case 88..<95:
            method = pick([.post, .put, .delete, .patch])
            body = ByteBuffer(repeating: UInt8(ascii: "x"), count: pick([0, 10, 1 << 16, 2 << 20]))
        default:
            query = "?" + ["tag", "instances", "s", "comment", "pattern", "skipProcesses", "alias", "force", "q"]
                .filter { _ in random.next() % 2 == 0 }
                .map { "\($0)=\(encoded(pick([text(), "(", "[a-", "*", "true", "127.0.0.1:\(keys[0].port),x:y", "~a=b,c"])))" }
                .joined(separator: "&")
        }
        return FuzzRequest(method: method, uri: "/api/" + segments.joined(separator: "/") + query, body: body)
    }

    /// The template's segments, each `:parameter` replaced by a value for its kind.
    private mutating func fill(_ template: String) -> [String] {
        // `discover` probes what it is given: keep it on loopback (no name lookups in tests).
        let probes = template.hasPrefix("discover") || template.hasPrefix("async-discover")
        return template.split(separator: "/").map { part in
            guard part.hasPrefix(":") else { return String(part) }
            let name = part.dropFirst().lowercased()
            if name.hasSuffix("host") { return encoded(probes ? pick(["127.0.0.1", "127.0.0.9"]) : host()) }
            if name.hasSuffix("port") { return encoded(port()) }
            if name.hasPrefix("cluster") || name == "hint" { return encoded(pick([keys[0].description, "127.0.0.1", "nope", "*", "", text()])) }
            if ["seconds", "page", "id", "recoveryid", "logpos", "errorstatuscode", "duration"].contains(name) {
                return encoded(pick(["0", "1", "-1", "abc", "99999999999999999999", "5m", "1w", "0s", "\(random.next() % 1000)"]))
            }
            if name == "promotionrule" { return pick(["prefer", "must_not", "neutral", "bogus"]) }
            return encoded(text())
        }
    }

    private mutating func host() -> String {
        pick(["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.9", "", " ", "[::1]", "a:b", String(repeating: "h", count: 300), text()])
    }

    private mutating func port() -> String {
        pick(keys.map { String($0.port) } + ["0", "-1", "65536", "99999999999999999999", "x", "3306.5", "1"])
    }

    /// Printable text with the characters that break naive parsing.
    private mutating func text() -> String {
        let alphabet = Array("ab-_.:/~=,;'\"%()[]*?&# \\\n\tsé☃0123456789")
        return String((0..<(random.next() % 24)).map { _ in pick(alphabet) })
    }

    private func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~:"))) ?? value
    }

    private mutating func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
}

/// A tiny seeded generator (SplitMix64): the same seed, the same requests, run after run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
