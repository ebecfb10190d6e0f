import APIModels
import Hummingbird
import Store
import Topology

/// The audit log: `audit`, `audit/:page`, `audit/instance/:host/:port`, `audit/instance/:host/:port/:page`.
struct AuditRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("audit") { _, _ throws(APIFailure) in try await page(0, instance: nil) }
        routes.api("audit/:page") { _, context throws(APIFailure) in
            try await page(pageNumber(context.parameters.text("page")), instance: nil)
        }
        routes.api("audit/instance/:host/:port") { _, context throws(APIFailure) in
            try await page(0, instance: context.parameters.instanceKey())
        }
        routes.api("audit/instance/:host/:port/:page") { _, context throws(APIFailure) in
            try await page(pageNumber(context.parameters.text("page")), instance: context.parameters.instanceKey())
        }
    }

    private func pageNumber(_ text: String) throws(APIFailure) -> Int {
        guard let page = Int(text), page >= 0 else { throw .badRequest("Invalid page: \(text)") }
        return page
    }

    private func page(_ page: Int, instance: InstanceKey?) async throws(APIFailure) -> Response {
        do {
            let entries = try await api.store.auditEntries(page: page, instance: instance)
            return JSONResponse.make(.array(entries.map {
                AuditJSON.auditEntry(id: $0.id ?? 0, timestamp: $0.timestamp, type: $0.type, instanceKey: $0.instanceKey, message: $0.message)
            }))
        } catch {
            throw .internalError("Cannot read audit: \(error)")
        }
    }
}
