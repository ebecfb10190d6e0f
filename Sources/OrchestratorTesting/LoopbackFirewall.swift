import Foundation

/// An nftables table of this test process that drops TCP from one loopback source address to
/// one port: it cuts off a client bound to that address while everyone else still connects.
/// Touches only 127.0.0.0/8 traffic and is always removed (`remove()`, or at the next `add`).
package struct LoopbackFirewall: Sendable {
    package let table: String

    package enum Failure: Error, CustomStringConvertible {
        case unavailable(String)
        package var description: String {
            switch self { case let .unavailable(reason): "cannot set up the loopback firewall (needs root and nftables): \(reason)" }
        }
    }

    package init() {
        table = "orchestrator_test_\(getpid())"
    }

    /// Drops packets from `source` (a 127.x address) to `port` on 127.0.0.0/8.
    package func drop(from source: String, toPort port: Int) throws {
        precondition(source.hasPrefix("127."), "only loopback addresses")
        remove()
        try nft(["add", "table", "inet", table])
        try nft(["add", "chain", "inet", table, "out", "{ type filter hook output priority 0; }"])
        try nft(["add", "rule", "inet", table, "out", "ip", "saddr", source, "ip", "daddr", "127.0.0.0/8", "tcp", "dport", "\(port)", "drop"])
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
