import Foundation

/// A maintenance lock on one instance (orchestrator's `database_instance_maintenance` row,
/// `refactoring.md` §6): while active, no other operation may take the instance.
package struct MaintenanceLock: Sendable, Equatable {
    /// The locked instance.
    package var key: InstanceKey
    /// Who holds the lock: a user, or the orchestrator host for an operation's own lock.
    package var owner: String
    /// Why: free text, or the operation that took it.
    package var reason: String
    package var beginsAt: Date
    /// When the lock lapses on its own (orchestrator: 10 minutes after it was taken).
    package var endsAt: Date

    package init(key: InstanceKey, owner: String = "", reason: String = "", beginsAt: Date, endsAt: Date) {
        self.key = key
        self.owner = owner
        self.reason = reason
        self.beginsAt = beginsAt
        self.endsAt = endsAt
    }

    /// orchestrator's "in maintenance": begun and not yet ended at `now`.
    package func isActive(at now: Date) -> Bool { beginsAt <= now && now < endsAt }

    /// `127.0.0.1:23307 is in maintenance by alice: upgrade` (owner and reason omitted when empty).
    package var description: String {
        "\(key) is in maintenance" + (owner.isEmpty ? "" : " by \(owner)") + (reason.isEmpty ? "" : ": \(reason)")
    }
}
