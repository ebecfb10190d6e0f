import Logging

/// Bootstraps swift-log once for the process (only the executable does this).
enum LoggingSetup {
    static func bootstrap(debug: Bool) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = debug ? .debug : .info
            return handler
        }
        return Logger(label: "orchestrator")
    }
}
