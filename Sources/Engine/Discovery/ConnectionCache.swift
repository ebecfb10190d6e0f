import MySQLClient
import Topology

/// Keeps one open probe connection per instance, so a poll costs queries, not a handshake.
/// A connection that failed is dropped; the next probe reconnects.
package actor ConnectionCache {
    private var connections: [InstanceKey: MySQLConnection] = [:]
    private let credentials: MySQLCredentials
    private let options: MySQLConnectionOptions

    package init(credentials: MySQLCredentials, options: MySQLConnectionOptions) {
        self.credentials = credentials
        self.options = options
    }

    /// A cached connection, if any, and whether it came from the cache.
    func connection(for key: InstanceKey, fresh: Bool) async throws(MySQLError) -> MySQLConnection {
        if !fresh, let cached = connections[key] { return cached }
        if let stale = connections.removeValue(forKey: key) { await stale.close() }
        let connection = try await MySQLConnection.connect(
            to: MySQLEndpoint(host: key.hostname, port: key.port), credentials: credentials, options: options
        )
        // Another probe may have raced us; keep one and close the other.
        if let raced = connections[key] {
            await connection.close()
            return raced
        }
        connections[key] = connection
        return connection
    }

    func isCached(_ key: InstanceKey) -> Bool { connections[key] != nil }

    func drop(_ key: InstanceKey) async {
        if let connection = connections.removeValue(forKey: key) { await connection.close() }
    }

    package func closeAll() async {
        let all = connections.values
        connections.removeAll()
        for connection in all { await connection.close() }
    }
}
