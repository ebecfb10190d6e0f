import Foundation
import Topology

extension DiscoveryService {
    /// Whether this node probes `key` on its own schedule: always, unless the nodes divide the
    /// probes (`DivideProbesAmongNodes`) and another node owns its cluster.
    func owns(_ key: InstanceKey) async -> Bool {
        guard let assignment else { return true }
        let clusterName = await registry.instance(key)?.clusterName ?? ""
        return assignment.owns(ProbeOwnership.identity(clusterName: clusterName, key: key))
    }

    /// Records one of this node's own successful probes, and publishes it to the other nodes.
    func recordSuccess(_ probed: Instance, startedAt: Date) async -> Instance {
        let finished = Date()
        let recorded = await registry.recordSuccess(probed, at: finished, startedAt: startedAt)
        publish(.success(probed, startedAt: startedAt, finishedAt: finished))
        return recorded
    }

    /// Records one of this node's own failed probes, and publishes it to the other nodes.
    func recordFailure(_ key: InstanceKey, error: String, partialSuccess: Bool, startedAt: Date) async {
        let finished = Date()
        await registry.recordFailure(key, error: error, partialSuccess: partialSuccess, at: finished, startedAt: startedAt)
        // Only for a known instance, as the registry: a failed attempt at an unknown key says nothing.
        if feed != nil, await registry.contains(key) {
            publish(.failure(key, error: error, partialSuccess: partialSuccess, startedAt: startedAt, finishedAt: finished))
        }
    }

    /// Hands a result to the feed the other nodes read; one that cannot be encoded is logged
    /// (the other nodes then see this instance's previous result until the next probe).
    private func publish(_ result: SharedProbeResult) {
        guard let feed else { return }
        do {
            try feed.record(result)
        } catch {
            logger.error("cannot publish a probe result to the other nodes", metadata: ["instance": "\(result.key)", "error": "\(error)"])
        }
    }

    /// The node list changed from `previous`: the instances whose cluster just came to this
    /// node (a dead node's, most often) are probed now, in this service's task group, rather
    /// than at their poll loops' next ticks. Returns how many.
    @discardableResult
    package func probeNewlyOwned(previous: [String]) async -> Int {
        guard let assignment, let current = assignment.liveNodes else { return 0 }
        var count = 0
        for instance in await registry.allInstances() {
            let identity = ProbeOwnership.identity(clusterName: instance.clusterName, key: instance.key)
            guard ProbeOwnership.owner(of: identity, among: current) == assignment.ownNode,
                  ProbeOwnership.owner(of: identity, among: previous) != assignment.ownNode else { continue }
            if requestedDiscoveries.enqueue({ await self.pollOnce(instance.key, isKnown: true) }) { count += 1 }
        }
        return count
    }

    /// A result another node's probe produced: recorded through the same registry path as this
    /// node's own (receipts, placement, "never back in time" by the probe's start, analysis
    /// triggers), so analysis and detection see one picture. A new instance gets a poll loop
    /// that stays idle while another node owns its cluster. Nothing is crawled, watched or
    /// checked here: the owner does that.
    package func receiveShared(_ result: SharedProbeResult) async {
        if let instance = result.instance {
            let isNew = await !registry.contains(result.key)
            await registry.recordSuccess(instance, at: result.finishedAt, startedAt: result.startedAt)
            if isNew { startPolling(result.key) }
        } else {
            await registry.recordFailure(result.key, error: result.error, partialSuccess: result.partialSuccess, at: result.finishedAt, startedAt: result.startedAt)
        }
    }
}
