import Topology

/// Our `recovery-plan` answer: if the master died now, whom we would promote and why, what would
/// happen to each replica, and what would block the recovery.
package enum RecoveryPlanJSON {
    package static func encode(failedMaster: InstanceKey, plan: Result<MasterRecoveryPlan, NoCandidateError>, blockers: [String]) -> JSONValue {
        var members: [(String, JSONValue)] = [("FailedMaster", failedMaster.json)]
        switch plan {
        case .success(let plan):
            members += [
                ("Promoted", plan.promoted.json),
                ("Relay", plan.choice.relay.map(\.json) ?? nil),
                ("DecidedBy", .string(plan.choice.decidedBy)),
                ("Reasons", .array(plan.choice.reasons.map { .string($0) })),
                ("Ranking", .array(plan.choice.ranking.map(\.json))),
                ("Excluded", exclusions(plan.choice.excluded)),
                ("Method", .string(plan.method.rawValue)),
                ("Rewired", .array(plan.rewired.map(\.json))),
                ("Lost", .array(plan.lost.map { .object([("Key", $0.key.json), ("Reason", .string($0.reason))]) })),
                ("Steps", .array(plan.steps.map { .string($0.description) })),
                ("Error", ""),
            ]
        case .failure(let error):
            members += [
                ("Promoted", nil), ("Relay", nil), ("DecidedBy", ""), ("Reasons", []), ("Ranking", []), ("Excluded", exclusions(error.excluded)),
                ("Method", ""), ("Rewired", []), ("Lost", []), ("Steps", []), ("Error", .string(error.description)),
            ]
        }
        members += [("Blockers", .array(blockers.map { .string($0) })), ("WouldRecoverAutomatically", .bool(blockers.isEmpty && (try? plan.get()) != nil))]
        return .object(members)
    }

    private static func exclusions(_ excluded: [Exclusion]) -> JSONValue {
        .array(excluded.map { .object([("Key", $0.key.json), ("Reasons", .array($0.reasons.map { .string($0) }))]) })
    }
}
