import AsyncHTTPClient
import Foundation
import Topology

/// For `bench-scale`: who probes what, read from each node's `probe-share` feed (which holds
/// only that node's own probes).
struct ScaleProbeWatch {
    typealias Cursor = (epoch: String, sequence: UInt64)
    let fleet: BenchHACluster
    let client: HTTPClient

    private func page(_ index: Int, since: UInt64, epoch: String?, waitMilliseconds: Int) async throws -> ProbeSharePage {
        let url = fleet.api(index) + "/probe-share?since=\(since)&wait=\(waitMilliseconds)" + (epoch.map { "&epoch=\($0)" } ?? "")
        return try ProbeSharePage(decoding: try await fleet.get(client: client, url))
    }

    /// Where each node's feed stands now.
    func cursors(_ indexes: [Int]) async throws -> [Int: Cursor] {
        var cursors: [Int: Cursor] = [:]
        for index in indexes {
            let page = try await page(index, since: UInt64.max, epoch: nil, waitMilliseconds: 0)
            cursors[index] = (page.epoch, page.sequence)
        }
        return cursors
    }

    /// The results recorded since `cursors` on each node, moving the cursors on.
    func newResults(_ indexes: [Int], cursors: inout [Int: Cursor]) async throws -> [SharedProbeResult] {
        var results: [SharedProbeResult] = []
        for index in indexes {
            let cursor = cursors[index]
            let page = try await page(index, since: cursor?.sequence ?? 0, epoch: cursor?.epoch, waitMilliseconds: 50)
            cursors[index] = (page.epoch, page.sequence)
            results += page.results
        }
        return results
    }

    /// The clusters (by `cluster(port)`) each node alone probed over 3 seconds.
    func owners(among indexes: [Int], cluster: (Int) -> Int) async throws -> [Int: Set<Int>] {
        var cursors = try await cursors(indexes)
        var probers: [Int: Set<Int>] = [:]
        let end = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < end {
            for index in indexes {
                let cursor = cursors[index]
                let page = try await page(index, since: cursor?.sequence ?? 0, epoch: cursor?.epoch, waitMilliseconds: 50)
                cursors[index] = (page.epoch, page.sequence)
                for result in page.results { probers[cluster(result.key.port), default: []].insert(index) }
            }
        }
        var owners: [Int: Set<Int>] = [:]
        for (cluster, nodes) in probers where nodes.count == 1 { owners[nodes.first!, default: []].insert(cluster) }
        return owners
    }
}
