import Foundation

/// One probe result as a node publishes it to the others (`probe-share`): what the registry
/// needs to record it exactly as the probing node did, including when the probe *started*, so
/// the registry's rule that a result older than the newest recorded one is dropped holds
/// across nodes. The instance is the probe's raw reading; each node adds its own bookkeeping
/// (receipt tracking, placement, downtime) when it records it.
package struct SharedProbeResult: Sendable, Equatable, Codable {
    package var key: InstanceKey
    package var startedAt: Date
    package var finishedAt: Date
    /// The probe's reading when it succeeded; `nil` when it failed.
    package var instance: Instance?
    /// Why it failed (empty when it succeeded).
    package var error: String
    /// A failed probe that still read part of the server.
    package var partialSuccess: Bool

    package static func success(_ instance: Instance, startedAt: Date, finishedAt: Date) -> SharedProbeResult {
        SharedProbeResult(key: instance.key, startedAt: startedAt, finishedAt: finishedAt, instance: instance, error: "", partialSuccess: true)
    }

    package static func failure(_ key: InstanceKey, error: String, partialSuccess: Bool, startedAt: Date, finishedAt: Date) -> SharedProbeResult {
        SharedProbeResult(key: key, startedAt: startedAt, finishedAt: finishedAt, instance: nil, error: error, partialSuccess: partialSuccess)
    }

    enum CodingKeys: String, CodingKey {
        case key = "Key", startedAt = "StartedAt", finishedAt = "FinishedAt", instance = "Instance", error = "Error", partialSuccess = "PartialSuccess"
    }
}

/// One answer of `probe-share`: the results recorded after the asked sequence number, and the
/// number to ask from next time. `epoch` names the publishing process: sequence numbers
/// restart with it, so a reader whose epoch differs asks again from 0.
package struct ProbeSharePage: Sendable, Equatable, Codable {
    package var epoch: String
    package var sequence: UInt64
    package var results: [SharedProbeResult]

    package init(epoch: String, sequence: UInt64, results: [SharedProbeResult]) {
        self.epoch = epoch
        self.sequence = sequence
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case epoch = "Epoch", sequence = "Sequence", results = "Results"
    }
}

extension SharedProbeResult {
    /// One result in its wire form, for `ProbeSharePage.assemble`.
    package func encoded() throws -> Data {
        try JSONEncoder().encode(self)
    }
}

extension ProbeSharePage {
    /// A page's wire form from results encoded one by one beforehand: every peer reads every
    /// result, so the publishing node encodes each once, when it is recorded, not once per reader.
    /// Decodes to the same page as `encoded()` gives.
    package static func assemble(epoch: String, sequence: UInt64, encodedResults: [Data]) throws -> Data {
        var body = Data(#"{"Epoch":"#.utf8)
        body.append(try JSONEncoder().encode(epoch))
        body.append(Data(#","Sequence":\#(sequence),"Results":["#.utf8))
        for (index, result) in encodedResults.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(result)
        }
        body.append(Data("]}".utf8))
        return body
    }

    /// The wire form both ends use (dates as seconds, exactly round-tripped, so "never back in
    /// time" compares the very instants the probing node recorded).
    package func encoded() throws -> Data {
        try JSONEncoder().encode(self)
    }

    package init(decoding data: Data) throws {
        self = try JSONDecoder().decode(ProbeSharePage.self, from: data)
    }
}
