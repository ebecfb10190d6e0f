import Foundation

/// Timestamps as orchestrator renders backend times in JSON. With its SQLite backend the text
/// is RFC 3339 in UTC with whole seconds (`2026-11-22T21:52:36Z`, see the samples); with a
/// MySQL backend it is `2026-11-22 21:52:36`. We write the former and read both.
package enum APITimestamp {
    /// `2026-11-22T21:52:36Z`; fractions are truncated, as SQLite's `datetime()` does. `""` for `nil`.
    package static func string(_ date: Date?) -> String {
        guard let date else { return "" }
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        return whole.formatted(Date.ISO8601FormatStyle(timeZone: utc))
    }

    /// Reads RFC 3339 (any offset, optional fraction) or `YYYY-MM-DD HH:MM:SS[.fff]` taken as
    /// UTC. `nil` for empty text, for Go's zero time (`0001-01-01T00:00:00Z`, orchestrator's "never")
    /// and for anything else that is not a timestamp.
    package static func parse(_ text: String) -> Date? {
        var candidate = text.trimmingCharacters(in: .whitespaces)
        guard !candidate.isEmpty, !candidate.hasPrefix("0001-01-01") else { return nil }
        // The backend form: a space instead of `T` and no zone.
        if let space = candidate.firstIndex(of: " "), candidate.distance(from: candidate.startIndex, to: space) == 10 {
            candidate.replaceSubrange(space...space, with: "T")
            candidate += "Z"
        }
        // This style also accepts a fraction and a `+01:00`/`+0100` offset when parsing.
        return try? Date(candidate, strategy: Date.ISO8601FormatStyle(timeZone: utc))
    }

    private static let utc = TimeZone(identifier: "UTC") ?? .gmt
}
