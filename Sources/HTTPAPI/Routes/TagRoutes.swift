import APIModels
import Engine
import Foundation
import Hummingbird
import Store
import Topology

/// Instance tags (`api.md` §7.12): `tagged`, `tags/:host/:port`, `tag-value/…`, `tag/…`,
/// `untag/…`, `untag-all[/…]`. The tag is `?tag=<spec>` when given, else the `:tagName` and
/// `:tagValue` path parameters. Like orchestrator, none of these checks authorization.
/// (`topology-tags/…` is served with the other topology texts, in `ClusterRoutes`.)
struct TagRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("tagged") { request, _ throws(APIFailure) in
            let query: TagQuery
            do throws(TagSpecError) {
                query = try TagQuery(parsing: String(request.uri.queryParameters.get("tag") ?? ""))
            } catch {
                throw .badRequest(error.description)
            }
            return JSONResponse.make(.array(query.select(from: try await allTags()).map(\.json)))
        }
        routes.api("tags/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            return JSONResponse.make(.array(try await tags(of: key).map { .string($0.description) }))
        }
        for path in ["tag-value/:host/:port", "tag-value/:host/:port/:tagName"] {
            routes.api(RouterPath(path)) { request, context throws(APIFailure) in
                let key = try await api.knownInstance(context.parameters.instanceKey()).key
                let name = try checked { () throws(TagSpecError) in try requestedTag(request, context).nameToRead() }
                guard let tag = try await tags(of: key).first(where: { $0.name == name }) else {
                    throw .notFound("tag \(name) not found for \(key)")
                }
                return JSONResponse.make(.string(tag.value))
            }
        }
        for path in ["tag/:host/:port", "tag/:host/:port/:tagName/:tagValue"] {
            routes.api(RouterPath(path)) { request, context throws(APIFailure) in
                let key = try await api.knownInstance(context.parameters.instanceKey()).key
                let tag = try checked { () throws(TagSpecError) in try requestedTag(request, context).assignment() }
                do throws(ControlsError) {
                    try await api.controls.putTag(key, name: tag.name, value: tag.value, at: api.clock.now)
                } catch {
                    throw error.apiFailure
                }
                await audit("put-instance-tag", key, tag.description)
                return JSONResponse.ok("\(key) tagged with \(tag)", details: key.json)
            }
        }
        for path in ["untag/:host/:port", "untag/:host/:port/:tagName"] {
            routes.api(RouterPath(path)) { request, context throws(APIFailure) in
                let key = try await api.knownInstance(context.parameters.instanceKey()).key
                let spec = try checked { () throws(TagSpecError) in try requestedTag(request, context).removal(acrossAllInstances: false) }
                return try await untag(spec, from: key)
            }
        }
        for path in ["untag-all", "untag-all/:tagName/:tagValue"] {
            routes.api(RouterPath(path)) { request, context throws(APIFailure) in
                let spec = try checked { () throws(TagSpecError) in try requestedTag(request, context).removal(acrossAllInstances: true) }
                return try await untag(spec, from: nil)
            }
        }
    }

    /// The tag a request names: `?tag=` when it is not empty, else `:tagName`[`/:tagValue`].
    private func requestedTag(_ request: Request, _ context: APIRequestContext) throws(TagSpecError) -> TagSpec {
        let query = (request.uri.queryParameters.get("tag") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !query.isEmpty { return try TagSpec(parsing: query) }
        guard let name = context.parameters.optionalText("tagName") else { throw .empty }
        return try TagSpec(name: name, value: context.parameters.optionalText("tagValue"))
    }

    /// Runs a tag-spec check, answering 400 with its reason.
    private func checked<T>(_ body: () throws(TagSpecError) -> T) throws(APIFailure) -> T {
        do throws(TagSpecError) {
            return try body()
        } catch {
            throw .badRequest(error.description)
        }
    }

    private func untag(_ spec: TagSpec, from key: InstanceKey?) async throws(APIFailure) -> Response {
        let removed: [InstanceKey]
        do throws(ControlsError) {
            removed = try await api.controls.removeTag(name: spec.name, value: spec.value, from: key)
        } catch {
            throw error.apiFailure
        }
        for instance in removed { await audit("delete-instance-tag", instance, spec.description) }
        return JSONResponse.ok("\(spec.name) removed from \(removed.count) instances", details: .array(removed.map(\.json)))
    }

    private func tags(of key: InstanceKey) async throws(APIFailure) -> [InstanceTag] {
        do throws(StoreError) {
            return try await api.store.tags(of: key)
        } catch {
            throw .internalError(error.description)
        }
    }

    private func allTags() async throws(APIFailure) -> [InstanceKey: [String: String]] {
        do throws(StoreError) {
            return try await api.store.allTags()
        } catch {
            throw .internalError(error.description)
        }
    }

    private func audit(_ type: String, _ key: InstanceKey, _ message: String) async {
        await api.audit(type, key, message)
    }
}
