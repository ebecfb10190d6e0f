import Engine
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Logging
import Store
import Testing
import Topology

/// `probe-share`, the long poll nodes that divide the probes read each other's results from.
@Suite struct ProbeShareRoutesTests {
    func withApp(feed: ProbeFeed?, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var logger = Logger(label: "test.http")
        logger.logLevel = .critical
        let engine = RoutesTests.plainEngine(store: try SQLiteStore.inMemory())
        let settings = APISettings(pollSeconds: 1, hostname: "test", token: "t", startedAt: Date(), appVersion: "test", databaseFile: ":memory:")
        var context = APIContext(engine: engine, settings: settings)
        context.probeFeed = feed
        let app = Application(router: APIRouter.make(context: context, logger: logger), logger: logger)
        try await app.test(.router) { client in try await body(client) }
    }

    static func result(_ port: Int) -> SharedProbeResult {
        let started = Date()
        return .success(Instance(key: InstanceKey(hostname: "db", port: port)), startedAt: started, finishedAt: started)
    }

    static func page(_ response: TestResponse) throws -> ProbeSharePage {
        try ProbeSharePage(decoding: Data(response.body.readableBytesView))
    }

    @Test func aNodeThatDoesNotDivideProbesAnswers404WithTheEnvelope() async throws {
        try await withApp(feed: nil) { client in
            try await client.execute(uri: "/api/probe-share?since=0", method: .get) { response in
                #expect(response.status == .notFound)
                let text = String(buffer: response.body)
                #expect(text.contains("\"Code\":\"ERROR\"") && text.contains("DivideProbesAmongNodes"), "\(text)")
            }
        }
    }

    @Test(arguments: ["since=x", "since=-1", "wait=soon", "since=1.5"])
    func aSequenceOrWaitThatIsNoWholeNumberIs400(query: String) async throws {
        try await withApp(feed: ProbeFeed()) { client in
            try await client.execute(uri: "/api/probe-share?\(query)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("whole number"))
            }
        }
    }

    @Test func aReaderGetsWhatWasRecordedAfterItsSequenceAndALongPollGetsTheNextRecording() async throws {
        let feed = ProbeFeed()
        try feed.record(Self.result(3306))
        try feed.record(Self.result(3307))
        try await withApp(feed: feed) { client in
            let all = try await client.execute(uri: "/api/probe-share?since=0", method: .get) { try Self.page($0) }
            #expect(all.results.map(\.key.port) == [3306, 3307] && all.sequence == 2 && all.epoch == feed.epoch)
            let none = try await client.execute(uri: "/api/probe-share?since=2&wait=0&epoch=\(feed.epoch)", method: .get) { try Self.page($0) }
            #expect(none.results.isEmpty && none.sequence == 2)
            // Another life of the feed (the node restarted): everything again.
            let other = try await client.execute(uri: "/api/probe-share?since=2&epoch=elsewhere", method: .get) { try Self.page($0) }
            #expect(other.results.count == 2)
            // Waiting for the next recording; it comes while (or before) the request waits.
            async let next = client.execute(uri: "/api/probe-share?since=2&wait=20000&epoch=\(feed.epoch)", method: .get) { try Self.page($0) }
            try feed.record(Self.result(3307))
            let woken = try await next
            #expect(woken.results.map(\.key.port) == [3307] && woken.sequence == 3)
        }
    }

    @Test func theRouteIsARead() {
        #expect(RouteAccess.of(route: "probe-share") == .read)
    }
}
