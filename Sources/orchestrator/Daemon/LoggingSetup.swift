import ArgumentParser
import Logging

/// How log lines look: `text` for people (the default), `json` for log collectors.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// Bootstraps swift-log once for the process (only the executable does this).
enum LoggingSetup {
    static func bootstrap(debug: Bool, format: LogFormat = .text) -> Logger {
        let level: Logger.Level = debug ? .debug : .info
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: "orchestrator")
    }
}
