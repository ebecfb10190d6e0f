import APIModels
import Engine
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `/api/events`: a Server-Sent Events stream of what changes in the topology, the analysis
/// and recoveries, so the web page redraws a failover as it happens instead of on its next
/// poll. Each event names what changed; the page reads the details from the usual routes.
///
///     event: topology    data: {"ClusterName":"127.0.0.1:3306"}
///     event: analysis    data: {"ClusterName":…,"Problems":["127.0.0.1:3306 DeadMaster",…]}
///     event: recovery    data: {"UID":…,"ClusterName":…,"Message":"[+12 ms] promote …"}
///
/// A comment line every 15 s keeps proxies from closing an idle stream and lets the server
/// notice a page that went away. The stream ends when the service shuts down.
struct EventStreamRoutes {
    let api: APIContext
    var keepAliveInterval: Duration = .seconds(15)

    func register(on routes: RouterGroup<APIRequestContext>) {
        let events = api.registry.events
        let keepAlive = keepAliveInterval
        routes.get("events") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            // Subscribed before the answer starts, so nothing published after the request is missed.
            let subscription = events.subscribe()
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try await Self.stream(subscription, keepAlive: keepAlive, into: &writer)
            })
        }
    }

    private static func stream(_ subscription: AsyncStream<EngineEvent>, keepAlive: Duration, into writer: inout any ResponseBodyWriter) async throws {
        let (lines, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1024))
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for await event in subscription { sink.yield(Self.format(event)) }
                sink.finish()
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: keepAlive)
                    sink.yield(": keep-alive\n\n")
                }
            }
            try await writer.write(ByteBuffer(string: "retry: 1000\n: connected\n\n"))
            for await line in lines.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: line))
            }
            group.cancelAll()
        }
        try await writer.finish(nil)
    }

    static func format(_ event: EngineEvent) -> String {
        let (name, data): (String, JSONValue)
        switch event {
        case .topology(let cluster):
            (name, data) = ("topology", .object([("ClusterName", .string(cluster))]))
        case .analysis(let cluster, let codes):
            (name, data) = ("analysis", .object([("ClusterName", .string(cluster)), ("Problems", .array(codes.map(JSONValue.string)))]))
        case .recovery(let uid, let cluster, let message):
            (name, data) = ("recovery", .object([("UID", .string(uid)), ("ClusterName", .string(cluster)), ("Message", .string(message))]))
        }
        return "event: \(name)\ndata: \(data.serialized())\n\n"
    }
}
