import APIModels
import HTTPTypes

/// An answer other than success: its HTTP status (truthful, unlike orchestrator's blanket 500)
/// and the message that goes into the `{Code: "ERROR", Message}` envelope.
package struct APIFailure: Error, Sendable, CustomStringConvertible {
    package var status: HTTPResponse.Status
    package var message: String
    /// The envelope's `Details` (orchestrator puts the instance key or recovery there).
    package var details: JSONValue = .null
    /// The `WWW-Authenticate` challenge a 401 carries.
    package var challenge: String?

    package init(_ status: HTTPResponse.Status, _ message: String, details: JSONValue = .null) {
        self.status = status
        self.message = message
        self.details = details
    }

    package static func badRequest(_ message: String) -> APIFailure { APIFailure(.badRequest, message) }
    package static func notFound(_ message: String) -> APIFailure { APIFailure(.notFound, message) }
    package static func unprocessable(_ message: String) -> APIFailure { APIFailure(.unprocessableContent, message) }
    /// A refused or unsuccessful operation.
    package static func conflict(_ message: String, details: JSONValue = .null) -> APIFailure { APIFailure(.conflict, message, details: details) }
    /// No credentials, or wrong ones: the client should authenticate (HTTP Basic).
    package static func unauthorized(_ message: String) -> APIFailure {
        var failure = APIFailure(.unauthorized, message)
        failure.challenge = HTTPAccessPolicy.challenge
        return failure
    }
    /// Authenticated (or not asked to be), but not allowed to do this.
    package static func forbidden(_ message: String) -> APIFailure { APIFailure(.forbidden, message) }
    package static func internalError(_ message: String) -> APIFailure { APIFailure(.internalServerError, message) }

    package var description: String { "\(status.code) \(message)" }
}
