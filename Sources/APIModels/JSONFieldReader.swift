import Topology

/// Typed reads of an object's members where a missing or `null` member takes a default and a
/// member of the wrong type is an error naming the field (orchestrator always sends every key,
/// but older versions and hand-written documents may not).
struct JSONFieldReader {
    let object: JSONValue
    /// The members by name (the first of duplicates wins, as in `JSONValue`'s subscript):
    /// an Instance has 87 of them, too many for a linear search per field.
    private let members: [String: JSONValue]
    /// Carries the document, index and instance; each failure fills in field and reason.
    let error: InstanceJSONError
    /// Path of `object` inside the document (`SelfBinlogCoordinates.`), so nested failures
    /// name the whole path.
    var path = ""

    init(object: JSONValue, error: InstanceJSONError, path: String = "") {
        self.object = object
        self.error = error
        self.path = path
        members = Dictionary((object.objectValue ?? []).map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
    }

    func fail(_ field: String, _ reason: String) -> InstanceJSONError {
        var failure = error
        failure.field = path + field
        failure.reason = reason
        return failure
    }

    func fail(_ field: String, expected: String) -> InstanceJSONError {
        fail(field, "expected \(expected)")
    }

    private func nested(_ member: JSONValue, at field: String) -> JSONFieldReader {
        JSONFieldReader(object: member, error: error, path: path + field + ".")
    }

    /// The member, or `nil` when missing or `null`.
    func member(_ field: String) -> JSONValue? {
        guard let member = members[field], !member.isNull else { return nil }
        return member
    }

    func string(_ field: String, default fallback: String = "") throws(InstanceJSONError) -> String {
        guard let member = member(field) else { return fallback }
        guard let text = member.stringValue else { throw fail(field, expected: "a string") }
        return text
    }

    func int(_ field: String) throws(InstanceJSONError) -> Int64 {
        guard let member = member(field) else { return 0 }
        guard let number = member.intValue else { throw fail(field, expected: "an integer") }
        return number
    }

    func bool(_ field: String) throws(InstanceJSONError) -> Bool {
        guard let member = member(field) else { return false }
        guard let flag = member.boolValue else { throw fail(field, expected: "true or false") }
        return flag
    }

    /// Go's `sql.NullInt64`; a bare integer is accepted too.
    func nullInt(_ field: String) throws(InstanceJSONError) -> Int64? {
        guard let member = member(field) else { return nil }
        if let number = member.intValue { return number }
        guard let valid = member["Valid"]?.boolValue else { throw fail(field, expected: #"{"Int64":…,"Valid":…}"#) }
        guard valid else { return nil }
        guard let number = member["Int64"]?.intValue else { throw fail("\(field).Int64", expected: "an integer") }
        return number
    }

    func coordinates(_ field: String, defaultType: BinlogCoordinates.LogType = .binary) throws(InstanceJSONError) -> BinlogCoordinates {
        guard let member = member(field) else { return BinlogCoordinates(type: defaultType) }
        guard case .object = member else { throw fail(field, expected: #"{"LogFile":…,"LogPos":…,"Type":…}"#) }
        let reader = nested(member, at: field)
        let rawType = try reader.int("Type")
        guard let type = BinlogCoordinates.LogType(rawValue: Int(rawType)) else { throw reader.fail("Type", expected: "0 or 1") }
        return BinlogCoordinates(logFile: try reader.string("LogFile"), logPos: try reader.int("LogPos"), type: type)
    }

    /// An `InstanceKey` object. A required key must name a host and a port; an optional one
    /// may be missing or empty (`{"Hostname":"","Port":0}`, the master key of a master).
    func key(_ field: String, required: Bool) throws(InstanceJSONError) -> InstanceKey {
        guard let member = member(field) else {
            guard !required else { throw fail(field, "missing") }
            return InstanceKey(hostname: "", port: 0)
        }
        guard case .object = member else { throw fail(field, expected: #"{"Hostname":…,"Port":…}"#) }
        let reader = nested(member, at: field)
        guard let host = member["Hostname"]?.stringValue else { throw reader.fail("Hostname", expected: "a string") }
        guard let port = member["Port"]?.intValue, let intPort = Int(exactly: port) else { throw reader.fail("Port", expected: "an integer") }
        if required, host.isEmpty || intPort <= 0 { throw fail(field, expected: "a host name and a port above 0") }
        return InstanceKey(hostname: host, port: intPort)
    }

    /// An array of `InstanceKey` objects; missing or `null` is empty.
    func keys(_ field: String) throws(InstanceJSONError) -> [InstanceKey] {
        guard let member = member(field) else { return [] }
        guard let elements = member.arrayValue else { throw fail(field, expected: "an array of keys") }
        var keys: [InstanceKey] = []
        for (index, element) in elements.enumerated() {
            // Read each element as the only member of a one-member object, so that failures
            // name it `Replicas[2]`.
            let element = JSONFieldReader(object: .object([("\(field)[\(index)]", element)]), error: error, path: path)
            keys.append(try element.key("\(field)[\(index)]", required: true))
        }
        return keys
    }
}
