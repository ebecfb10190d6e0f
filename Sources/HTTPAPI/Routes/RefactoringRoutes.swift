import APIModels
import Engine
import Foundation
import Hummingbird
import Topology

/// Topology refactoring (`api.md` §7.5): relocate, relocate-replicas, move-up, move-below,
/// GTID moves, repoint, take-master, take-siblings, regroup, make-co-master, can-replicate-from,
/// with orchestrator's legacy `slave` spellings. Pseudo-GTID routes answer that they are not
/// supported and which GTID route to use.
struct RefactoringRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        registerSingleMoves(on: routes)
        registerBulkMoves(on: routes)
        registerChecks(on: routes)
        registerUnsupported(on: routes)
    }

    private func registerSingleMoves(on routes: RouterGroup<APIRequestContext>) {
        for path in ["relocate", "relocate-below"] {
            routes.api("\(path)/:host/:port/:belowHost/:belowPort") { _, context throws(APIFailure) in
                let (key, below) = try await keys(context)
                let moved = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.relocate(key, below: below) }
                return instanceAnswer("Instance \(key) relocated below \(below)", moved)
            }
        }
        routes.api("move-up/:host/:port") { _, context throws(APIFailure) in
            let key = try await resolve(context.parameters.instanceKey())
            let moved = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.moveUp(key) }
            return instanceAnswer("Instance \(key) moved up", moved)
        }
        routes.api("move-below/:host/:port/:siblingHost/:siblingPort") { _, context throws(APIFailure) in
            let key = try await resolve(context.parameters.instanceKey())
            let sibling = try await resolve(context.parameters.instanceKey(host: "siblingHost", port: "siblingPort"))
            let moved = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.moveBelow(key, sibling: sibling) }
            return instanceAnswer("Instance \(key) moved below \(sibling)", moved)
        }
        // orchestrator-client calls `move-gtid`; orchestrator serves only `move-below-gtid`.
        for path in ["move-below-gtid", "move-gtid"] {
            routes.api("\(path)/:host/:port/:belowHost/:belowPort") { _, context throws(APIFailure) in
                let (key, below) = try await keys(context)
                let moved = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.moveBelowGTID(key, below: below) }
                return instanceAnswer("Instance \(key) moved below \(below) via GTID", moved)
            }
        }
        routes.api("repoint/:host/:port/:belowHost/:belowPort") { _, context throws(APIFailure) in
            let (key, below) = try await keys(context)
            let moved = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.repoint(key, to: below) }
            return instanceAnswer("Instance \(key) repointed below \(below)", moved)
        }
        for path in ["take-master", "enslave-master"] {
            routes.api("\(path)/:host/:port") { _, context throws(APIFailure) in
                let key = try await resolve(context.parameters.instanceKey())
                let moved = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.takeMaster(key) }
                return instanceAnswer("\(key) took its master", moved)
            }
        }
        routes.api("make-co-master/:host/:port") { _, context throws(APIFailure) in
            let key = try await resolve(context.parameters.instanceKey())
            let moved = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.makeCoMaster(key) }
            return instanceAnswer("Instance made co-master: \(key)", moved)
        }
    }

    private func registerBulkMoves(on routes: RouterGroup<APIRequestContext>) {
        for path in ["relocate-replicas", "relocate-slaves"] {
            // The client sends `relocate-replicas/h/p/` with an empty destination when -d is missing.
            routes.api("\(path)/:host/:port/:belowHost/:belowPort") { request, context throws(APIFailure) in
                let (key, below) = try await keys(context)
                let result = try await api.refactor { refactorer throws(RefactoringError) in
                    try await refactorer.relocateReplicas(of: key, below: below, pattern: pattern(request))
                }
                return bulkAnswer("Relocated \(result.moved.count) replicas of \(key) below \(below)", result)
            }
        }
        for path in ["move-up-replicas", "move-up-slaves"] {
            let handler: @Sendable (Request, APIRequestContext) async throws(APIFailure) -> Response = { request, context throws(APIFailure) in
                let key = try await resolve(context.parameters.instanceKey())
                let master = try await api.knownInstance(key).masterKey
                let result = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.moveUpReplicas(of: key, pattern: pattern(request)) }
                return bulkAnswer("Moved up \(result.moved.count) replicas of \(key) below \(master)", result)
            }
            routes.api("\(path)/:host/:port", handler)
            // orchestrator-client sends the (unused) destination too.
            routes.api("\(path)/:host/:port/:belowHost/:belowPort", handler)
        }
        for path in ["move-replicas-gtid", "move-slaves-gtid"] {
            routes.api("\(path)/:host/:port/:belowHost/:belowPort") { request, context throws(APIFailure) in
                let (key, below) = try await keys(context)
                let result = try await api.refactor { refactorer throws(RefactoringError) in
                    try await refactorer.moveReplicasGTID(of: key, below: below, pattern: pattern(request))
                }
                return bulkAnswer("Moved \(result.moved.count) replicas of \(key) below \(below) via GTID", result)
            }
        }
        for path in ["repoint-replicas", "repoint-slaves"] {
            let handler: @Sendable (Request, APIRequestContext) async throws(APIFailure) -> Response = { request, context throws(APIFailure) in
                let key = try await resolve(context.parameters.instanceKey())
                let result = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.repointReplicas(of: key, pattern: pattern(request)) }
                return bulkAnswer("Repointed \(result.moved.count) replicas of \(key)", result)
            }
            routes.api("\(path)/:host/:port", handler)
            routes.api("\(path)/:host/:port/:belowHost/:belowPort", handler)
        }
        for path in ["take-siblings", "enslave-siblings"] {
            routes.api("\(path)/:host/:port") { _, context throws(APIFailure) in
                let key = try await resolve(context.parameters.instanceKey())
                let result = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.takeSiblings(key) }
                let instance = try await api.knownInstance(key)
                return JSONResponse.ok(
                    "Took \(result.moved.count) siblings of \(key)" + errorSuffix(result.errors),
                    details: InstanceJSON.encode(instance, context: api.jsonContext(freshlyProbed: true))
                )
            }
        }
        for (path, gtidWording) in [
            ("regroup-replicas", false), ("regroup-slaves", false), ("regroup-replicas-gtid", true), ("regroup-slaves-gtid", true),
        ] {
            routes.api("\(path)/:host/:port") { _, context throws(APIFailure) in
                let key = try await resolve(context.parameters.instanceKey())
                let result = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.regroupReplicas(of: key) }
                // orchestrator's wording; every move here is "trivial" (GTID or coordinates, no Pseudo-GTID).
                let message = gtidWording
                    ? "promoted replica: \(result.promoted.key), lost: \(result.lost.count), moved: \(result.moved.count)"
                    : "promoted replica: \(result.promoted.key), lost: \(result.lost.count), trivial: \(result.moved.count), pseudo-gtid: 0"
                let problems = result.errors + result.lost.map(\.description)
                return JSONResponse.ok(problems.isEmpty ? message : message + errorSuffix(problems), details: result.promoted.key.json)
            }
        }
    }

    private func registerChecks(on routes: RouterGroup<APIRequestContext>) {
        for (path, gtid) in [("can-replicate-from", false), ("can-replicate-from-gtid", true)] {
            routes.api("\(path)/:host/:port/:belowHost/:belowPort") { _, context throws(APIFailure) in
                let (key, below) = try await keys(context)
                let reasons = try await api.refactor { refactorer throws(RefactoringError) in
                    try await refactorer.replicationObstacles(key, from: below, gtid: gtid)
                }
                // As orchestrator: "true" when it may, else an error naming why (every reason).
                guard reasons.isEmpty else { throw .conflict("\(key) cannot replicate from \(below): " + reasons.joined(separator: "; "), details: below.json) }
                return JSONResponse.ok("true", details: below.json)
            }
        }
    }

    private func registerUnsupported(on routes: RouterGroup<APIRequestContext>) {
        let pseudoGTID: [(String, String)] = [
            ("match/:host/:port/:belowHost/:belowPort", "relocate or move-below-gtid"),
            ("match-below/:host/:port/:belowHost/:belowPort", "relocate or move-below-gtid"),
            ("match-up/:host/:port", "move-up"),
            ("rematch/:host/:port", "repoint"),
            ("match-replicas/:host/:port/:belowHost/:belowPort", "relocate-replicas or move-replicas-gtid"),
            ("match-slaves/:host/:port/:belowHost/:belowPort", "relocate-replicas or move-replicas-gtid"),
            ("match-up-replicas/:host/:port", "move-up-replicas"),
            ("match-up-slaves/:host/:port", "move-up-replicas"),
            ("match-up-replicas/:host/:port/:belowHost/:belowPort", "move-up-replicas"),
            ("match-up-slaves/:host/:port/:belowHost/:belowPort", "move-up-replicas"),
            ("regroup-replicas-pgtid/:host/:port", "regroup-replicas"),
            ("regroup-slaves-pgtid/:host/:port", "regroup-replicas"),
        ]
        for (path, instead) in pseudoGTID {
            routes.api(RouterPath(stringLiteral: path)) { _, _ throws(APIFailure) in
                throw APIFailure(.notFound, "Pseudo-GTID is not supported: use \(instead), which moves replicas by GTID or by binary log coordinates")
            }
        }
        routes.api("last-pseudo-gtid/:host/:port") { _, _ throws(APIFailure) in
            throw APIFailure(.notFound, "Pseudo-GTID is not supported: replication positions are GTIDs (GtidBinlogPos and ExecutedGtidSet in the instance)")
        }
        routes.api("move-equivalent/:host/:port/:belowHost/:belowPort") { _, _ throws(APIFailure) in
            throw APIFailure(.notFound, "move-equivalent is not supported (no master equivalence is recorded): use relocate")
        }
        for path in ["regroup-replicas-bls", "regroup-slaves-bls"] {
            routes.api("\(path)/:host/:port") { _, _ throws(APIFailure) in
                throw APIFailure(.notFound, "binlog servers are not supported: use regroup-replicas")
            }
        }
    }

    // MARK: Answers

    private func keys(_ context: APIRequestContext) async throws(APIFailure) -> (InstanceKey, InstanceKey) {
        let key = try await resolve(context.parameters.instanceKey())
        let below = try await resolve(context.parameters.instanceKey(host: "belowHost", port: "belowPort"))
        return (key, below)
    }

    private func resolve(_ key: InstanceKey) async throws(APIFailure) -> InstanceKey {
        try await api.knownInstance(key).key
    }

    private func pattern(_ request: Request) -> String {
        (request.uri.queryParameters.get("pattern") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func instanceAnswer(_ message: String, _ instance: Instance) -> Response {
        JSONResponse.ok(message, details: InstanceJSON.encode(instance, context: api.jsonContext(freshlyProbed: true)))
    }

    private func bulkAnswer(_ message: String, _ result: BulkMoveResult) -> Response {
        JSONResponse.ok(message + errorSuffix(result.errors), details: api.json(result.moved))
    }

    /// orchestrator's `; <e> errors: [e1 e2]`.
    private func errorSuffix(_ errors: [String]) -> String {
        "; \(errors.count) errors: [\(errors.joined(separator: " "))]"
    }
}
