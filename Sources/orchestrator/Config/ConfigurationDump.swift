import Foundation

/// `config dump`: the file's keys as this program reads them, secrets replaced by
/// `<redacted>`, so a configuration can be shown or attached to a report without leaking.
enum ConfigurationDump {
    /// Keys whose value is a password or a token. A set one prints `<redacted>`; an empty one
    /// prints `""`, so a dump still tells whether it is set.
    static let secretKeys: Set<String> = [
        "HTTPAuthPassword", "MySQLTopologyPassword", "MySQLOrchestratorPassword", "OAuthClientSecret", "ConsulAclToken",
    ]
    static let redacted = "<redacted>"

    static func render(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let values = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigurationError(description: "configuration file \(path) must hold a JSON object")
        }
        return try render(values, environment: environment)
    }

    static func render(_ values: [String: Any], environment: [String: String]) throws -> String {
        let reader = ConfigurationReader(values: values, environment: environment)
        var shown: [String: Any] = [:]
        for (key, value) in values {
            if secretKeys.contains(key) {
                // Anything but an empty string counts as set, even a value of the wrong type.
                let isEmpty = (try? reader.string(key, default: ""))?.isEmpty ?? false
                shown[key] = isEmpty ? "" : redacted
            } else if value is String {
                shown[key] = try reader.string(key, default: "")
            } else {
                shown[key] = value
            }
        }
        let output = try JSONSerialization.data(withJSONObject: shown, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: output, as: UTF8.self)
    }
}
