import Foundation
import Secrets

/// Typed access to the keys of a parsed JSON configuration object, with orchestrator's
/// `${ENV_VAR}` substitution in strings and an error naming the key on a wrong type.
struct ConfigurationReader {
    let values: [String: Any]
    let environment: [String: String]

    func string(_ key: String, default fallback: String) throws -> String {
        guard let raw = values[key], !(raw is NSNull) else { return fallback }
        guard let text = raw as? String else { throw ConfigurationError.wrongType(key, expected: "a string", found: raw) }
        return substituteEnvironment(text)
    }

    /// A string that must never be printed (passwords): errors name the key, not the value.
    func secret(_ key: String) throws -> Secret {
        guard let raw = values[key], !(raw is NSNull) else { return Secret("") }
        guard let text = raw as? String else {
            throw ConfigurationError.invalid(key, "expected a string, found \(type(of: raw))")
        }
        return Secret(substituteEnvironment(text))
    }

    func int(_ key: String, default fallback: Int) throws -> Int {
        guard let raw = values[key], !(raw is NSNull) else { return fallback }
        guard let number = raw as? NSNumber, !isBool(number), number.doubleValue == number.doubleValue.rounded() else {
            throw ConfigurationError.wrongType(key, expected: "an integer", found: raw)
        }
        return number.intValue
    }

    func double(_ key: String, default fallback: Double) throws -> Double {
        guard let raw = values[key], !(raw is NSNull) else { return fallback }
        guard let number = raw as? NSNumber, !isBool(number) else { throw ConfigurationError.wrongType(key, expected: "a number", found: raw) }
        return number.doubleValue
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let raw = values[key], !(raw is NSNull) else { return fallback }
        guard let number = raw as? NSNumber, isBool(number) else { throw ConfigurationError.wrongType(key, expected: "true or false", found: raw) }
        return number.boolValue
    }

    /// `nil` when the key is absent.
    func optionalBool(_ key: String) throws -> Bool? {
        guard let raw = values[key], !(raw is NSNull) else { return nil }
        return try bool(key, default: false)
    }

    func strings(_ key: String) throws -> [String] {
        guard let raw = values[key], !(raw is NSNull) else { return [] }
        guard let list = raw as? [Any] else { throw ConfigurationError.wrongType(key, expected: "a list of strings", found: raw) }
        return try list.map { element in
            guard let text = element as? String else { throw ConfigurationError.wrongType(key, expected: "a list of strings", found: raw) }
            return substituteEnvironment(text)
        }
    }

    func stringMap(_ key: String) throws -> [String: String] {
        guard let raw = values[key], !(raw is NSNull) else { return [:] }
        guard let map = raw as? [String: Any] else { throw ConfigurationError.wrongType(key, expected: "an object of strings", found: raw) }
        return try map.mapValues { value in
            guard let text = value as? String else { throw ConfigurationError.wrongType(key, expected: "an object of strings", found: raw) }
            return text
        }
    }

    private func isBool(_ number: NSNumber) -> Bool {
        // JSONSerialization hands booleans over as NSNumber too; they carry the `char` type code.
        String(cString: number.objCType) == "c"
    }

    func substituteEnvironment(_ text: String) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            result += rest[..<start.lowerBound]
            result += environment[String(rest[start.upperBound..<end])] ?? ""
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
