import Topology

/// A value with an orchestrator JSON form.
package protocol JSONRepresentable {
    var json: JSONValue { get }
}

extension InstanceKey: JSONRepresentable {
    /// `{"Hostname":…,"Port":…}`; the empty key is `{"Hostname":"","Port":0}`.
    package var json: JSONValue { .object([("Hostname", .string(hostname)), ("Port", .int(Int64(port)))]) }
}

extension BinlogCoordinates: JSONRepresentable {
    /// `{"LogFile":…,"LogPos":…,"Type":0|1}` (0 binary log, 1 relay log).
    package var json: JSONValue {
        .object([("LogFile", .string(logFile)), ("LogPos", .int(logPos)), ("Type", .int(Int64(type.rawValue)))])
    }
}

extension JSONValue {
    /// Go's `sql.NullInt64`: `{"Int64":n,"Valid":true}`, or `{"Int64":0,"Valid":false}` for `nil`.
    package static func nullInt64(_ value: Int64?) -> JSONValue {
        .object([("Int64", .int(value ?? 0)), ("Valid", .bool(value != nil))])
    }
}
