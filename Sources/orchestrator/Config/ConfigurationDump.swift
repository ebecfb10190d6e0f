import Foundation
import Secrets

/// `orchestrator config dump`: the configuration file as the service reads it (`${VAR}`
/// substituted), as pretty JSON with sorted keys, every credential replaced by `<redacted>`,
/// so the output can be pasted into a ticket or a chat.
enum ConfigurationDump {
    /// A key holds a credential when its name says so (`MySQLTopologyPassword`,
    /// `HTTPAuthPassword`, `OAuthClientSecret`, …), or it is Consul's ACL token.
    static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered.contains("password") || lowered.contains("secret") || key == "ConsulAclToken"
    }

    static func render(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        // Validates first, so a dump never shows a file the service would refuse.
        _ = try OrchestratorConfiguration.load(path: path, environment: environment)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        guard let values = object as? [String: Any] else { throw ConfigurationError(description: "configuration file \(path) must hold a JSON object") }
        return try render(values, environment: environment)
    }

    static func render(_ values: [String: Any], environment: [String: String]) throws -> String {
        let reader = ConfigurationReader(values: values, environment: environment)
        let shown = redacting(values, reader: reader) as? [String: Any] ?? [:]
        let data = try JSONSerialization.data(withJSONObject: shown, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func redacting(_ value: Any, reader: ConfigurationReader, key: String? = nil) -> Any {
        if let key, isSecretKey(key) {
            // An empty password stays visibly empty: "not set" is worth seeing, and tells nothing.
            if let text = value as? String, reader.substituteEnvironment(text).isEmpty { return "" }
            return Secret.redacted
        }
        if key == "ReplicationCredentialsQuery", let text = value as? String {
            // A query may carry the replication password as a literal (`SELECT 'repl', 'pw'`).
            return redactingLiterals(reader.substituteEnvironment(text))
        }
        switch value {
        case let object as [String: Any]:
            return Dictionary(uniqueKeysWithValues: object.map { ($0.key, redacting($0.value, reader: reader, key: $0.key)) })
        case let list as [Any]:
            return list.map { redacting($0, reader: reader) }
        case let text as String:
            return reader.substituteEnvironment(text)
        default:
            return value
        }
    }

    /// `sql` with every quoted literal ('…' or "…") shown as `'<redacted>'`.
    static func redactingLiterals(_ sql: String) -> String {
        var result = ""
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil; result += "<redacted>" + String(open) }
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else {
                result.append(character)
            }
        }
        if quote != nil { result += "<redacted>" }
        return result
    }
}
