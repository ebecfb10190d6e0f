/// orchestrator's `{Code, Message, Details}` answer.
package enum APIEnvelope {
    package static func ok(_ message: String, details: JSONValue = .null) -> JSONValue {
        .object([("Code", .string("OK")), ("Message", .string(message)), ("Details", details)])
    }

    package static func error(_ message: String, details: JSONValue = .null) -> JSONValue {
        .object([("Code", .string("ERROR")), ("Message", .string(message)), ("Details", details)])
    }
}
