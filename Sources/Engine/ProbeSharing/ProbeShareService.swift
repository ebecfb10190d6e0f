import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Topology

/// Divides the probes among the nodes (`DivideProbesAmongNodes`): every `refreshInterval` it
/// reads the live node list from etcd (each node's registration on its own lease) into the
/// `ProbeAssignment` the discovery poll loop consults, and it keeps one long poll per other
/// live node on that node's `probe-share` route, recording what it receives through discovery
/// as if probed here. A peer that stops answering is retried with backoff; when its lease
/// expires it leaves the list, its loop ends, and its clusters move to the surviving nodes.
package final class ProbeShareService: Service, Sendable {
    private let leadership: EtcdLeadership
    private let assignment: ProbeAssignment
    private let discovery: DiscoveryService
    private let configuration: ProbeSharingConfiguration
    private let logger: Logger
    private let metrics: EngineMetrics
    /// The other nodes as last read, by name.
    private let peers = Mutex<[String: LeaderRecord]>([:])
    /// Peers that have a long-poll loop running.
    private let polling = Mutex<Set<String>>([])
    private let newPeers: AsyncStream<LeaderRecord>
    private let newPeersContinuation: AsyncStream<LeaderRecord>.Continuation

    package init(
        leadership: EtcdLeadership, assignment: ProbeAssignment, discovery: DiscoveryService, configuration: ProbeSharingConfiguration,
        logger: Logger, metrics: EngineMetrics = .none
    ) {
        self.leadership = leadership
        self.assignment = assignment
        self.discovery = discovery
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        (newPeers, newPeersContinuation) = AsyncStream.makeStream(of: LeaderRecord.self)
    }

    package func run() async throws {
        logger.info("dividing probes among the nodes", metadata: ["node": "\(assignment.ownNode)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.refreshLoop() }
            for await peer in newPeers.cancelOnGracefulShutdown() {
                group.addTask { await self.pollLoop(peer) }
            }
            group.cancelAll()
        }
        discovery.feed?.close()
    }

    /// Reads the node list every `refreshInterval`. When etcd cannot be read the last list
    /// stays in force (and before any read, the node probes everything); said in the logs.
    private func refreshLoop() async {
        var failingSince: ContinuousClock.Instant?
        while !Task.isCancelled {
            do {
                let nodes = try await leadership.liveNodes()
                if let since = failingSince {
                    logger.notice("node list readable again", metadata: ["unreadable_for": "\(ContinuousClock.now - since)"])
                    failingSince = nil
                }
                await apply(nodes)
            } catch {
                if failingSince == nil {
                    failingSince = .now
                    let keeping = assignment.liveNodes.map { "keeping the last one (\($0.joined(separator: ", ")))" }
                        ?? "probing every cluster until it is read"
                    logger.warning("cannot read the node list from etcd; \(keeping)", metadata: ["error": "\(error)"])
                }
            }
            do { try await Task.sleep(for: configuration.refreshInterval) } catch { return }
        }
    }

    private func apply(_ nodes: [LeaderRecord]) async {
        let others = nodes.filter { $0.node != assignment.ownNode }
        if let previous = assignment.update(liveNodes: nodes.map(\.node)) {
            // Before the first list this node probed everything: nothing is newly its own.
            let taken = previous.isEmpty ? 0 : await discovery.probeNewlyOwned(previous: previous)
            logger.info("probes divided among \(assignment.liveNodes?.count ?? 0) nodes", metadata: [
                "nodes": "\(assignment.liveNodes ?? [])", "instances_taken_over": "\(taken)",
            ])
        }
        metrics.probeShareNodes(assignment.liveNodes?.count ?? 1)
        peers.withLock { $0 = Dictionary(others.map { ($0.node, $0) }, uniquingKeysWith: { first, _ in first }) }
        for peer in others where polling.withLock({ $0.insert(peer.node).inserted }) {
            newPeersContinuation.yield(peer)
        }
    }

    /// Long polls one peer until it leaves the node list (or shutdown).
    private func pollLoop(_ peer: LeaderRecord) async {
        defer { _ = polling.withLock { $0.remove(peer.node) } }
        var epoch: String?
        var since: UInt64 = 0
        var failures = 0
        while !Task.isCancelled, let current = peers.withLock({ $0[peer.node] }) {
            do {
                let page = try await fetch(from: current, since: since, epoch: epoch)
                if failures > 0 { logger.notice("peer answers again", metadata: ["peer": "\(peer.node)", "failures": "\(failures)"]) }
                failures = 0
                epoch = page.epoch
                since = page.sequence
                for result in page.results { await discovery.receiveShared(result) }
                metrics.probeShareReceived(page.results.count)
            } catch {
                failures += 1
                if failures == 1 {
                    logger.warning("cannot read a peer's probe results; retrying (its clusters move to other nodes when its lease expires)",
                                   metadata: ["peer": "\(peer.node)", "url": "\(current.url)", "error": "\(error)"])
                }
                let backoff = min(configuration.maxBackoff, configuration.firstBackoff * (1 << min(failures - 1, 10)))
                do { try await Task.sleep(for: backoff) } catch { return }
            }
        }
    }

    private func fetch(from peer: LeaderRecord, since: UInt64, epoch: String?) async throws -> ProbeSharePage {
        var url = peer.url + configuration.path + "?since=\(since)&wait=\(configuration.peerWait.wholeMilliseconds)"
        if let epoch { url += "&epoch=\(epoch)" }
        var request = HTTPClientRequest(url: url)
        for header in configuration.headers { request.headers.add(name: header.name, value: header.value) }
        let response = try await configuration.httpClient.execute(request, timeout: .milliseconds(configuration.peerWait.wholeMilliseconds + 5000))
        var body = try await response.body.collect(upTo: 512 << 20)
        guard response.status == .ok else {
            throw ProbeShareError(peer: peer.node, reason: "HTTP \(response.status.code): \(String(buffer: body).prefix(200))")
        }
        do {
            return try ProbeSharePage(decoding: Data(body.readBytes(length: body.readableBytes) ?? []))
        } catch {
            throw ProbeShareError(peer: peer.node, reason: "unreadable answer: \(error)")
        }
    }
}

/// A peer's `probe-share` could not be read.
package struct ProbeShareError: Error, CustomStringConvertible {
    package var peer: String
    package var reason: String
    package var description: String { "probe-share of \(peer): \(reason)" }
}
