import APIModels
import Engine
import Foundation
import Hummingbird
import Store
import Topology

/// Maintenance locks (`api.md` §7.10): `begin-maintenance/:host/:port/:owner/:reason`,
/// `end-maintenance/:host/:port`, `end-maintenance/:maintenanceKey`, `in-maintenance/:host/:port`,
/// `maintenance`.
struct MaintenanceRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("begin-maintenance/:host/:port/:owner/:reason") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            let owner = try context.parameters.text("owner"), reason = try context.parameters.text("reason")
            let refactorer = try api.refactoring()
            do throws(RefactoringError) {
                _ = try await refactorer.beginMaintenance(key, owner: owner, reason: reason)
            } catch {
                if case let .locked(conflict) = error {
                    throw .conflict("Cannot begin maintenance for instance: \(key); maintenance reason: \(reason); \(conflict)", details: .int(0))
                }
                throw error.apiFailure
            }
            return JSONResponse.ok("Maintenance begun: \(key)", details: key.json)
        }
        routes.api("end-maintenance/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            _ = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.endMaintenance(key) }
            return JSONResponse.ok("Maintenance ended: \(key)", details: key.json)
        }
        // `end-maintenance/:maintenanceKey`: the router needs one name per path position.
        routes.api("end-maintenance/:host") { _, context throws(APIFailure) in
            let text = try context.parameters.text("host")
            guard let id = Int64(text) else { throw .badRequest("Invalid maintenance key: \(text)") }
            _ = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.endMaintenance(id: id) }
            return JSONResponse.ok("Maintenance ended: \(id)", details: .int(id))
        }
        routes.api("in-maintenance/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            let active = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.maintenance() }
            let held = active.contains { $0.key == key }
            return JSONResponse.ok(held ? "true" : "false", details: .string(held ? key.description : ""))
        }
        routes.api("maintenance") { _, _ throws(APIFailure) in
            let active = try await api.refactor { refactorer throws(RefactoringError) in try await refactorer.maintenance() }
            let now = api.clock.now
            return JSONResponse.make(.array(active.map { entry in
                .object([
                    ("MaintenanceId", .int(entry.id)), ("Key", entry.key.json),
                    ("BeginTimestamp", .string(APITimestamp.string(entry.beginsAt))),
                    ("SecondsElapsed", .int(Int64(now.timeIntervalSince(entry.beginsAt)))),
                    ("IsActive", .bool(entry.isActive)), ("Owner", .string(entry.owner)), ("Reason", .string(entry.reason)),
                ])
            }))
        }
    }
}
