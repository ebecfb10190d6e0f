import Foundation
import Store
import Topology

/// How a recovery begins, whatever its flow: its first step, the hooks that may veto it, and
/// the check that this node still leads before any server changes.
extension RecoveryService {
    /// The start every recovery flow shares: its first step, then `PreFailoverProcesses`.
    /// Returns the resolved (failed) record when a hook vetoes, `nil` to go on.
    func begin(
        _ entry: ReplicationAnalysis, record: TopologyRecovery, journal: RecoveryJournal, skipProcesses: Bool, successHooks: (name: String, commands: [String])
    ) async -> TopologyRecovery? {
        await journal.record("recovering \(entry.analysis.rawValue) on \(entry.analyzedInstanceKey)")
        if !skipProcesses, let veto = await runPreFailoverHooks(entry, journal: journal) {
            await journal.fail(veto)
            return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
        }
        // The hooks may have run long: is this node still the one to act? Then the other nodes
        // learn that servers are about to change.
        guard await fenceHolds(journal), await shareActing(record, journal: journal) else {
            return await resolve(record, entry: entry, journal: journal, skipProcesses: true, successHooks: successHooks)
        }
        return nil
    }

    /// Runs `PreFailoverProcesses`; returns the veto when one fails.
    func runPreFailoverHooks(_ entry: ReplicationAnalysis, journal: RecoveryJournal) async -> String? {
        let commands = configuration.preFailoverProcesses
        guard !commands.isEmpty else { return nil }
        await journal.record("running PreFailoverProcesses (\(commands.count))")
        let context = HookContext.failure(entry, orchestratorHost: configuration.nodeHostname, recoveryUID: journal.uid)
        return await runVetoingHooks("PreFailoverProcesses", commands, context: context)
    }

    /// Runs hooks that may stop what follows, in order, until one fails; returns why
    /// ("aborted by NAME: command (exit N): output"), or `nil` when all succeeded.
    func runVetoingHooks(_ name: String, _ commands: [String], context: HookContext) async -> String? {
        let outcomes = await hooks.run(name, commands: commands, context: context, failFast: true)
        guard let failed = outcomes.first(where: { !$0.succeeded && !$0.isAsynchronous }) else { return nil }
        let status = failed.timedOut ? "timed out" : "exit \(failed.exitStatus.map(String.init) ?? "none")"
        let output = failed.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return "aborted by \(name): \(failed.command) (\(status))" + (output.isEmpty ? "" : ": \(output)")
    }
}
