import Topology

/// A value with an orchestrator JSON form.
package protocol JSONRepresentable {
    var json: JSONValue { get }
}

extension InstanceKey: JSONRepresentable {
    package var json: JSONValue { .object([("Hostname", .string(hostname)), ("Port", .int(Int64(port)))]) }
}

extension BinlogCoordinates: JSONRepresentable {
    package var json: JSONValue {
        .object([("LogFile", .string(logFile)), ("LogPos", .int(logPos)), ("Type", .int(Int64(type.rawValue)))])
    }
}

extension Optional where Wrapped == Int64 {
    /// Go's `sql.NullInt64`.
    var nullInt64: JSONValue {
        .object([("Int64", .int(self ?? 0)), ("Valid", .bool(self != nil))])
    }
}
