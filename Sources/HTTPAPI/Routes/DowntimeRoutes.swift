import APIModels
import Engine
import Foundation
import Hummingbird
import Topology

/// Downtime (`api.md` §7.10): `begin-downtime/:host/:port/:owner/:reason[/:duration]`,
/// `end-downtime/:host/:port`, `downtimed`, `downtimed/:clusterHint`.
struct DowntimeRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("begin-downtime/:host/:port/:owner/:reason") { _, context throws(APIFailure) in
            try await begin(context, duration: nil)
        }
        routes.api("begin-downtime/:host/:port/:owner/:reason/:duration") { _, context throws(APIFailure) in
            let text = try context.parameters.text("duration")
            let duration: TimeInterval
            do throws(DowntimeDurationError) {
                duration = try DowntimeDuration.parse(text)
            } catch {
                throw .badRequest(error.description)
            }
            return try await begin(context, duration: duration)
        }
        routes.api("end-downtime/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            let service = try downtimes()
            do throws(DowntimeError) {
                try await service.end(key)
            } catch {
                throw failure(error, key: key)
            }
            return JSONResponse.ok("Downtime ended: \(key)", details: key.json)
        }
        routes.api("downtimed") { _, _ throws(APIFailure) in
            JSONResponse.make(api.json(try await downtimes().downtimed(clusterName: nil)))
        }
        routes.api("downtimed/:clusterHint") { _, context throws(APIFailure) in
            let cluster = try await api.clusterName(hint: context.parameters.text("clusterHint"))
            return JSONResponse.make(api.json(try await downtimes().downtimed(clusterName: cluster)))
        }
    }

    private func downtimes() throws(APIFailure) -> DowntimeService {
        guard let service = api.downtimes else { throw APIFailure(.serviceUnavailable, "Downtime is not kept on this node") }
        return service
    }

    private func begin(_ context: APIRequestContext, duration: TimeInterval?) async throws(APIFailure) -> Response {
        let key = try await api.knownInstance(context.parameters.instanceKey()).key
        let owner = try context.parameters.text("owner"), reason = try context.parameters.text("reason")
        let service = try downtimes()
        do throws(DowntimeError) {
            _ = try await service.begin(key, owner: owner, reason: reason, duration: duration, at: api.clock.now)
        } catch {
            throw failure(error, key: key)
        }
        return JSONResponse.ok("Downtime begun: \(key)", details: key.json)
    }

    private func failure(_ error: DowntimeError, key: InstanceKey) -> APIFailure {
        switch error {
        case .unknownInstance: .notFound(error.description)
        case .invalid: APIFailure(.badRequest, error.description, details: key.json)
        case .store: APIFailure(.internalServerError, error.description, details: key.json)
        case .controls(let problem): APIFailure(problem.apiFailure.status, error.description, details: key.json)
        }
    }
}
