import AsyncHTTPClient
import Foundation


/// Talks to a running orchestrator service's `/api` (ours or orchestrator's own).
struct APIClient {
    /// Every API URL given; with several (nodes led through etcd, as orchestrator-client takes
    /// them), requests go to the one answering `leader-check`.
    let apis: [String]
    /// Sent with every request: HTTP Basic from `ORCHESTRATOR_AUTH_USER`/`ORCHESTRATOR_AUTH_PASSWORD`,
    /// and `ORCHESTRATOR_AUTH_USER_HEADER` (`Name:value`), as orchestrator-client reads them.
    let headers: [(String, String)]

    /// `--api`, else `ORCHESTRATOR_API`, else the local default; several URLs are separated by
    /// spaces or commas.
    init(api: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let urls = (api ?? environment["ORCHESTRATOR_API"] ?? "http://127.0.0.1:3000/api").split { $0 == " " || $0 == "," }.map(String.init)
        apis = (urls.isEmpty ? ["http://127.0.0.1:3000/api"] : urls).map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        headers = Self.authHeaders(environment)
    }

    /// The API to talk to: the only one given, or the first answering `leader-check` with 200
    /// (else the first, whose answer then says what is wrong).
    func baseURL(_ client: HTTPClient) async -> String {
        guard apis.count > 1 else { return apis[0] }
        for api in apis {
            var request = HTTPClientRequest(url: api + "/leader-check")
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            guard let response = try? await client.execute(request, timeout: .seconds(1)) else { continue }
            _ = try? await response.body.collect(upTo: 1 << 16)
            if response.status == .ok { return api }
        }
        return apis[0]
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
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let baseURL = await baseURL(client)
        let url = "\(baseURL)/\(path)"
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
