import Foundation
import Hummingbird
import Topology

/// Reads path parameters the way orchestrator's clients send them: percent-encoded, sometimes
/// with a trailing newline (`%0A`) that must be trimmed.
extension Parameters {
    func text(_ name: String) throws(APIFailure) -> String {
        guard let text = optionalText(name) else { throw .badRequest("missing parameter \(name)") }
        return text
    }

    /// The parameter, decoded and trimmed, or `nil` when the route has no such parameter.
    func optionalText(_ name: String) -> String? {
        guard let raw = get(name) else { return nil }
        let decoded = raw.removingPercentEncoding ?? raw
        return decoded.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `:host/:port` as an instance key, with a clear message for a malformed one.
    func instanceKey(host hostName: String = "host", port portName: String = "port") throws(APIFailure) -> InstanceKey {
        let host = try text(hostName)
        let port = try text(portName)
        do {
            return try InstanceKey(host: host, portText: port)
        } catch let error {
            switch error {
            case .invalidPort: throw .badRequest("Invalid port: \(port) (in \(host):\(port))")
            default: throw .badRequest(error.description)
            }
        }
    }
}
