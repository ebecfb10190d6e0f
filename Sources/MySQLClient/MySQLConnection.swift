import Synchronization

/// An async connection: every call runs on the thread pool, one at a time per connection.
package final class MySQLConnection: Sendable {
    package let endpoint: MySQLEndpoint
    private let connection: Mutex<BlockingMySQLConnection>
    private let pool: MySQLThreadPool

    private init(endpoint: MySQLEndpoint, connection: BlockingMySQLConnection, pool: MySQLThreadPool) {
        self.endpoint = endpoint
        self.connection = Mutex(connection)
        self.pool = pool
    }

    package static func connect(
        to endpoint: MySQLEndpoint, credentials: MySQLCredentials, options: MySQLConnectionOptions = .init(),
        pool: MySQLThreadPool = .shared
    ) async throws(MySQLError) -> MySQLConnection {
        let blocking = try await pool.run { () throws(MySQLError) -> BlockingMySQLConnection in
            try BlockingMySQLConnection(endpoint: endpoint, credentials: credentials, options: options)
        }
        return MySQLConnection(endpoint: endpoint, connection: blocking, pool: pool)
    }

    package func query(_ sql: String) async throws(MySQLError) -> [MySQLRow] {
        try await pool.run { () throws(MySQLError) -> [MySQLRow] in
            try self.connection.withLock { connection throws(MySQLError) -> [MySQLRow] in try connection.query(sql) }
        }
    }

    @discardableResult
    package func execute(_ sql: String) async throws(MySQLError) -> UInt64 {
        try await pool.run { () throws(MySQLError) -> UInt64 in
            try self.connection.withLock { connection throws(MySQLError) -> UInt64 in try connection.execute(sql) }
        }
    }

    package func ping() async throws(MySQLError) {
        try await pool.run { () throws(MySQLError) in
            try self.connection.withLock { connection throws(MySQLError) in try connection.ping() }
        }
    }

    package func close() async {
        _ = try? await pool.run { self.connection.withLock { $0.close() } }
    }
}

