import APIModels
import Foundation
import Testing
import Topology

@Suite struct SmallDocumentsTests {
    @Test func clusterInfoRoundTripsTheSample() throws {
        let text = try Fixture.text("clusters-info.json")
        let elements = try #require(try JSONValue(parsing: text).arrayValue)
        let infos = try elements.map { element throws(InstanceJSONError) in try ClusterInfo(json: element) }
        #expect(infos == [ClusterInfo(clusterName: "127.0.0.1:10111", clusterAlias: "ci", countInstances: 4,
                                      hasAutomatedMasterRecovery: true, hasAutomatedIntermediateMasterRecovery: true)])
        #expect("[" + infos.map { $0.json.serialized() }.joined(separator: ",") + "]" == text)
        #expect(Fixture.topLevelKeys(of: infos[0].json.serialized()) == Fixture.topLevelKeys(of: String(text.dropFirst())))
    }

    @Test func clusterInfoDecodingErrors() throws {
        #expect(throws: InstanceJSONError.self) { try ClusterInfo(json: ["ClusterAlias": "x"]) }
        do throws(InstanceJSONError) {
            _ = try ClusterInfo(json: ["ClusterName": "db:3306", "CountInstances": "4"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cluster info (db:3306): field CountInstances: expected an integer")
        }
        // The alias defaults to the name.
        #expect(try ClusterInfo(json: ["ClusterName": "db:3306"]).clusterAlias == "db:3306")
    }

    /// Our single-node health answer reproduces orchestrator's `status` sample exactly.
    @Test func healthStatusMatchesTheSample() throws {
        let text = try Fixture.text("status.json")
        let status = HealthStatusJSON(
            hostname: "orchestrator-node-1", token: "13d711b282a324d6316a2cf542df6966cd8e3b6f03963d5f146302ed5e2af811",
            appVersion: "3.2.6", firstSeenActive: try #require(APITimestamp.parse("2026-11-22T21:52:06Z")),
            lastSeenActive: try #require(APITimestamp.parse("2026-11-22T21:52:36Z")), dbBackend: "{SQLite3DataFile}",
            activeSince: APITimestamp.parse("2026-11-22T21:52:12Z")
        )
        #expect(APIEnvelope.ok("Application node is healthy", details: status.json).serialized() == text)
    }

    @Test func auditEntryShape() {
        let date = Date(timeIntervalSince1970: 1_795_384_356.75)
        let entry = AuditJSON.auditEntry(id: 7, timestamp: date, type: "forget", instanceKey: InstanceKey(hostname: "db", port: 3306), message: "a & b")
        #expect(entry.serialized()
            == #"{"AuditId":7,"AuditTimestamp":"2026-11-22T21:52:36Z","AuditType":"forget","AuditInstanceKey":{"Hostname":"db","Port":3306},"Message":"a \u0026 b"}"#)
        let global = AuditJSON.auditEntry(id: 8, timestamp: date, type: "reload-configuration", instanceKey: nil, message: "")
        #expect(global["AuditInstanceKey"]?.serialized() == #"{"Hostname":"","Port":0}"#)
    }

    @Test func timestampsUseTheSamplesForm() {
        #expect(APITimestamp.string(nil) == "")
        // Truncated to the second, as SQLite's datetime() does.
        #expect(APITimestamp.string(Date(timeIntervalSince1970: 1_795_384_356.999)) == "2026-11-22T21:52:36Z")
        #expect(APITimestamp.parse("") == nil)
        #expect(APITimestamp.parse("0001-01-01T00:00:00Z") == nil)
        #expect(APITimestamp.parse("not a time") == nil)
        #expect(APITimestamp.parse("2026-11-22 21:52:36.250") == Date(timeIntervalSince1970: 1_795_384_356.25))
    }

    @Test func keysAndCoordinatesShapes() {
        #expect(InstanceKey(hostname: "db", port: 3306).json.serialized() == #"{"Hostname":"db","Port":3306}"#)
        #expect(BinlogCoordinates(logFile: "relay-bin.000002", logPos: 627, type: .relay).json.serialized()
            == #"{"LogFile":"relay-bin.000002","LogPos":627,"Type":1}"#)
        #expect(JSONValue.nullInt64(nil).serialized() == #"{"Int64":0,"Valid":false}"#)
        #expect(JSONValue.nullInt64(5).serialized() == #"{"Int64":5,"Valid":true}"#)
    }
}
