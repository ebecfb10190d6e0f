import Foundation
import Synchronization

/// A TCP listener on 127.0.0.1 that is not a MySQL server: it either answers like an HTTP
/// server and hangs up, or accepts and never says anything.
package final class NonMySQLListener: Sendable {
    package enum Behaviour: Sendable { case answersHTTPAndCloses, staysSilent }

    package let port: Int
    private let descriptor: Int32
    private let accepted = Mutex<[Int32]>([])

    package init(_ behaviour: Behaviour) throws {
        // A port can be taken between the allocator's check and our bind (another process);
        // try a few, and say why the last one failed.
        var lastError: Int32 = 0
        for _ in 0..<5 {
            let port = try SandboxPorts.allocate(count: 1)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
            var reuse: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
            let bound = withLoopbackAddress(port: port) { bind(descriptor, $0, $1) }
            if bound == 0, listen(descriptor, 16) == 0 {
                self.port = port
                self.descriptor = descriptor
                let thread = Thread { [self] in self.acceptLoop(behaviour) }
                thread.start()
                return
            }
            lastError = errno
            close(descriptor)
        }
        throw POSIXError(POSIXErrorCode(rawValue: lastError) ?? .EADDRINUSE)
    }

    /// Stops listening and hangs up on everyone.
    package func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))  // wakes the blocked accept()
        close(descriptor)
        accepted.withLock { clients in
            clients.forEach { close($0) }
            clients.removeAll()
        }
    }

    private func acceptLoop(_ behaviour: Behaviour) {
        while true {
            let client = accept(descriptor, nil, nil)
            guard client >= 0 else { return }
            switch behaviour {
            case .answersHTTPAndCloses:
                let reply = "HTTP/1.0 200 OK\r\n"
                _ = reply.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(client)
            case .staysSilent:
                accepted.withLock { $0.append(client) }
            }
        }
    }
}
