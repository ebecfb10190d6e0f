import Topology

/// A `-i host:port` argument, validated before anything is sent.
struct ParsedInstance {
    let host: String
    let port: Int

    init(_ text: String) throws {
        do {
            let key = try InstanceKey(parsing: text)
            host = key.hostname
            port = key.port
        } catch {
            throw ClientError(message: error.description)
        }
    }
}
