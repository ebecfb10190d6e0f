/// An error from the server or from Connector/C, with the server it concerns.
package struct MySQLError: Error, Sendable, CustomStringConvertible, Equatable {
    package var code: UInt32
    package var sqlState: String
    package var message: String
    package var endpoint: MySQLEndpoint?

    package init(code: UInt32, sqlState: String, message: String, endpoint: MySQLEndpoint?) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.endpoint = endpoint
    }

    /// Client-side errors (2000-2999): the connection itself failed, not a statement.
    package var isConnectionFailure: Bool { (2000..<3000).contains(code) }

    package var description: String {
        let prefix = endpoint.map { "\($0): " } ?? ""
        return "\(prefix)Error \(code) (\(sqlState)): \(message)"
    }
}
