/// Why a configuration file cannot be used; start-up stops with this message.
struct ConfigurationError: Error, CustomStringConvertible {
    var description: String

    static func wrongType(_ key: String, expected: String, found: Any) -> ConfigurationError {
        ConfigurationError(description: "configuration key \(key): expected \(expected), found \(type(of: found)) '\(found)'")
    }

    static func invalid(_ key: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(description: "configuration key \(key): \(reason)")
    }
}
