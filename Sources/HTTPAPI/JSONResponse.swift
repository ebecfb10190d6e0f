import APIModels
import Hummingbird

/// Builds JSON responses the way orchestrator writes them: compact, Go escaping, no trailing newline.
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=UTF-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    static func ok(_ message: String, details: JSONValue = .null) -> Response {
        make(APIEnvelope.ok(message, details: details))
    }

    static func failure(_ failure: APIFailure) -> Response {
        var response = make(APIEnvelope.error(failure.message, details: failure.details), status: failure.status)
        if let challenge = failure.challenge { response.headers[.wwwAuthenticate] = challenge }
        return response
    }
}
