import Topology

extension DiscoveryService {
    /// `async-discover`: answers at once and discovers `key` in this service's task group, so
    /// the probe and its crawl are owned and awaited at shutdown. Its outcome is what the
    /// registry then shows, as with orchestrator. `false` once discovery has shut down.
    @discardableResult
    package func discoverInBackground(_ key: InstanceKey) -> Bool {
        requestedDiscoveries.enqueue { _ = try? await self.discover(key) }
    }
}
