import APIModels
import Foundation
import Testing
import Topology

/// Replays every scenario in `AnalysisFixtures/`: a snapshot in shadow mode's file format plus
/// the entries orchestrator's rules (and our documented improvements) must produce, in order.
/// Only the fields a fixture names are compared, so each scenario states what it is about.
struct AnalyzerFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("AnalysisFixtures")

    static var fixtureNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func load(_ name: String) throws -> (document: AnalysisSnapshotDocument, root: JSONValue) {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".json"))
        return (try AnalysisSnapshotDocument.decode(data), try JSONValue(parsing: data))
    }

    @Test(arguments: fixtureNames)
    func scenario(_ name: String) throws {
        let (document, root) = try Self.load(name)
        let hints: AnalysisHints = root["hints"]?.stringValue == "commandLine" ? .commandLine : .api
        let entries = Analyzer.analyze(document.snapshot, configuration: document.configuration, hints: hints)
        let expected = root["expected"]?.arrayValue ?? []
        let actualKeys = entries.map { "\($0.analyzedInstanceKey)" }
        let expectedKeys = expected.map { $0["AnalyzedInstanceKey"]?.stringValue ?? "?" }
        #expect(actualKeys == expectedKeys, "\(name): entries \(entries.map(\.commandLineSummary))")
        let node = ReplicationAnalysisJSON.Node(hostname: "test", token: "t")
        for (entry, wanted) in zip(entries, expected) {
            let json = ReplicationAnalysisJSON.encode(entry, node: node)
            for (field, value) in wanted.objectValue ?? [] where field != "AnalyzedInstanceKey" {
                #expect(json[field] == value, "\(name) \(entry.analyzedInstanceKey) \(field): got \(json[field]?.serialized() ?? "nothing")")
            }
        }
    }

    @Test func everyCodeHasAFixture() throws {
        var codes: Set<String> = []
        var warnings: Set<String> = []
        for name in Self.fixtureNames {
            let (_, root) = try Self.load(name)
            for wanted in root["expected"]?.arrayValue ?? [] {
                if let code = wanted["Analysis"]?.stringValue { codes.insert(code) }
                for warning in wanted["StructureAnalysis"]?.arrayValue ?? [] { warnings.insert(warning.stringValue ?? "") }
            }
        }
        // Never emitted: MasterWithoutReplicas (disabled in orchestrator too) and the group
        // replication code (Oracle MySQL only, out of scope).
        let unreachable: Set<AnalysisCode> = [.masterWithoutReplicas, .deadReplicationGroupMemberWithReplicas]
        let missing = AnalysisCode.allCases.filter { !unreachable.contains($0) && !codes.contains($0.rawValue) }
        #expect(missing.isEmpty, "codes without a fixture: \(missing)")
        let missingWarnings = StructureAnalysisCode.allCases.filter { !warnings.contains($0.rawValue) }
        #expect(missingWarnings.isEmpty, "structure warnings without a fixture: \(missingWarnings)")
    }
}
