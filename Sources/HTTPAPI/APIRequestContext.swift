import Hummingbird
import NIOCore

/// The request context of every API route: Hummingbird's core storage, who is asking (set by
/// `AuthenticationMiddleware`), and the connection, whose client certificate a mutual-TLS
/// server checks.
package struct APIRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package var identity: RequestIdentity = .unchecked
    let channel: any Channel

    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}
