import ServiceLifecycle

extension EngineClock {
    /// Sleeps for `duration` unless the service's graceful shutdown begins first (or the task is
    /// cancelled); whether the whole sleep passed. A periodic loop ends when it answers `false`,
    /// so shutdown never waits for a sleep to run out, on any clock (a manual one never does).
    func sleepUnlessShuttingDown(for duration: Duration) async -> Bool {
        guard !Task.isShuttingDownGracefully else { return false }
        do {
            try await cancelWhenGracefulShutdown { try await self.sleep(for: duration) }
            return !Task.isShuttingDownGracefully
        } catch {
            return false
        }
    }
}
