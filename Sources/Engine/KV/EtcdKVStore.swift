import AsyncHTTPClient
import Foundation
import NIOCore
import Topology

/// etcd through its v3 JSON gateway (`POST /v3/kv/put`, keys and values base64), trying each
/// endpoint in turn until one answers.
package struct EtcdKVStore: KVStore {
    package var endpoints: [String]
    package var timeout: Duration

    package init(endpoints: [String], timeout: Duration = .seconds(2)) {
        self.endpoints = endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.timeout = timeout
    }

    package var name: String { "etcd " + endpoints.joined(separator: ",") }

    package func put(_ pairs: [KVPair]) async throws(KVError) {
        for pair in pairs { try await put(pair) }
    }

    package func get(_ key: String) async throws(KVError) -> String? {
        let answer = try await post("/v3/kv/range", #"{"key":"\#(Data(key.utf8).base64EncodedString())"}"#, key: key)
        // {"header":{…},"kvs":[{"key":"…","value":"<base64>",…}],"count":"1"}
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any],
              let first = (object["kvs"] as? [[String: Any]])?.first else { return nil }
        guard let encoded = first["value"] as? String else { return "" }
        return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
    }

    private func put(_ pair: KVPair) async throws(KVError) {
        let body = #"{"key":"\#(Data(pair.key.utf8).base64EncodedString())","value":"\#(Data(pair.value.utf8).base64EncodedString())"}"#
        _ = try await post("/v3/kv/put", body, key: pair.key)
    }

    /// POSTs `body` to the first endpoint that answers 200; returns its answer.
    private func post(_ path: String, _ body: String, key: String) async throws(KVError) -> String {
        var failures: [String] = []
        for endpoint in endpoints {
            var request = HTTPClientRequest(url: endpoint + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(timeout.wholeMilliseconds))
                let answer = String(buffer: try await response.body.collect(upTo: 1 << 20))
                if response.status == .ok { return answer }
                failures.append("\(endpoint): HTTP \(response.status.code) \(answer.prefix(200))")
            } catch {
                failures.append("\(endpoint): \(error)")
            }
        }
        throw KVError(store: name, key: key, reason: failures.joined(separator: "; "))
    }
}
