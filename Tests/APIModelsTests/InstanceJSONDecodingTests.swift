import APIModels
import Foundation
import Testing
import Topology

@Suite struct InstanceJSONDecodingTests {
    static func decode(_ text: String) throws(InstanceJSONError) -> Instance {
        do {
            return try InstanceJSON.decode(JSONValue(parsing: text))
        } catch let error as InstanceJSONError {
            throw error
        } catch {
            throw InstanceJSONError(reason: "test document is not JSON: \(error)")
        }
    }

    static func decodeError(_ text: String) -> InstanceJSONError? {
        do throws(InstanceJSONError) {
            _ = try decode(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsAMariaDBReplica() throws {
        let instance = try InstanceJSON.decode(JSONValue(parsing: Fixture.text("instance-127.0.0.1-10112.json")))
        #expect(instance.key == InstanceKey(hostname: "127.0.0.1", port: 10112))
        #expect(instance.masterKey == InstanceKey(hostname: "127.0.0.1", port: 10111))
        #expect(instance.masterUUID == "No")
        #expect(instance.isReplica)
        #expect(instance.isReplicationRunning)
        #expect(instance.usingMariaDBGTID)
        #expect(instance.secondsBehindMaster == 0)
        #expect(instance.replicationLagSeconds == 0)
        #expect(instance.relaylogCoordinates == BinlogCoordinates(logFile: "relay-bin.000002", logPos: 627, type: .relay))
        #expect(instance.replicas == [InstanceKey(hostname: "127.0.0.1", port: 10114)])
        #expect(instance.clusterName == "127.0.0.1:10111")
        #expect(instance.suggestedClusterAlias == "ci")
        #expect(instance.replicationDepth == 1)
        #expect(instance.lastDiscoveryLatencyNanoseconds == 11_660_049)
        #expect(instance.lastSeen == Date(timeIntervalSince1970: 1_795_384_356))
        #expect(instance.isLastCheckValid)
    }

    @Test(arguments: ["cluster-127.0.0.1-10111.json", "all-instances.json"])
    func readsInstanceListsWithTheirMasterLinks(file: String) throws {
        let instances = try InstanceJSON.decodeArray(Fixture.data(file))
        let master = InstanceKey(hostname: "127.0.0.1", port: 10111)
        #expect(instances.map(\.key) == [10111, 10112, 10113, 10114].map { InstanceKey(hostname: "127.0.0.1", port: $0) })
        #expect(instances[0].masterKey == InstanceKey(hostname: "", port: 0))
        #expect(!instances[0].isReplica)
        #expect(instances.dropFirst().allSatisfy { $0.masterKey == master && $0.isReplica })
        #expect(instances.allSatisfy { $0.clusterName == "127.0.0.1:10111" })
        #expect(Set(instances[0].replicas) == Set(instances.dropFirst().map(\.key)))
    }

    @Test func missingKeyIsAnErrorNamingTheField() throws {
        let error = try #require(Self.decodeError(#"{"Version":"10.11.6-MariaDB"}"#))
        #expect(error.field == "Key")
        #expect(error.description == "instance: field Key: missing")
        #expect(Self.decodeError(#"{"Key":{"Hostname":"","Port":0}}"#)?.field == "Key")
        #expect(Self.decodeError(#"{"Key":"db:3306"}"#)?.field == "Key")
    }

    @Test func portThatIsNotANumberIsNamed() throws {
        let error = try #require(Self.decodeError(#"{"Key":{"Hostname":"db","Port":"3306"}}"#))
        #expect(error.field == "Key.Port")
        #expect(error.description == "instance: field Key.Port: expected an integer")
    }

    @Test func wrongTypesNameTheInstanceAndField() throws {
        let cases: [(String, String)] = [
            (#""ReadOnly":"yes""#, "ReadOnly"),
            (#""Uptime":"6""#, "Uptime"),
            (#""SecondsBehindMaster":{"Int64":3}"#, "SecondsBehindMaster"),
            (#""SelfBinlogCoordinates":{"LogFile":"x","LogPos":"4","Type":0}"#, "SelfBinlogCoordinates.LogPos"),
            (#""RelaylogCoordinates":{"LogFile":"x","LogPos":4,"Type":7}"#, "RelaylogCoordinates.Type"),
            (#""MasterKey":{"Hostname":"m","Port":false}"#, "MasterKey.Port"),
            (#""Replicas":[{"Hostname":"r","Port":1},{"Hostname":"r"}]"#, "Replicas[1].Port"),
            (#""ReplicationSQLThreadState":5"#, "ReplicationSQLThreadState"),
            (#""PromotionRule":"always""#, "PromotionRule"),
            (#""LastSeenTimestamp":"yesterday""#, "LastSeenTimestamp"),
        ]
        for (member, field) in cases {
            let error = Self.decodeError(#"{"Key":{"Hostname":"db","Port":1},"# + member + "}")
            #expect(error?.field == field, "\(member)")
            #expect(error?.instance == "db:1", "\(member)")
            #expect(error?.description.hasPrefix("instance (db:1): field \(field): ") == true, "\(member)")
        }
    }

    @Test func listErrorsNameTheIndex() throws {
        do throws(InstanceJSONError) {
            _ = try InstanceJSON.decodeArray(Data(#"[{"Key":{"Hostname":"a","Port":1}},{"Key":{"Hostname":"b","Port":2},"Uptime":true}]"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.index == 1)
            #expect(error.description == "instance #1 (b:2): field Uptime: expected an integer")
        }
        #expect(throws: InstanceJSONError.self) { try InstanceJSON.decodeArray(Data("not json".utf8)) }
        #expect(throws: InstanceJSONError.self) { try InstanceJSON.decodeArray(Data(#"{"Key":1}"#.utf8)) }
    }

    @Test func missingOptionalFieldsTakeDefaults() throws {
        let instance = try Self.decode(#"{"Key":{"Hostname":"db","Port":3306},"Slave_SQL_Running":true,"Slave_IO_Running":true}"#)
        var expected = Instance(key: InstanceKey(hostname: "db", port: 3306))
        // Documents without thread states fall back on the legacy running flags.
        expected.sqlThreadState = .running
        expected.ioThreadState = .running
        #expect(instance == expected)
        #expect(instance.relaylogCoordinates.type == .relay)
    }

    @Test func legacyNamesAreReadWhenTheNewOnesAreMissing() throws {
        let instance = try Self.decode(#"""
        {"Key":{"Hostname":"db","Port":3306},"LogSlaveUpdatesEnabled":true,"SlaveLagSeconds":{"Int64":7,"Valid":true},
         "SlaveHosts":[{"Hostname":"r","Port":1}]}
        """#)
        #expect(instance.logReplicationUpdatesEnabled)
        #expect(instance.replicationLagSeconds == 7)
        #expect(instance.replicas == [InstanceKey(hostname: "r", port: 1)])
    }

    @Test(arguments: [
        ("2026-11-22T21:52:36Z", 1_795_384_356.0),
        ("2026-11-22 21:52:36", 1_795_384_356.0),
        ("2026-11-22T22:52:36+01:00", 1_795_384_356.0),
        ("2026-11-22T21:52:36.5Z", 1_795_384_356.5),
    ])
    func lastSeenTimestampForms(text: String, seconds: Double) throws {
        let instance = try Self.decode(#"{"Key":{"Hostname":"db","Port":1},"LastSeenTimestamp":""# + text + #""}"#)
        #expect(instance.lastSeen == Date(timeIntervalSince1970: seconds))
        #expect(instance.isLastCheckValid)
    }

    @Test func failedLastCheckStaysInvalid() throws {
        let instance = try Self.decode(#"{"Key":{"Hostname":"db","Port":1},"LastSeenTimestamp":"2026-11-22T21:52:36Z","IsLastCheckValid":false}"#)
        #expect(instance.lastSeen != nil)
        #expect(!instance.isLastCheckValid)
    }

    @Test func freshlyProbedDocumentHasNoCheckTimes() throws {
        let instance = try Self.decode(#"{"Key":{"Hostname":"db","Port":1},"LastSeenTimestamp":"","IsLastCheckValid":true}"#)
        #expect(instance.lastSeen == nil)
        #expect(instance.lastChecked == nil)
    }
}
