import HTTPTypes
import Hummingbird
import NIOCore
import NIOSSL

/// Establishes who sends each request before it is routed (so `basic` guards unknown paths
/// too, as orchestrator's does) and, on a mutual-TLS server with `SSLValidOUs`, that the client
/// certificate names an accepted organisational unit. Refusals answer with the error envelope.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let policy: HTTPAccessPolicy
    /// `SSLValidOUs` when `UseMutualTLS`; empty: any certificate the CA signed will do.
    let validOUs: [String]
    /// `StatusOUVerify`: also check OUs on the status endpoint (load balancers often have no certificate).
    let verifyOUsOnStatus: Bool
    /// The status endpoint's exact path (`<URLPrefix>/api/status`, or `StatusEndpoint`): only it
    /// may skip the OU check. Compared whole, so no operation path ending the same way does.
    var statusPaths: Set<String> = ["/api/status"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        do throws(APIFailure) {
            let path = request.uri.path.count > 1 && request.uri.path.hasSuffix("/") ? String(request.uri.path.dropLast()) : request.uri.path
            if !validOUs.isEmpty, verifyOUsOnStatus || !statusPaths.contains(path) {
                try await checkOrganisationalUnit(context.channel)
            }
            context.identity = try policy.identify(request.headers)
            if context.identity.operationRefusal == nil, let site = request.headers[values: Self.fetchSite].first, Self.crossSite.contains(site) {
                // A page on another site made the browser send this (an image, a form): it may
                // read, never operate. Browsers always send Sec-Fetch-Site; curl and
                // orchestrator-client never do, and the web page's own requests are same-origin.
                context.identity.operationRefusal = .forbidden("Forbidden: an operation requested by another site's page (Sec-Fetch-Site: \(site))")
            }
        } catch {
            return JSONResponse.failure(error)
        }
        return try await next(request, context)
    }

    private static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
    private static let crossSite: Set<String> = ["cross-site", "same-site"]

    private func checkOrganisationalUnit(_ channel: any Channel) async throws(APIFailure) {
        let certificate = try? await channel.nioSSL_peerCertificate().get()
        let units = certificate?.subjectName.filter { $0.type == .organizationalUnit }.map(\.value) ?? []
        guard units.contains(where: validOUs.contains) else {
            // orchestrator answers 401 here too; no Basic challenge, a certificate is what is missing.
            throw APIFailure(.unauthorized, "Unauthorized: the client certificate's organisational unit \(units) is not in SSLValidOUs")
        }
    }
}
