import Foundation

extension Downtime {
    /// orchestrator's reason for the instances a master recovery left behind.
    package static let lostInRecoveryReason = "lost-in-recovery"

    package var isLostInRecovery: Bool { reason == Self.lostInRecoveryReason }

    /// A lost-in-recovery downtime ends by itself (`recovery.md` §14) once it has lasted a
    /// minute and the instance is back: checked fine and replicating, or a master (depth 0) that
    /// alone holds its cluster alias again.
    package func lostInRecoveryHasEnded(for instance: Instance, now: Date, isSoleHolderOfItsAlias: Bool) -> Bool {
        guard isLostInRecovery, now.timeIntervalSince(beginsAt) >= 60, instance.isLastCheckValid else { return false }
        if instance.isReplicationRunning { return true }
        return instance.replicationDepth == 0 && !instance.suggestedClusterAlias.isEmpty && isSoleHolderOfItsAlias
    }
}

/// orchestrator's "simple time" for downtime durations: digits and one of `s m h d w`
/// (`30m`, `2h`, `1d`); a bare number is seconds.
package enum DowntimeDuration {
    package static func parse(_ text: String) throws(DowntimeDurationError) -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let last = trimmed.last else { throw .unparsable(text) }
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        let (digits, unit) = last.isNumber ? (Substring(trimmed), 1.0) : (trimmed.dropLast(), units[last] ?? -1)
        guard unit > 0, !digits.isEmpty, digits.allSatisfy(\.isNumber), let value = Double(digits) else { throw .unparsable(text) }
        return value * unit
    }
}

package enum DowntimeDurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unparsable(String)

    package var description: String {
        switch self {
        case let .unparsable(text): "Cannot parse simple time: \(text)"
        }
    }
}
