/// orchestrator's `AuthenticationMethod`, compared case-insensitively.
package enum AuthenticationMethod: String, Sendable, CaseIterable {
    /// `""`: nobody is asked who they are; everyone may operate.
    case open = ""
    /// HTTP Basic with `HTTPAuthUser`/`HTTPAuthPassword` on every request.
    case basic
    /// `basic`, plus user `readonly` with any password, who may read but not operate.
    case multi
    /// A reverse proxy authenticated the user and names them in `AuthUserHeader`.
    case proxy
    /// orchestrator's access-token cookies: not implemented here, so operations are refused.
    case token
    /// Not implemented in orchestrator either: operations are refused.
    case oauth

    /// `nil` for a name orchestrator does not know (orchestrator would silently run open).
    package init?(configured name: String) {
        self.init(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
