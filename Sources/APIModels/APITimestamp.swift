import Foundation

/// Timestamps as orchestrator's SQLite backend renders them in JSON (`2026-11-22T21:52:36Z`).
package enum APITimestamp {
    package static func string(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }

    /// Accepts RFC 3339 (with or without fractions) and `YYYY-MM-DD HH:MM:SS` (UTC).
    package static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        let spaced = trimmed.replacingOccurrences(of: " ", with: "T")
        return try? Date(spaced + "Z", strategy: Date.ISO8601FormatStyle())
    }
}
