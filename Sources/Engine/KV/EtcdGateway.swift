import AsyncHTTPClient
import Foundation
import NIOCore

/// etcd's v3 JSON gateway (`POST /v3/...`, keys and values base64, 64-bit numbers as strings):
/// each request goes to the endpoints in turn until one answers 200. Shared by master discovery
/// (`EtcdKVStore`) and leadership (`EtcdLeadership`).
package struct EtcdGateway: Sendable {
    package var endpoints: [String]
    /// For one request to one endpoint.
    package var timeout: Duration

    package init(endpoints: [String], timeout: Duration = .seconds(2)) {
        self.endpoints = endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.timeout = timeout
    }

    package var name: String { "etcd " + endpoints.joined(separator: ",") }

    /// POSTs `body` (a JSON object) to `path` on the first endpoint that answers 200 and
    /// returns that answer, parsed.
    func post(_ path: String, _ body: [String: Any]) async throws(EtcdError) -> [String: Any] {
        let text: String
        do {
            text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        } catch {
            throw EtcdError(store: name, reason: "cannot encode the request to \(path): \(error)")
        }
        var failures: [String] = []
        for endpoint in endpoints {
            var request = HTTPClientRequest(url: endpoint + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: text))
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(timeout.wholeMilliseconds))
                let answer = String(buffer: try await response.body.collect(upTo: 1 << 20))
                guard response.status == .ok else {
                    failures.append("\(endpoint): HTTP \(response.status.code) \(answer.prefix(200))")
                    continue
                }
                return (try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]) ?? [:]
            } catch {
                failures.append("\(endpoint): \(error)")
            }
        }
        throw EtcdError(store: name, reason: failures.joined(separator: "; "))
    }

    /// The values of every key under `prefix`.
    func values(under prefix: String) async throws(EtcdError) -> [String] {
        try await entries(under: prefix).map(\.value)
    }

    /// Every key under `prefix` (the prefix removed) with its value.
    func entries(under prefix: String) async throws(EtcdError) -> [(key: String, value: String)] {
        let start = Data(prefix.utf8)
        var end = start
        end[end.count - 1] += 1
        let answer = try await post("/v3/kv/range", ["key": start.base64EncodedString(), "range_end": end.base64EncodedString()])
        return (answer["kvs"] as? [[String: Any]] ?? []).map { kv in
            (String(Self.decodeBase64(kv["key"]).dropFirst(prefix.count)), Self.decodeBase64(kv["value"]))
        }
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func decodeBase64(_ value: Any?) -> String {
        guard let encoded = value as? String, let data = Data(base64Encoded: encoded) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A 64-bit number as the gateway writes it (a string), or as a plain number; absent is 0.
    static func int64(_ value: Any?) -> Int64 {
        if let text = value as? String { return Int64(text) ?? 0 }
        if let number = value as? NSNumber { return number.int64Value }
        return 0
    }
}

/// etcd did not answer, or refused: which endpoints said what.
package struct EtcdError: Error, Sendable, Equatable, CustomStringConvertible {
    package var store: String
    package var reason: String

    package init(store: String, reason: String) {
        self.store = store
        self.reason = reason
    }

    package var description: String { "\(store): \(reason)" }
}
