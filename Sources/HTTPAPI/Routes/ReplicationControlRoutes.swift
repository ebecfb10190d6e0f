import APIModels
import Engine
import Foundation
import Hummingbird
import Topology

/// Replication control and instance settings (`api.md` §7.6), with the `slave` spellings.
struct ReplicationControlRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        let controls: [(paths: [String], action: TopologyRefactorer.ReplicaControl, message: String)] = [
            (["start-replica", "start-slave"], .start, "Replica started"),
            (["stop-replica", "stop-slave"], .stop, "Replica stopped"),
            (["stop-replica-nice", "stop-slave-nice"], .stopNicely, "Replica stopped nicely"),
            (["restart-replica", "restart-slave"], .restart, "Replica restarted"),
            (["reset-replica", "reset-slave"], .reset, "Replica reset on"),
            (["skip-query"], .skipQuery, "Query skipped on"),
            (["detach-replica", "detach-slave", "detach-replica-master-host", "detach-slave-master-host"], .detachMasterHost, "Replica detached"),
            (["reattach-replica", "reattach-slave", "reattach-replica-master-host", "reattach-slave-master-host"], .reattachMasterHost, "Replica reattached"),
        ]
        for control in controls {
            for path in control.paths {
                routes.api("\(path)/:host/:port") { _, context throws(APIFailure) in
                    let key = try await api.knownInstance(context.parameters.instanceKey()).key
                    let instance = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.control(control.action, key) }
                    let separator = control.message.hasSuffix(" on") ? " " : ": "
                    return instanceAnswer("\(control.message)\(separator)\(key)", instance)
                }
            }
        }
        let settings: [(path: String, setting: TopologyRefactorer.ServerSetting, message: String)] = [
            ("set-read-only", .readOnly(true), "Server set as read-only"),
            ("set-writeable", .readOnly(false), "Server set as writeable"),
            ("enable-semi-sync-master", .semiSyncMaster(true), "master semi-sync set to true"),
            ("disable-semi-sync-master", .semiSyncMaster(false), "master semi-sync set to false"),
            ("enable-semi-sync-replica", .semiSyncReplica(true), "replica semi-sync set to true"),
            ("disable-semi-sync-replica", .semiSyncReplica(false), "replica semi-sync set to false"),
            ("flush-binary-logs", .flushBinaryLogs, "Binary logs flushed on"),
        ]
        for setting in settings {
            routes.api("\(setting.path)/:host/:port") { _, context throws(APIFailure) in
                let key = try await api.knownInstance(context.parameters.instanceKey()).key
                let instance = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.apply(setting.setting, on: key) }
                let message = setting.message.hasSuffix(" on") ? "\(setting.message): \(key)" : setting.message
                return instanceAnswer(message, instance)
            }
        }
        routes.api("delay-replication/:host/:port/:seconds") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            let text = try context.parameters.text("seconds")
            guard let seconds = Int(text), seconds >= 0 else { throw .badRequest("Invalid value provided for seconds: \(text)") }
            _ = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.apply(.replicationDelay(seconds: seconds), on: key) }
            return JSONResponse.ok("Replication delayed: \(key)", details: .int(Int64(seconds)))
        }
        routes.api("purge-binary-logs/:host/:port/:logFile") { request, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            let logFile = try context.parameters.text("logFile")
            let force = request.uri.queryParameters.get("force") == "true"
            let instance = try await api.refactor { refactorer throws(RefactoringError) in
                try await refactorer.purgeBinaryLogs(key, to: logFile, force: force)
            }
            return instanceAnswer("Binary logs flushed on: \(key)", instance)
        }
        routes.api("locate-gtid-errant/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            let logs = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.locateErrantGTID(key) }
            return JSONResponse.ok("located errant GTID", details: .array(logs.map { .string($0) }))
        }
        routes.api("gtid-errant-inject-empty/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            let result = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.injectEmptyErrantTransactions(key) }
            let instance = try await api.knownInstance(key)
            return instanceAnswer("Have injected \(result.count) transactions on cluster master \(result.master)", instance)
        }
        routes.api("gtid-errant-reset-master/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            let instance = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.resetErrantGTIDs(key) }
            return instanceAnswer("Removed errant GTID on \(key) and issued a RESET MASTER", instance)
        }
        for path in ["restart-replica-statements", "restart-slave-statements"] {
            routes.api("\(path)/:host/:port") { request, context throws(APIFailure) in
                let key = try await api.knownInstance(context.parameters.instanceKey()).key
                let query = String(request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                let statements = try await api.refactor { refactorer throws(RefactoringError) in
                    try await refactorer.restartReplicaStatements(key, query: query)
                }
                return JSONResponse.ok("statements for: \(key)", details: .array(statements.map { .string($0) }))
            }
        }
    }

    private func instanceAnswer(_ message: String, _ instance: Instance) -> Response {
        JSONResponse.ok(message, details: InstanceJSON.encode(instance, context: api.jsonContext(freshlyProbed: true)))
    }
}
