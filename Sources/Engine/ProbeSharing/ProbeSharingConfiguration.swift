import AsyncHTTPClient

/// `DivideProbesAmongNodes` (ours): with leadership through etcd, each node polls only the
/// clusters it owns and reads the others' results from their `probe-share` route.
package struct ProbeSharingConfiguration: Sendable {
    /// How often the live node list is read from etcd (one range read): how soon after a
    /// node's lease goes its clusters are probed by another node.
    package var refreshInterval: Duration = .milliseconds(500)
    /// How long one long poll of a peer waits for news before it asks again.
    package var peerWait: Duration = .seconds(5)
    /// The first wait after a peer did not answer; doubled after each failure up to `maxBackoff`.
    package var firstBackoff: Duration = .milliseconds(100)
    package var maxBackoff: Duration = .seconds(2)
    /// The route on every node (`<URLPrefix>/api/probe-share`), appended to its advertised URL.
    package var path = "/api/probe-share"
    /// Sent with every request to a peer: what its API's authentication asks for (a read).
    package var headers: [(name: String, value: String)] = []
    /// How peers are reached: with `UseSSL`, trusting `SSLCAFile` and presenting this node's
    /// certificate, as operations are forwarded to the leader.
    package var httpClient: HTTPClient = .shared

    package init() {}
}
