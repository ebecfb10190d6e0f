import Foundation

/// A JSON document that keeps object keys in order and serialises the way Go's
/// `encoding/json` does (compact, `<` `>` `&` escaped), so answers match orchestrator's bytes.
package indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

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
            a.count == b.count && a.allSatisfy { key, value in b.contains { $0.0 == key && $0.1 == value } }
        default: false
        }
    }

    package subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    package var stringValue: String? { if case let .string(value) = self { value } else { nil } }
    package var boolValue: Bool? { if case let .bool(value) = self { value } else { nil } }
    package var arrayValue: [JSONValue]? { if case let .array(value) = self { value } else { nil } }
    package var objectValue: [(String, JSONValue)]? { if case let .object(value) = self { value } else { nil } }
    package var intValue: Int64? {
        switch self {
        case let .int(value): value
        case let .double(value) where value == value.rounded() && abs(value) < 9.2e18: Int64(value)
        default: nil
        }
    }
}
