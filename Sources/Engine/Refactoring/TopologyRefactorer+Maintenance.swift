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
            grant = try await controls.beginMaintenance(SharedMaintenanceLock(
                key: key, owner: owner, reason: reason, beginsAt: now, endsAt: now.addingTimeInterval(duration), node: configuration.nodeHostname
            ))
        } catch {
            throw .controls(error)
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
        let ended: Bool
        do { ended = try await controls.endMaintenance(key, at: clock.now) } catch { throw .controls(error) }
        if ended { await audit("end-maintenance", key, "maintenance ended") }
        return ended
    }

    /// Ends a lock by id; whether it was active.
    @discardableResult
    package func endMaintenance(id: Int64) async throws(RefactoringError) -> Bool {
        let holder: MaintenanceEntry?
        do { holder = try await store.activeMaintenance(at: clock.now).first { $0.id == id } } catch { throw .store(error) }
        // One active lock per instance: ending the instance's lock ends this one.
        guard let holder else { return false }
        do { guard try await controls.endMaintenance(holder.key, at: clock.now) else { return false } } catch { throw .controls(error) }
        await audit("end-maintenance", holder.key, "maintenance \(id) ended")
        return true
    }

    /// Active locks.
    package func maintenance() async throws(RefactoringError) -> [MaintenanceEntry] {
        do { return try await store.activeMaintenance(at: clock.now) } catch { throw .store(error) }
    }
}
