import CZooKeeper
import Foundation
import Topology

/// ZooKeeper through its C client (`kv-and-ha.md` A.6): each write opens a short session, sets
/// `/<key>` (creating it and its parents when missing), and closes. The client blocks, so it
/// runs on a thread of its own, never on the cooperative pool.
package struct ZooKeeperKVStore: KVStore {
    /// `ZkAddress`: `host[:port][,host[:port]…]`, port 2181 by default.
    package var address: String
    package var timeout: Duration

    package init(address: String, timeout: Duration = .seconds(2)) {
        self.address = address
        self.timeout = timeout
    }

    package var name: String { "zookeeper \(address)" }

    package func put(_ pairs: [KVPair]) async throws(KVError) {
        try await onOwnThread(key: pairs.first?.key ?? "") { handle throws(KVError) in try Self.put(pairs, handle, name: name) }
    }

    package func get(_ key: String) async throws(KVError) -> String? {
        try await onOwnThread(key: key) { handle throws(KVError) in
            var buffer = [CChar](repeating: 0, count: 1 << 16)
            var length = Int32(buffer.count)
            let code = zoo_get(handle, "/" + key.drop { $0 == "/" }, 0, &buffer, &length, nil)
            if code == ZNONODE.rawValue { return nil }
            guard code == ZOK.rawValue else { throw KVError(store: name, key: key, reason: String(cString: zerror(code))) }
            return String(decoding: buffer.prefix(Int(max(0, length))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Opens a session on a new thread, runs `body` with it, closes it.
    private func onOwnThread<T: Sendable>(key: String, _ body: @escaping @Sendable (OpaquePointer) throws(KVError) -> T) async throws(KVError) -> T {
        let hosts = address.split(separator: ",").map { $0.contains(":") ? String($0) : "\($0):2181" }.joined(separator: ",")
        let name = name, timeout = timeout
        let result: Result<T, KVError> = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: Result { () throws(KVError) -> T in
                    let handle = try Self.connect(hosts: hosts, name: name, key: key, timeout: timeout)
                    defer { zookeeper_close(handle) }
                    return try body(handle)
                })
            }.start()
        }
        return try result.get()
    }

    private static func connect(hosts: String, name: String, key firstKey: String, timeout: Duration) throws(KVError) -> OpaquePointer {
        let milliseconds = Int32(clamping: timeout.wholeMilliseconds)
        guard let handle = orc_zk_open(hosts, milliseconds) else {
            throw KVError(store: name, key: firstKey, reason: "cannot open a session (errno \(errno))")
        }
        let deadline = ContinuousClock.now + timeout
        while orc_zk_is_connected(handle) == 0 {
            guard ContinuousClock.now < deadline else {
                zookeeper_close(handle)
                throw KVError(store: name, key: firstKey, reason: "not connected within \(timeout)")
            }
            usleep(5_000)
        }
        return handle
    }

    private static func put(_ pairs: [KVPair], _ handle: OpaquePointer, name: String) throws(KVError) {
        for pair in pairs {
            let path = "/" + pair.key.drop { $0 == "/" }
            var code = set(handle, path, pair.value)
            if code == ZNONODE.rawValue {
                createParents(handle, of: path)
                code = create(handle, path, pair.value)
                if code == ZNODEEXISTS.rawValue { code = set(handle, path, pair.value) }
            }
            guard code == ZOK.rawValue else {
                throw KVError(store: name, key: pair.key, reason: String(cString: zerror(code)))
            }
        }
    }

    private static func set(_ handle: OpaquePointer, _ path: String, _ value: String) -> Int32 {
        let bytes = Array(value.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { zoo_set(handle, path, $0.baseAddress, Int32(bytes.count), -1) }
        }
    }

    private static func create(_ handle: OpaquePointer, _ path: String, _ value: String) -> Int32 {
        let bytes = Array(value.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { zoo_create(handle, path, $0.baseAddress, Int32(bytes.count), orc_zk_open_acl(), 0, nil, 0) }
        }
    }

    /// Missing parents get orchestrator's placeholder data.
    private static func createParents(_ handle: OpaquePointer, of path: String) {
        let components = path.split(separator: "/").dropLast()
        var prefix = ""
        for component in components {
            prefix += "/" + component
            _ = create(handle, prefix, "zookeepercli auto-generated")
        }
    }
}
