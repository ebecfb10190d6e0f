import AsyncHTTPClient
import NIOCore
import NIOSSL
import Synchronization

/// The HTTP clients nodes reach each other with (operations forwarded to the leader, peers'
/// probe results), one per TLS setting, kept for the life
/// of the process as `HTTPClient.shared` is (a client must be shut down before it goes away,
/// and forwarding may happen until the very end).
package enum PeerHTTPClients {
    private static let clients = Mutex<[String: HTTPClient]>([:])

    /// A leader that cannot be reached (dead before its lease ran out, a certificate this node
    /// does not trust) is answered for at once, not retried until the operation's deadline:
    /// the client sees 502 and can try again once leadership moved.
    static let connectTimeout: TimeAmount = .seconds(3)

    /// A client as `peerClientTLS` describes with HTTPS, a plain one without.
    package static func client(for https: HTTPSConfiguration?) throws(HTTPSConfigurationError) -> HTTPClient {
        let id = https.map { [$0.caFile, $0.certificateFile, $0.privateKeyFile, "\($0.requiresClientCertificate)", "\($0.skipVerify)"].joined(separator: "\n") } ?? ""
        if let client = clients.withLock({ $0[id] }) { return client }
        var configuration = HTTPClient.Configuration(timeout: .init(connect: connectTimeout))
        configuration.connectionPool.retryConnectionEstablishment = false
        if let https { configuration.tlsConfiguration = try https.peerClientTLS() }
        return clients.withLock { clients in
            if let client = clients[id] { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[id] = client
            return client
        }
    }
}
