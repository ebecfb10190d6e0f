import AsyncHTTPClient
import Foundation


/// Talks to a running orchestrator service's `/api` (ours or orchestrator's own).
struct APIClient {
    let baseURL: String
    /// Sent with every request: HTTP Basic from `ORCHESTRATOR_AUTH_USER`/`ORCHESTRATOR_AUTH_PASSWORD`,
    /// and `ORCHESTRATOR_AUTH_USER_HEADER` (`Name:value`), as orchestrator-client reads them.
    let headers: [(String, String)]

    /// `--api`, else `ORCHESTRATOR_API`, else the local default.
    init(api: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let url = api ?? environment["ORCHESTRATOR_API"] ?? "http://127.0.0.1:3000/api"
        baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        headers = Self.authHeaders(environment)
    }

    static func authHeaders(_ environment: [String: String]) -> [(String, String)] {
        var headers: [(String, String)] = []
        let user = environment["ORCHESTRATOR_AUTH_USER"] ?? "", password = environment["ORCHESTRATOR_AUTH_PASSWORD"] ?? ""
        if !user.isEmpty || !password.isEmpty {
            headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        }
        if let header = environment["ORCHESTRATOR_AUTH_USER_HEADER"], let colon = header.firstIndex(of: ":") {
            headers.append((String(header[..<colon]), header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return headers
    }

    /// GETs `/api/<path>` and returns the parsed JSON body; an `{Code: "ERROR"}` envelope
    /// becomes an error carrying its message.
    func get(_ path: String) async throws -> Any {
        let url = "\(baseURL)/\(path)"
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            var request = HTTPClientRequest(url: url)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 64 << 20)
            try await client.shutdown()
            let data = Data(body.readableBytesView)
            guard let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
                throw ClientError(message: "unexpected answer from \(url) (HTTP \(response.status.code)): \(String(decoding: data.prefix(200), as: UTF8.self))")
            }
            if let envelope = json as? [String: Any], let code = envelope["Code"] as? String, code == "ERROR" {
                throw ClientError(message: envelope["Message"] as? String ?? "error")
            }
            return json
        } catch let error as ClientError {
            throw error
        } catch {
            try? await client.shutdown()
            throw ClientError(message: "cannot reach orchestrator at \(baseURL): \(error)")
        }
    }

    /// Path segments for an instance: `host/port`, percent-encoded.
    static func instancePath(_ text: String) throws -> String {
        let key = try ParsedInstance(text)
        return "\(encode(key.host))/\(key.port)"
    }

    static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }
}

struct ClientError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
