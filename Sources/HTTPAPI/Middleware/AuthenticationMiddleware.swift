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

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        do throws(APIFailure) {
            if !validOUs.isEmpty, verifyOUsOnStatus || !request.uri.path.hasSuffix("/api/status") {
                try await checkOrganisationalUnit(context.channel)
            }
            context.identity = try policy.identify(request.headers)
        } catch {
            return JSONResponse.failure(error)
        }
        return try await next(request, context)
    }

    private func checkOrganisationalUnit(_ channel: any Channel) async throws(APIFailure) {
        let certificate = try? await channel.nioSSL_peerCertificate().get()
        let units = certificate?.subjectName.filter { $0.type == .organizationalUnit }.map(\.value) ?? []
        guard units.contains(where: validOUs.contains) else {
            // orchestrator answers 401 here too; no Basic challenge, a certificate is what is missing.
            throw APIFailure(.unauthorized, "Unauthorized: the client certificate's organisational unit \(units) is not in SSLValidOUs")
        }
    }
}
