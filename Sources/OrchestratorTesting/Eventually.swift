/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
package func expectEventually(
    timeout: Duration = .seconds(30), interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: interval)
    }
}
