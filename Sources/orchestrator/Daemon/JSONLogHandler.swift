import APIModels
import Foundation
import Logging

/// One JSON object per line — `timestamp`, `level`, `label`, `message`, `metadata` — for log
/// collectors (`--log-format json`). Every line is written with one call, so lines from
/// concurrent tasks never interleave.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Receives each finished line, newline included.
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> Date

    init(label: String, metadataProvider: Logger.MetadataProvider? = nil, now: @escaping @Sendable () -> Date = Date.init,
         write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.now = now
        self.write = write
    }

    /// Lines to standard error, as the text format's.
    static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(label: label) { line in FileHandle.standardError.write(Data(line.utf8)) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var line = "{\"timestamp\":"
        line += Self.quoted(Self.timestamp(now()))
        line += ",\"level\":" + Self.quoted(event.level.rawValue)
        line += ",\"label\":" + Self.quoted(label)
        line += ",\"message\":" + Self.quoted(event.message.description)
        line += ",\"metadata\":" + Self.encode(.dictionary(merged))
        line += "}\n"
        write(line)
    }

    /// RFC 3339 in UTC with milliseconds, the form log collectors parse without configuration.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }

    private static func encode(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let values): "[" + values.map(encode).joined(separator: ",") + "]"
        case .dictionary(let values):
            "{" + values.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + encode($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal, escaped as every JSON answer of ours is (`JSONValue`'s Go-style
    /// serialisation: quotes, backslashes, control characters, and `<`, `>`, `&`).
    static func quoted(_ text: String) -> String {
        JSONValue.string(text).serialized()
    }
}
