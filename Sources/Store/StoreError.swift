import Foundation
import GRDB

/// A store failure, saying what failed and where:
/// `store /var/lib/orchestrator.sqlite3: cannot open: file is not a database (SQLite error 26)`.
package struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What was being done: `open`, `upsert 3 instances`, `read audit`, …
    package var operation: String
    /// The database file, or `:memory:`.
    package var path: String
    package var reason: String

    package init(operation: String, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    /// Wraps an underlying failure; SQLite errors are reduced to their message and code,
    /// without GRDB's SQL statement dump.
    init(operation: String, path: String, cause: any Error) {
        let reason: String = switch cause {
        case let error as StoreError: error.reason
        case let error as DatabaseError: "\(error.message ?? "SQLite error") (SQLite error \(error.extendedResultCode.rawValue))"
        default: "\(cause)"
        }
        self.init(operation: operation, path: path, reason: reason)
    }

    package var description: String { "store \(path): cannot \(operation): \(reason)" }
}
