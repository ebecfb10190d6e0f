import Foundation
import Synchronization

/// An nftables table of this process that drops loopback TCP: from one source address to one
/// port (a client bound to that address is cut off while everyone else still connects), or
/// every packet to and from one port (a server whose network drops everything, silently).
/// Touches only 127.0.0.0/8 traffic and is always removed (`remove()`, or at the next rule).
package struct LoopbackFirewall: Sendable {
    package let table: String

    package enum Failure: Error, CustomStringConvertible {
        case unavailable(String)
        package var description: String {
            switch self { case let .unavailable(reason): "cannot set up the loopback firewall (needs root and nftables): \(reason)" }
        }
    }

    /// Each firewall its own table: tests of one process run side by side, and one's `remove()`
    /// must not lift another's rules.
    package init() {
        table = "orchestrator_test_\(getpid())_\(Self.counter.add(1, ordering: .relaxed).newValue)"
    }

    private static let counter = Atomic<Int>(0)

    /// Drops packets from `source` (a 127.x address) to `port` on 127.0.0.0/8.
    package func drop(from source: String, toPort port: Int) throws {
        precondition(source.hasPrefix("127."), "only loopback addresses")
        remove()
        try nft(["add", "table", "inet", table])
        try nft(["add", "chain", "inet", table, "out", "{ type filter hook output priority 0; }"])
        try nft(["add", "rule", "inet", table, "out", "ip", "saddr", source, "ip", "daddr", "127.0.0.0/8", "tcp", "dport", "\(port)", "drop"])
    }

    /// Drops every packet to and from `port` on 127.0.0.0/8: established connections stay open
    /// on both ends and simply hear nothing, as with a cable pulled or a host frozen.
    package func isolate(port: Int) throws {
        remove()
        try nft(["add", "table", "inet", table])
        for hook in ["input", "output"] {
            try nft(["add", "chain", "inet", table, hook, "{ type filter hook \(hook) priority 0; }"])
            for direction in ["dport", "sport"] {
                try nft(["add", "rule", "inet", table, hook, "ip", "daddr", "127.0.0.0/8", "tcp", direction, "\(port)", "drop"])
            }
        }
    }

    package func remove() {
        _ = try? nft(["delete", "table", "inet", table])
    }

    private func nft(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nft")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure.unavailable("\(error)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure.unavailable("nft \(arguments.joined(separator: " ")): \(message)") }
    }
}
