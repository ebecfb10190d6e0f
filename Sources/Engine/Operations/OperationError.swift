import Topology

/// A server operation that failed, naming the operation and the server.
package struct OperationError: Error, Sendable, Equatable, CustomStringConvertible {
    package var key: InstanceKey
    package var operation: String
    package var reason: String

    package init(key: InstanceKey, operation: String, reason: String) {
        self.key = key
        self.operation = operation
        self.reason = reason
    }

    package var description: String { "cannot \(operation) on \(key): \(reason)" }
}
