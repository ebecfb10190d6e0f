import Engine
import Foundation
import Glibc
import Testing
import Topology

/// Discovering something that is not a reachable MySQL server fails clearly and stores nothing.
@Suite(.timeLimit(.minutes(2)))
struct DiscoveryFailureTests {
    @Test func closedPortFailsWithClearError() async throws {
        let port = try closedPort()
        try await withDiscovery { discovery, store in
            let error = await #expect(throws: ProbeError.self) { try await discovery.discover(localKey(port)) }
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
            #expect(error?.underlying.isConnectionFailure == true)
            #expect(await discovery.registry.allInstances().isEmpty)
            await discovery.flush()
            let stored = try await store.allInstances()
            #expect(stored.isEmpty)
        }
    }

    @Test func nonMySQLPortFailsWithinTimeouts() async throws {
        let listener = try SilentListener(greeting: "HTTP/1.0 400 Bad Request\r\n\r\n")
        defer { listener.close() }
        try await withDiscovery { discovery, store in
            let started = ContinuousClock.now
            let error = await #expect(throws: ProbeError.self) { try await discovery.discover(localKey(listener.port)) }
            #expect(ContinuousClock.now - started < .seconds(6))
            #expect(error?.description.contains("127.0.0.1:\(listener.port)") == true)
            #expect(await discovery.registry.allInstances().isEmpty)
            await discovery.flush()
            let stored = try await store.allInstances()
            #expect(stored.isEmpty)
        }
    }

    @Test func silentPortFailsWithinTimeouts() async throws {
        let listener = try SilentListener(greeting: nil)
        defer { listener.close() }
        try await withDiscovery { discovery, _ in
            let started = ContinuousClock.now
            await #expect(throws: ProbeError.self) { try await discovery.discover(localKey(listener.port)) }
            #expect(ContinuousClock.now - started < .seconds(8))
            #expect(await discovery.registry.allInstances().isEmpty)
        }
    }
}

/// A port on 127.0.0.1 that nothing listens on: bind, read the port, close.
func closedPort() throws -> Int {
    let listener = try SilentListener(greeting: nil, listen: false)
    let port = listener.port
    listener.close()
    return port
}

/// A TCP listener on 127.0.0.1 that accepts connections in a thread and either writes a
/// non-MySQL greeting and closes, or says nothing.
final class SilentListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private var accepted: [Int32] = []
    private let lock = NSLock()

    init(greeting: String?, listen shouldListen: Bool = true) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        fd = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        guard shouldListen else { return }
        Glibc.listen(descriptor, 16)
        let listenerFD = descriptor
        Thread.detachNewThread { [weak self] in
            while true {
                let client = accept(listenerFD, nil, nil)
                if client < 0 { return }
                if let greeting {
                    _ = greeting.withCString { write(client, $0, strlen($0)) }
                    Glibc.close(client)
                } else {
                    self?.lock.withLock { self?.accepted.append(client) }
                }
            }
        }
    }

    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        lock.withLock { accepted.forEach { _ = Glibc.close($0) } }
    }
}
