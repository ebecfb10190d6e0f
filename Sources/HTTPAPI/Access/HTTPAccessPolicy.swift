import Foundation
import HTTPTypes

/// Who may do what over HTTP: the authentication keys of the configuration file
/// (`AuthenticationMethod`, `HTTPAuthUser`, `HTTPAuthPassword`, `AuthUserHeader`,
/// `PowerAuthUsers`, `ReadOnly`). A pure function of the request headers, so every method is
/// tested without a server.
package struct HTTPAccessPolicy: Sendable, CustomStringConvertible {
    package var method: AuthenticationMethod = .open
    /// `HTTPAuthUser`, for `basic` and `multi`.
    package var user = ""
    /// `HTTPAuthPassword`: compared, never printed (`description` redacts it).
    package var password = ""
    /// `AuthUserHeader`, for `proxy`.
    package var userHeader = "X-Forwarded-User"
    /// `PowerAuthUsers`, for `proxy`: who may operate; `*` is everyone.
    package var powerUsers = ["*"]
    /// `ReadOnly`: every operation is refused, whoever asks.
    package var readOnly = false

    package static let open = HTTPAccessPolicy()

    /// orchestrator's realm, so a client looking for it finds what it knows.
    package static let challenge = #"Basic realm="Authorization Required""#
    /// The user `multi` lets in with any password, to read only.
    package static let readOnlyUser = "readonly"

    package init(
        method: AuthenticationMethod = .open, user: String = "", password: String = "", userHeader: String = "X-Forwarded-User",
        powerUsers: [String] = ["*"], readOnly: Bool = false
    ) {
        self.method = method
        self.user = user
        self.password = password
        self.userHeader = userHeader
        self.powerUsers = powerUsers
        self.readOnly = readOnly
    }

    package var description: String {
        "AuthenticationMethod=\(method.rawValue.isEmpty ? "\"\"" : method.rawValue) HTTPAuthUser=\(user) HTTPAuthPassword=<redacted> "
            + "AuthUserHeader=\(userHeader) PowerAuthUsers=\(powerUsers) ReadOnly=\(readOnly)"
    }

    /// Whether `AuthUserHeader` can be a header at all (a space or colon in it cannot).
    package var hasValidUserHeader: Bool { HTTPField.Name(userHeader) != nil }

    /// Who sends this request and whether they may operate. Throws 401 (with a Basic challenge)
    /// when `basic` or `multi` gets no credentials or wrong ones: those methods guard every
    /// request, reads included, as orchestrator does.
    package func identify(_ headers: HTTPFields) throws(APIFailure) -> RequestIdentity {
        switch method {
        case .open:
            return identity(user: "", refusal: nil)
        case .basic, .multi:
            guard let (name, secret) = Self.basicCredentials(headers[.authorization]) else {
                throw APIFailure.unauthorized("Unauthorized: HTTP Basic credentials are required")
            }
            if Self.constantTimeEquals(name, user), Self.constantTimeEquals(secret, password) {
                return identity(user: name, refusal: nil)
            }
            if method == .multi, name == Self.readOnlyUser {
                return identity(user: name, refusal: "Unauthorized: user \(Self.readOnlyUser) may read but not operate")
            }
            throw APIFailure.unauthorized("Unauthorized: wrong user or password")
        case .proxy:
            let name = HTTPField.Name(userHeader).flatMap { headers[$0] }?.trimmingCharacters(in: .whitespaces) ?? ""
            if powerUsers.contains("*") || (!name.isEmpty && powerUsers.contains(name)) {
                return identity(user: name, refusal: nil)
            }
            let who = name.isEmpty ? "a request without header \(userHeader)" : "user \(name) (header \(userHeader))"
            return identity(user: name, refusal: "Unauthorized: \(who) may read but not operate: not in PowerAuthUsers")
        case .token:
            return identity(user: "", refusal: "Unauthorized: AuthenticationMethod token (access-token cookies) is not supported, so operations are refused")
        case .oauth:
            return identity(user: "", refusal: "Unauthorized: AuthenticationMethod oauth is not implemented (nor in orchestrator), so operations are refused")
        }
    }

    /// `ReadOnly` outranks every method: even the configured user may not operate.
    private func identity(user: String, refusal: String?) -> RequestIdentity {
        if readOnly {
            return RequestIdentity(user: user, operationRefusal: .forbidden("Unauthorized: this orchestrator is read-only (ReadOnly: true)"))
        }
        return RequestIdentity(user: user, operationRefusal: refusal.map { APIFailure.forbidden($0) })
    }

    /// `Authorization: Basic base64(user:password)`, split at the first colon.
    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// Compares without returning early, so response time does not reveal how much matched.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        var difference: UInt8 = left.count == right.count ? 0 : 1
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
