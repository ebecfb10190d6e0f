import Foundation

/// Identity of a MySQL/MariaDB server: host name and port, as orchestrator's `InstanceKey`.
package struct InstanceKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    package var hostname: String
    package var port: Int

    package init(hostname: String, port: Int) {
        self.hostname = hostname
        self.port = port
    }

    /// orchestrator's `DefaultInstancePort`.
    package static let defaultPort = 3306

    /// Parses `host:port`, `host` (default port), `[ipv6]:port`, `[ipv6]` or a bare IPv6 address.
    /// Surrounding whitespace (the bash client appends a newline) is trimmed.
    package init(parsing text: String, defaultPort: Int = InstanceKey.defaultPort) throws(InstanceKeyError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { throw .malformed(text: trimmed, reason: "missing ']'") }
            let host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            let port: Int
            if rest.isEmpty {
                port = defaultPort
            } else {
                guard rest.hasPrefix(":") else { throw .malformed(text: trimmed, reason: "unexpected text after ']'") }
                port = try Self.parsePort(String(rest.dropFirst()), in: trimmed)
            }
            try self.init(validatingHost: host, port: port, text: trimmed)
            return
        }
        let colons = trimmed.filter { $0 == ":" }.count
        if colons > 1 {
            // A bare IPv6 address: no port can be expressed without brackets.
            try self.init(validatingHost: trimmed, port: defaultPort, text: trimmed)
            return
        }
        if colons == 1, let colon = trimmed.firstIndex(of: ":") {
            let host = String(trimmed[..<colon])
            let port = try Self.parsePort(String(trimmed[trimmed.index(after: colon)...]), in: trimmed)
            try self.init(validatingHost: host, port: port, text: trimmed)
            return
        }
        try self.init(validatingHost: trimmed, port: defaultPort, text: trimmed)
    }

    /// Builds a key from separate host and port texts, as the `/api/x/:host/:port` routes carry them.
    package init(host: String, portText: String) throws(InstanceKeyError) {
        let host = host.trimmingCharacters(in: .whitespacesAndNewlines)
        let trimmedPort = portText.trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try Self.parsePort(trimmedPort, in: "\(host):\(trimmedPort)")
        var bare = host
        if bare.hasPrefix("["), bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
        try self.init(validatingHost: bare, port: port, text: "\(host):\(trimmedPort)")
    }

    private init(validatingHost host: String, port: Int, text: String) throws(InstanceKeyError) {
        guard !host.isEmpty else { throw .malformed(text: text, reason: "empty host name") }
        guard host != "_", !host.hasPrefix("//") else { throw .malformed(text: text, reason: "'\(host)' is not a usable host name") }
        guard !host.contains(","), !host.contains("/"), !host.contains(where: \.isWhitespace) else {
            throw .malformed(text: text, reason: "invalid character in host name '\(host)'")
        }
        self.hostname = host
        self.port = port
    }

    private static func parsePort(_ text: String, in whole: String) throws(InstanceKeyError) -> Int {
        guard !text.isEmpty, text.allSatisfy(\.isASCII), let port = Int(text) else { throw .invalidPort(text: whole, port: text) }
        guard (1...65535).contains(port) else { throw .invalidPort(text: whole, port: text) }
        return port
    }

    /// Whether the host part is an IPv6 literal (needs brackets in `host:port` form).
    package var isIPv6: Bool { hostname.contains(":") }

    /// `host:port`, with brackets around IPv6 hosts so that the text parses back.
    package var description: String { isIPv6 ? "[\(hostname)]:\(port)" : "\(hostname):\(port)" }

    /// orchestrator's validity test: non-empty host, not `_`, not a detached `//` marker, port > 0.
    package var isValid: Bool { !hostname.isEmpty && hostname != "_" && !hostname.hasPrefix("//") && port > 0 }

    package static func < (lhs: InstanceKey, rhs: InstanceKey) -> Bool {
        lhs.hostname == rhs.hostname ? lhs.port < rhs.port : lhs.hostname < rhs.hostname
    }
}

/// Why a `host:port` text is not an instance key.
package enum InstanceKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case invalidPort(text: String, port: String)
    case malformed(text: String, reason: String)

    package var description: String {
        switch self {
        case .empty: "empty instance key"
        case let .invalidPort(text, port): "invalid port '\(port)' in '\(text)': expected an integer 1-65535"
        case let .malformed(text, reason): "malformed instance key '\(text)': \(reason)"
        }
    }
}
