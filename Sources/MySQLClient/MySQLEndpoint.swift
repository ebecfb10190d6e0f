import Secrets

/// Where a server listens.
package struct MySQLEndpoint: Sendable, Hashable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A user and password; the password is a `Secret`, so neither these credentials nor an error
/// or log line that includes them ever shows it.
package struct MySQLCredentials: Sendable, CustomStringConvertible {
    package var user: String
    package var password: Secret

    package init(user: String, password: Secret) {
        self.user = user
        self.password = password
    }

    package init(user: String, password: String) {
        self.init(user: user, password: Secret(password))
    }

    package var description: String { "\(user):<redacted>" }
}

/// Timeouts bound every call, so a dead or hanging server costs at most these many seconds.
package struct MySQLConnectionOptions: Sendable {
    package var connectTimeoutSeconds: Int
    package var readTimeoutSeconds: Int
    package var writeTimeoutSeconds: Int
    package var unixSocket: String?
    /// Local address to connect from (`MYSQL_OPT_BIND`), for multi-homed hosts and for tests
    /// that cut this client alone off from a server.
    package var bindAddress: String?
    /// `nil`: plain text (or whatever the server's defaults negotiate); set: TLS required.
    package var tls: MySQLTLSOptions?

    package init(
        connectTimeoutSeconds: Int = 2, readTimeoutSeconds: Int = 1, writeTimeoutSeconds: Int = 1, unixSocket: String? = nil,
        bindAddress: String? = nil, tls: MySQLTLSOptions? = nil
    ) {
        self.tls = tls
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.readTimeoutSeconds = readTimeoutSeconds
        self.writeTimeoutSeconds = writeTimeoutSeconds
        self.unixSocket = unixSocket
        self.bindAddress = bindAddress
    }
}
