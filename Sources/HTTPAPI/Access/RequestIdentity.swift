/// Who sent a request, as the access policy established it, and whether they may operate.
package struct RequestIdentity: Sendable {
    /// The authenticated user (Basic user, or the proxy's header); empty when nobody said.
    package var user: String
    /// Why operations are refused for this request (403); `nil` when they are allowed.
    package var operationRefusal: APIFailure?

    package init(user: String, operationRefusal: APIFailure?) {
        self.user = user
        self.operationRefusal = operationRefusal
    }

    /// Before the authentication middleware ran: fail closed, so a router assembled without it
    /// serves reads but no operation.
    package static let unchecked = RequestIdentity(
        user: "", operationRefusal: .forbidden("Unauthorized: the request was not authenticated")
    )
}
