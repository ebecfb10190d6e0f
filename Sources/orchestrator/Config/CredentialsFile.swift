import Foundation
import Secrets

/// A my.cnf-style credentials file (`[client]` with `user` and `password`), as orchestrator's
/// `MySQLTopologyCredentialsConfigFile`.
enum CredentialsFile {
    static func read(path: String) throws -> (user: String?, password: Secret?) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError.invalid("MySQLTopologyCredentialsConfigFile", "cannot read \(path): \(error.localizedDescription)")
        }
        var section = ""
        var user: String?
        var password: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") { section = String(line.dropFirst().dropLast()); continue }
            guard section == "client", let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            if name == "user" { user = value }
            if name == "password" { password = value }
        }
        return (user, password.map(Secret.init))
    }
}
