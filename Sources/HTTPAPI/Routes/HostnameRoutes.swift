import APIModels
import Foundation
import Hummingbird
import Store
import Topology

/// Hostname unresolve (`api.md` §7.16): `register-hostname-unresolve/:host/:port/:virtualname`
/// gives a host a virtual name (a DNS alias or VIP that follows it) that replicas are pointed at
/// from then on; `deregister-hostname-unresolve/:host/:port` removes it. The name is kept per
/// host (every port of it), as orchestrator keeps it.
struct HostnameRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("register-hostname-unresolve/:host/:port/:virtualname") { _, context throws(APIFailure) in
            let key = try context.parameters.instanceKey()
            let virtualName = try context.parameters.text("virtualname")
            guard Self.isHostName(virtualName) else {
                throw .badRequest("Invalid virtual host name: \(virtualName) (letters, digits, '.', '-' and '_' only)")
            }
            // One name, one host: replicas pointed at it must map back to one master.
            let others = api.discovery.unresolves.otherHosts(using: virtualName, besides: key.hostname)
            guard others.isEmpty else {
                throw .conflict("\(virtualName) is already the unresolved name of \(others.joined(separator: ", ")): deregister it there first")
            }
            if virtualName != key.hostname, await api.registry.keys.contains(where: { $0.hostname == virtualName }) {
                throw .conflict("\(virtualName) is the host name of a known instance; a virtual name must name no other server")
            }
            do throws(StoreError) {
                try await api.store.registerHostnameUnresolve(key.hostname, as: virtualName, at: api.clock.now)
            } catch {
                throw .internalError(error.description)
            }
            api.discovery.unresolves.register(key.hostname, as: virtualName)
            await api.audit("register-hostname-unresolve", key, "\(key.hostname) unresolves to \(virtualName)")
            if await api.registry.contains(key) { _ = await api.discovery.refresh(key) }
            return JSONResponse.ok("Hostname register unresolve completed", details: key.json)
        }
        routes.api("deregister-hostname-unresolve/:host/:port") { _, context throws(APIFailure) in
            let key = try context.parameters.instanceKey()
            let removed: Bool
            do throws(StoreError) {
                removed = try await api.store.deregisterHostnameUnresolve(key.hostname)
            } catch {
                throw .internalError(error.description)
            }
            guard removed else { throw .notFound("No unresolved hostname registered for \(key.hostname)") }
            api.discovery.unresolves.deregister(key.hostname)
            await api.audit("deregister-hostname-unresolve", key, "\(key.hostname) no longer unresolves")
            if await api.registry.contains(key) { _ = await api.discovery.refresh(key) }
            return JSONResponse.ok("Hostname deregister unresolve completed", details: key.json)
        }
    }

    /// A name that can go into `CHANGE MASTER TO MASTER_HOST` as it is.
    static func isHostName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 255 && text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-._".unicodeScalars.contains($0)
        }
    }
}
