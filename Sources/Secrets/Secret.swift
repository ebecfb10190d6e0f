/// A password or other credential. Printing it in any way — `description`, string
/// interpolation, `String(reflecting:)`, `dump` — gives `<redacted>`, so a secret that reaches a
/// log line, an error message or an audit entry by accident shows nothing. The value itself is
/// read only through `revealed`, at the few places that hand it to a server.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    /// What every printed form of a secret shows.
    package static let redacted = "<redacted>"

    package init(_ value: String) {
        self.value = value
    }

    /// The secret itself: only for handing it to a server (a connection, a statement).
    package var revealed: String { value }

    package var isEmpty: Bool { value.isEmpty }

    package var description: String { Self.redacted }
    package var debugDescription: String { Self.redacted }
    /// `dump` and debuggers walk children through the mirror; a secret has none to show.
    package var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }
}
