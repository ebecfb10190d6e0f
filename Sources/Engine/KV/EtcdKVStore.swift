import Foundation
import Topology

/// Master discovery entries in etcd, through its v3 JSON gateway (`POST /v3/kv/put`).
package struct EtcdKVStore: KVStore {
    package var gateway: EtcdGateway

    package init(endpoints: [String], timeout: Duration = .seconds(2)) {
        gateway = EtcdGateway(endpoints: endpoints, timeout: timeout)
    }

    package var endpoints: [String] { gateway.endpoints }
    package var name: String { gateway.name }

    package func put(_ pairs: [KVPair]) async throws(KVError) {
        for pair in pairs {
            do {
                _ = try await gateway.post("/v3/kv/put", ["key": EtcdGateway.base64(pair.key), "value": EtcdGateway.base64(pair.value)])
            } catch {
                throw KVError(store: name, key: pair.key, reason: error.reason)
            }
        }
    }

    package func get(_ key: String) async throws(KVError) -> String? {
        let answer: [String: Any]
        do {
            answer = try await gateway.post("/v3/kv/range", ["key": EtcdGateway.base64(key)])
        } catch {
            throw KVError(store: name, key: key, reason: error.reason)
        }
        // {"header":{…},"kvs":[{"key":"…","value":"<base64>",…}],"count":"1"}
        guard let first = (answer["kvs"] as? [[String: Any]])?.first else { return nil }
        return EtcdGateway.decodeBase64(first["value"])
    }
}
