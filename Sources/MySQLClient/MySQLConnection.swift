/// An async connection: every call runs on the thread pool, one at a time per connection,
/// in the order the calls were made.
package final class MySQLConnection: Sendable {
    package let endpoint: MySQLEndpoint
    private let connection: BlockingMySQLConnection
    private let gate = SerialGate()
    private let pool: MySQLThreadPool

    private init(endpoint: MySQLEndpoint, connection: BlockingMySQLConnection, pool: MySQLThreadPool) {
        self.endpoint = endpoint
        self.connection = connection
        self.pool = pool
    }

    /// Closing can write to the socket; do it on a pool thread, not on whichever thread
    /// happened to drop the last reference.
    deinit {
        let connection = connection
        pool.submit { connection.close() }
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

    /// Runs a statement; returns its rows (`[]` for statements without a result set).
    package func query(_ sql: String) async throws(MySQLError) -> [MySQLRow] {
        try await serially { connection throws(MySQLError) in try connection.query(sql) }
    }

    /// Runs a statement; returns the affected rows.
    @discardableResult
    package func execute(_ sql: String) async throws(MySQLError) -> UInt64 {
        try await serially { connection throws(MySQLError) in try connection.execute(sql) }
    }

    package func ping() async throws(MySQLError) {
        try await serially { connection throws(MySQLError) in try connection.ping() }
    }

    /// The socket descriptor while open. Only for watching readiness: reading or writing it
    /// directly would corrupt the protocol stream.
    package func socketDescriptor() async -> Int32? {
        try? await serially { connection in connection.socketDescriptor }
    }

    /// Idempotent; later calls fail with error 2006.
    package func close() async {
        _ = try? await serially { connection in connection.close() }
    }

    private func serially<T: Sendable>(
        _ body: @escaping @Sendable (BlockingMySQLConnection) throws(MySQLError) -> T
    ) async throws(MySQLError) -> T {
        let connection = connection
        return try await gate.withGate { () async throws(MySQLError) -> T in
            try await pool.run { () throws(MySQLError) -> T in try body(connection) }
        }
    }
}
