import APIModels
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import Topology

/// `submit-masters-to-kv-stores`: what it writes, and a store that refuses.
struct KVRoutesTests {
    let routes = RoutesTests()

    @Test func submitsEachWritableMasterAndNamesAStoreThatRefuses() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/api/submit-masters-to-kv-stores", method: .get) { response in
                #expect(response.status == .ok)
                let body = routes.json(response)
                #expect(body["Message"]?.stringValue == "Submitted 1 masters")
                let pairs = body["Details"]?.arrayValue?.compactMap { pair in pair["Key"]?.stringValue.map { ($0, pair["Value"]?.stringValue ?? "") } } ?? []
                #expect(pairs.first?.0 == "mysql/master/shop" && pairs.first?.1 == "db:3306")
                #expect(pairs.map(\.0).dropFirst() == ["mysql/master/shop/hostname", "mysql/master/shop/port", "mysql/master/shop/ipv4", "mysql/master/shop/ipv6"])
            }
            try await client.execute(uri: "/api/submit-masters-to-kv-stores/nosuchcluster", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        let deadPort = 1  // nothing listens on 127.0.0.1:1
        try await routes.withApp(kvStores: [EtcdKVStore(endpoints: ["http://127.0.0.1:\(deadPort)"], timeout: .milliseconds(300))]) { client in
            try await client.execute(uri: "/api/submit-masters-to-kv-stores/db:3306", method: .get) { response in
                #expect(response.status == .badGateway)
                let message = routes.json(response)["Message"]?.stringValue ?? ""
                #expect(message.contains("etcd http://127.0.0.1:\(deadPort)"), "\(message)")
            }
        }
    }
}
