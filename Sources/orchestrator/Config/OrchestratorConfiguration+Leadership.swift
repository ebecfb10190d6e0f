import Foundation
import Topology

extension OrchestratorConfiguration {
    /// How the other nodes reach this one: `HTTPAdvertise`, else `ListenAddress` (its host, or
    /// this machine's name when it listens on every interface). The node is
    /// named by the URL's `host:port`.
    func advertisedRecord(hostname: String) throws -> LeaderRecord {
        var url = httpAdvertise
        if url.isEmpty {
            let (host, port) = try listenHostAndPort()
            let reachable = ["0.0.0.0", "::", ""].contains(host) ? hostname : host
            url = "\(https == nil ? "http" : "https")://\(reachable.contains(":") ? "[\(reachable)]" : reachable):\(port)"
        }
        while url.hasSuffix("/") { url.removeLast() }
        guard let components = URLComponents(string: url), let host = components.host else {
            throw ConfigurationError.invalid("HTTPAdvertise", "'\(url)' is not a URL such as http://10.0.0.1:3000")
        }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        return LeaderRecord(node: "\(host):\(port)", url: url)
    }
}
