import CMariaDB
import Secrets

/// One Connector/C connection. Blocking and not thread-safe: used by one thread at a time.
/// It is `Sendable` only so that the pool thread that opened it can hand it to its owner;
/// `MySQLConnection` serialises every later use behind its gate.
package final class BlockingMySQLConnection: @unchecked Sendable {
    private var handle: UnsafeMutablePointer<MYSQL>?
    package let endpoint: MySQLEndpoint

    /// `mysql_library_init` is a macro Swift cannot call; its function is `mysql_server_init`.
    /// It must run once before any thread uses the library.
    private static let libraryInitialised: Bool = mysql_server_init(0, nil, nil) == 0

    package init(endpoint: MySQLEndpoint, credentials: MySQLCredentials, options: MySQLConnectionOptions) throws(MySQLError) {
        self.endpoint = endpoint
        guard Self.libraryInitialised, let handle = mysql_init(nil) else {
            throw MySQLError(code: 2008, sqlState: "HY000", message: "cannot initialise the MariaDB client library", endpoint: endpoint)
        }
        self.handle = handle
        var connectTimeout = UInt32(max(1, options.connectTimeoutSeconds))
        var readTimeout = UInt32(max(1, options.readTimeoutSeconds))
        var writeTimeout = UInt32(max(1, options.writeTimeoutSeconds))
        var reconnect: my_bool = 0
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout)
        mysql_options(handle, MYSQL_OPT_READ_TIMEOUT, &readTimeout)
        mysql_options(handle, MYSQL_OPT_WRITE_TIMEOUT, &writeTimeout)
        // A silent reconnect would hide a restarted server and lose session state; callers reconnect.
        mysql_options(handle, MYSQL_OPT_RECONNECT, &reconnect)
        mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        // Explicit, because Connector/C otherwise picks the socket for "localhost" and TCP for the rest.
        var transport = UInt32((options.unixSocket == nil ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET).rawValue)
        mysql_options(handle, MYSQL_OPT_PROTOCOL, &transport)
        if let bindAddress = options.bindAddress { mysql_options(handle, MYSQL_OPT_BIND, bindAddress) }
        if let tls = options.tls { Self.require(tls, on: handle) }
        let connected = mysql_real_connect(
            handle, endpoint.host, credentials.user, credentials.password.revealed, nil, UInt32(endpoint.port), options.unixSocket, 0
        )
        guard connected != nil else {
            let error = lastError()
            close()
            throw error
        }
        // Connector/C carries on in plain text when the server offers no TLS, even when asked
        // to enforce it: check the session, and refuse rather than send credentials unencrypted.
        if options.tls != nil, mysql_get_ssl_cipher(handle) == nil {
            close()
            throw MySQLError(
                code: 2026, sqlState: "HY000", message: "TLS is required but the server does not offer it (have_ssl is not YES)", endpoint: endpoint
            )
        }
    }

    deinit { close() }

    /// Connector/C's TLS options. `MYSQL_OPT_SSL_ENFORCE` makes a server without TLS fail the
    /// connection instead of continuing in plain text.
    private static func require(_ tls: MySQLTLSOptions, on handle: UnsafeMutablePointer<MYSQL>) {
        var enforce: my_bool = 1
        mysql_options(handle, MYSQL_OPT_SSL_ENFORCE, &enforce)
        // Connector/C checks the chain against a CA it is given even with verification off:
        // skipping verification means not handing it over.
        if !tls.caFile.isEmpty, tls.verifiesServerCertificate { mysql_options(handle, MYSQL_OPT_SSL_CA, tls.caFile) }
        if !tls.certificateFile.isEmpty { mysql_options(handle, MYSQL_OPT_SSL_CERT, tls.certificateFile) }
        if !tls.privateKeyFile.isEmpty { mysql_options(handle, MYSQL_OPT_SSL_KEY, tls.privateKeyFile) }
        var verify: my_bool = tls.verifiesServerCertificate ? 1 : 0
        mysql_options(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify)
    }

    /// Runs a statement; returns its rows (`[]` for statements without a result set).
    package func query(_ sql: String) throws(MySQLError) -> [MySQLRow] {
        guard let handle else { throw closedError() }
        guard mysql_real_query(handle, sql, UInt(sql.utf8.count)) == 0 else { throw lastError() }
        guard let result = mysql_store_result(handle) else {
            if mysql_field_count(handle) == 0 { return [] }
            throw lastError()
        }
        defer { mysql_free_result(result) }
        let fieldCount = Int(mysql_num_fields(result))
        var columns: [String] = []
        columns.reserveCapacity(fieldCount)
        if let fields = mysql_fetch_fields(result) {
            for index in 0..<fieldCount {
                columns.append(fields[index].name.map { String(cString: $0) } ?? "")
            }
        }
        var rows: [MySQLRow] = []
        rows.reserveCapacity(Int(mysql_num_rows(result)))
        while let row = mysql_fetch_row(result) {
            let lengths = mysql_fetch_lengths(result)
            var values: [String?] = []
            values.reserveCapacity(fieldCount)
            for index in 0..<fieldCount {
                guard let cell = row[index] else { values.append(nil); continue }
                let length = Int(lengths?[index] ?? 0)
                values.append(cell.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                    String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
                })
            }
            rows.append(MySQLRow(columns: columns, values: values))
        }
        return rows
    }

    /// Runs a statement without a result set; returns the affected rows.
    @discardableResult
    package func execute(_ sql: String) throws(MySQLError) -> UInt64 {
        guard let handle else { throw closedError() }
        guard mysql_real_query(handle, sql, UInt(sql.utf8.count)) == 0 else { throw lastError() }
        if let result = mysql_store_result(handle) { mysql_free_result(result) }
        let affected = mysql_affected_rows(handle)
        return affected == UInt64.max ? 0 : affected
    }

    package func ping() throws(MySQLError) {
        guard let handle else { throw closedError() }
        guard mysql_ping(handle) == 0 else { throw lastError() }
    }

    /// Idempotent.
    package func close() {
        if let handle { mysql_close(handle) }
        handle = nil
    }

    package var isOpen: Bool { handle != nil }

    /// The connection's socket, for callers that watch it for a hang-up without reading.
    package var socketDescriptor: Int32? {
        guard let handle else { return nil }
        let socket = mysql_get_socket(handle)
        return socket >= 0 ? Int32(socket) : nil
    }

    private func lastError() -> MySQLError {
        guard let handle else { return closedError() }
        let message = String(cString: mysql_error(handle))
        return MySQLError(code: mysql_errno(handle), sqlState: String(cString: mysql_sqlstate(handle)), message: message, endpoint: endpoint)
    }

    private func closedError() -> MySQLError {
        MySQLError(code: 2006, sqlState: "HY000", message: "connection is closed", endpoint: endpoint)
    }
}
