/// A sandbox that cannot be built, started or stopped; says which instance and why.
package enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidSpec(text: String, token: String, reason: String)
    case command(String)
    case startFailed(instance: Int, reason: String)
    case unknownInstance(Int)
    case notRunning(Int)
    case state(String)

    package var description: String {
        switch self {
        case let .invalidSpec(text, token, reason): "invalid sandbox topology '\(text)' at '\(token)': \(reason)"
        case let .command(message): message
        case let .startFailed(instance, reason): "sandbox instance \(instance) did not start: \(reason)"
        case let .unknownInstance(index): "no sandbox instance \(index)"
        case let .notRunning(index): "sandbox instance \(index) is not running"
        case let .state(message): message
        }
    }
}
