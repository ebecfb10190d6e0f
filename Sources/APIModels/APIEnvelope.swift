/// orchestrator's answer envelope `{"Code":…,"Message":…,"Details":…}`, keys in that order;
/// `Details` is `null` when there is nothing to attach.
package enum APIEnvelope {
    package static func ok(_ message: String, details: JSONValue = .null) -> JSONValue {
        make(code: "OK", message: message, details: details)
    }

    package static func error(_ message: String, details: JSONValue = .null) -> JSONValue {
        make(code: "ERROR", message: message, details: details)
    }

    private static func make(code: String, message: String, details: JSONValue) -> JSONValue {
        .object([("Code", .string(code)), ("Message", .string(message)), ("Details", details)])
    }
}
