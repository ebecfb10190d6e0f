import Foundation

/// A JSON document that keeps object members in the order they were built and serialises the
/// way Go's `encoding/json` does (see `serialized()`), so our answers match orchestrator's bytes.
/// Foundation's `JSONEncoder` guarantees neither the key order nor Go's escaping.
package indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in output order. Keys should be unique; the first one wins on lookup.
    case object([(String, JSONValue)])

    /// Structural equality. Object members compare as a set of key/value pairs, ignoring order,
    /// because parsed documents lose their key order (see `init(parsing:)`) and must still
    /// compare equal to the ones we build. `.int(3)` equals `.double(3)` for the same reason.
    /// Byte-exact comparisons (key order included) compare `serialized()` texts instead.
    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.double(a), .double(b)): a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): Double(a) == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)):
            a.count == b.count && a.allSatisfy { key, value in rhs[key] == value }
        default: false
        }
    }

    /// The member named `key` of an object; `nil` for a missing member or a non-object.
    package subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    package var isNull: Bool { self == .null }
    package var stringValue: String? { if case let .string(value) = self { value } else { nil } }
    package var boolValue: Bool? { if case let .bool(value) = self { value } else { nil } }
    package var arrayValue: [JSONValue]? { if case let .array(value) = self { value } else { nil } }
    package var objectValue: [(String, JSONValue)]? { if case let .object(value) = self { value } else { nil } }

    /// An integer, also from a whole-valued double (parsers may hand numbers back as doubles).
    package var intValue: Int64? {
        switch self {
        case let .int(value): value
        case let .double(value): Int64(exactly: value)
        default: nil
        }
    }

    package var doubleValue: Double? {
        switch self {
        case let .int(value): Double(value)
        case let .double(value): value
        default: nil
        }
    }
}
