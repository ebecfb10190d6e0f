import HTTPTypes

/// An answer other than success: its HTTP status (truthful, unlike orchestrator's blanket 500)
/// and the message that goes into the `{Code: "ERROR", Message}` envelope.
package struct APIFailure: Error, Sendable, CustomStringConvertible {
    package var status: HTTPResponse.Status
    package var message: String

    package init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    package static func badRequest(_ message: String) -> APIFailure { APIFailure(.badRequest, message) }
    package static func notFound(_ message: String) -> APIFailure { APIFailure(.notFound, message) }
    package static func unprocessable(_ message: String) -> APIFailure { APIFailure(.unprocessableContent, message) }
    package static func internalError(_ message: String) -> APIFailure { APIFailure(.internalServerError, message) }

    package var description: String { "\(status.code) \(message)" }
}
