import Foundation
import Store
import Topology

/// Maintenance an operator begins and ends by hand (`begin-maintenance`, …).
extension TopologyRefactorer {
    /// Takes the lock of a known instance for `duration` (orchestrator: 10 minutes).
    package func beginMaintenance(
        _ key: InstanceKey, owner: String, reason: String, duration: TimeInterval = 600
    ) async throws(RefactoringError) -> MaintenanceEntry {
        _ = try await known(key)
        guard !owner.isEmpty, !reason.isEmpty else { throw .invalid("maintenance needs an owner and a reason") }
        let now = clock.now
        let grant: SQLiteStore.MaintenanceGrant
        do {
            grant = try await store.beginMaintenance(
                key, owner: owner, reason: reason, endsAt: now.addingTimeInterval(duration), isExplicit: true, node: configuration.nodeHostname, at: now
            )
        } catch {
            throw .store(error)
        }
        switch grant {
        case let .granted(entry):
            await audit("begin-maintenance", key, "maintenance begun by \(owner) until \(entry.endsAt): \(reason)")
            return entry
        case let .refused(conflict):
            throw .locked(conflict)
        }
    }

    /// Ends the instance's lock; whether it had one.
    @discardableResult
    package func endMaintenance(_ key: InstanceKey) async throws(RefactoringError) -> Bool {
        do {
            let ended = try await store.endMaintenance(key, at: clock.now)
            if ended { await audit("end-maintenance", key, "maintenance ended") }
            return ended
        } catch {
            throw .store(error)
        }
    }

    /// Ends a lock by id; whether it was active.
    @discardableResult
    package func endMaintenance(id: Int64) async throws(RefactoringError) -> Bool {
        let holder: MaintenanceEntry?
        do {
            holder = try await store.activeMaintenance(at: clock.now).first { $0.id == id }
            guard try await store.endMaintenance(id: id, at: clock.now) else { return false }
        } catch {
            throw .store(error)
        }
        if let holder { await audit("end-maintenance", holder.key, "maintenance \(id) ended") }
        return true
    }

    /// Active locks.
    package func maintenance() async throws(RefactoringError) -> [MaintenanceEntry] {
        do { return try await store.activeMaintenance(at: clock.now) } catch { throw .store(error) }
    }
}
