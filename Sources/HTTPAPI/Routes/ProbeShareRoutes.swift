import Engine
import Foundation
import Hummingbird
import Topology

/// Ours, between the nodes (`DivideProbesAmongNodes`): `probe-share?since=<n>&wait=<ms>[&epoch=<e>]`
/// answers this node's probe results recorded after sequence `since` (a `ProbeSharePage`),
/// waiting up to `wait` ms (at most 30 s) for the next one when there is none. A read: any
/// identity that may read may ask. 404 when this node does not divide probes.
struct ProbeShareRoutes {
    let api: APIContext

    static let maximumWait: Duration = .seconds(30)

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("probe-share") { request, _ throws(APIFailure) in
            guard let feed = api.probeFeed else {
                throw .notFound("probe-share: this node does not divide probes among nodes (DivideProbesAmongNodes is off)")
            }
            let query = request.uri.queryParameters
            let since = try Self.number("since", query.get("since"), default: 0)
            let waitMilliseconds = try Self.number("wait", query.get("wait"), default: 0)
            let wait = min(Self.maximumWait, .milliseconds(Int64(clamping: waitMilliseconds)))
            let body: Data
            do {
                body = try await feed.page(since: since, epoch: query.get("epoch"), wait: wait).body
            } catch {
                throw .internalError("probe-share: cannot encode the page: \(error)")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=UTF-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// A non-negative whole number, or the default when absent.
    static func number(_ name: String, _ text: String?, default value: UInt64) throws(APIFailure) -> UInt64 {
        guard let text, !text.isEmpty else { return value }
        guard let number = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .badRequest("probe-share: \(name) must be a non-negative whole number, not '\(text)'")
        }
        return number
    }
}
