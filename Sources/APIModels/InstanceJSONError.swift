/// Why a JSON document is not what orchestrator would have sent: names the document (its index
/// in a list and its `host:port` once known) and the field, e.g.
/// `instance #2 (127.0.0.1:10113): field SecondsBehindMaster: expected {"Int64":…,"Valid":…}`.
package struct InstanceJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of document: `instance`, `cluster info`, …
    package var document: String
    /// Position in the enclosing array, when the document is one element of a list.
    package var index: Int?
    /// `host:port` of the instance, once its key has been read.
    package var instance: String?
    /// The offending field, dotted for nested members (`Key.Port`); `nil` when the document as
    /// a whole is wrong (not JSON, not an object).
    package var field: String?
    package var reason: String

    package init(document: String = "instance", index: Int? = nil, instance: String? = nil, field: String? = nil, reason: String) {
        self.document = document
        self.index = index
        self.instance = instance
        self.field = field
        self.reason = reason
    }

    package var description: String {
        var subject = document
        if let index { subject += " #\(index)" }
        if let instance { subject += " (\(instance))" }
        if let field { subject += ": field \(field)" }
        return "\(subject): \(reason)"
    }

    /// The same error, located at `index` of a list.
    func at(index: Int) -> InstanceJSONError {
        var located = self
        located.index = index
        return located
    }
}
