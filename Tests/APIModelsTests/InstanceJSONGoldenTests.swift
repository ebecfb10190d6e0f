import APIModels
import Foundation
import Testing
import Topology

/// Decoding orchestrator's own answers and encoding them again must give orchestrator's bytes.
@Suite struct InstanceJSONGoldenTests {
    /// The moment orchestrator answered: `SecondsSinceLastSeen` after the last-seen time.
    /// (With `now` equal to `LastSeenTimestamp` the only difference would be that one field,
    /// e.g. 1 s in the 10111 sample; taking the reported age makes every field round-trip.)
    static func answeredAt(_ document: JSONValue) throws -> Date {
        let text = try #require(document["LastSeenTimestamp"]?.stringValue)
        let lastSeen = try #require(APITimestamp.parse(text))
        let age = try #require(document["SecondsSinceLastSeen"]?["Int64"]?.intValue)
        return lastSeen.addingTimeInterval(Double(age))
    }

    static func reencode(_ document: JSONValue) throws -> String {
        let instance = try InstanceJSON.decode(document)
        let context = InstanceJSONContext(now: try answeredAt(document), pollSeconds: 5)
        return InstanceJSON.encode(instance, context: context).serialized()
    }

    @Test(arguments: ["instance-127.0.0.1-10111.json", "instance-127.0.0.1-10112.json"])
    func instanceRoundTripsByteForByte(file: String) throws {
        let text = try Fixture.text(file)
        #expect(try Self.reencode(JSONValue(parsing: text)) == text)
    }

    @Test(arguments: ["instance-127.0.0.1-10111.json", "instance-127.0.0.1-10112.json"])
    func keysComeInTheSamplesOrder(file: String) throws {
        let text = try Fixture.text(file)
        let sampleKeys = Fixture.topLevelKeys(of: text)
        #expect(sampleKeys.count == 87)
        let encoded = InstanceJSON.encode(try InstanceJSON.decode(JSONValue(parsing: text)), context: InstanceJSONContext(now: Date(), pollSeconds: 5))
        #expect(try #require(encoded.objectValue).map(\.0) == sampleKeys)
    }

    /// Whole `cluster/…` and `all-instances` answers, element by element.
    @Test(arguments: ["cluster-127.0.0.1-10111.json", "all-instances.json"])
    func instanceListsRoundTripByteForByte(file: String) throws {
        let text = try Fixture.text(file)
        let elements = try #require(try JSONValue(parsing: text).arrayValue)
        #expect(elements.count == 4)
        #expect(try "[" + elements.map(Self.reencode).joined(separator: ",") + "]" == text)
    }

    /// The fixtures are copies of the reference samples; when those are beside the clone, check
    /// that nobody edited one side only.
    @Test(arguments: Fixture.files)
    func fixturesMatchTheReferenceSamples(file: String) throws {
        #expect(Fixture.files.count >= 6)
        let reference = Fixture.referenceDirectory.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: reference.path) else { return }
        #expect(try Data(contentsOf: reference) == Fixture.data(file))
    }
}
