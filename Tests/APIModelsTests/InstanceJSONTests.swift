import APIModels
import Foundation
import Testing
import Topology

@Suite struct InstanceJSONTests {
    /// Decoding orchestrator's own output and encoding it again gives the same bytes: same keys,
    /// same order, same values.
    @Test(arguments: ["instance-127.0.0.1-10111.json", "instance-127.0.0.1-10112.json"])
    func roundTripsOrchestratorsBytes(file: String) throws {
        let text = try fixtureText(file).trimmingCharacters(in: .whitespacesAndNewlines)
        let parsed = try JSONValue(parsing: Data(text.utf8))
        let instance = try InstanceJSON.decode(parsed)
        // Re-encode at the moment orchestrator did: last seen plus the seconds it reported since.
        let elapsed = Double(parsed["SecondsSinceLastSeen"]?["Int64"]?.intValue ?? 0)
        let now = try #require(instance.lastSeen).addingTimeInterval(elapsed)
        let encoded = InstanceJSON.encode(instance, context: InstanceJSONContext(now: now, pollSeconds: 5)).serialized()
        #expect(encoded == text)
    }

    @Test func keysComeInOrchestratorsOrder() throws {
        let instance = Instance(key: InstanceKey(hostname: "db", port: 3306))
        let encoded = InstanceJSON.encode(instance, context: InstanceJSONContext(now: Date(), pollSeconds: 5))
        let keys = try #require(encoded.objectValue).map(\.0)
        #expect(keys.count == 87)
        #expect(Array(keys.prefix(5)) == ["Key", "InstanceAlias", "Uptime", "ServerID", "ServerUUID"])
        #expect(keys.last == "ReplicationGroupPrimaryInstanceKey")
        #expect(Set(keys).count == 87)
    }

    @Test func decodesReplicaFacts() throws {
        let instance = try InstanceJSON.decode(try JSONValue(parsing: try fixture("instance-127.0.0.1-10112.json")))
        #expect(instance.key == InstanceKey(hostname: "127.0.0.1", port: 10112))
        #expect(instance.masterKey == InstanceKey(hostname: "127.0.0.1", port: 10111))
        #expect(instance.isReplicationRunning)
        #expect(instance.usingMariaDBGTID)
        #expect(instance.secondsBehindMaster == 0)
        #expect(instance.replicas == [InstanceKey(hostname: "127.0.0.1", port: 10114)])
        #expect(instance.isLastCheckValid)
    }

    @Test func decodesWholeClusters() throws {
        let cluster = try InstanceJSON.decodeArray(try fixture("cluster-127.0.0.1-10111.json"))
        #expect(cluster.map(\.key.port) == [10111, 10112, 10113, 10114])
        #expect(cluster.filter { $0.masterKey.port == 10111 }.count == 3)
        let all = try InstanceJSON.decodeArray(try fixture("all-instances.json"))
        #expect(all.count == 4)
    }

    @Test func decodeErrorsNameTheField() throws {
        #expect(throws: InstanceJSONError.self) { try InstanceJSON.decodeArray(Data("[{\"Version\":\"x\"}]".utf8)) }
        do {
            _ = try InstanceJSON.decodeArray(Data("[{\"Key\":{\"Hostname\":\"db\",\"Port\":\"x\"}}]".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("Key.Port"))
            #expect(error.description.contains("#0"))
        }
        do {
            _ = try InstanceJSON.decodeArray(Data("[{\"Key\":{\"Hostname\":\"db\",\"Port\":1},\"ReadOnly\":\"yes\"}]".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("db:1"))
            #expect(error.description.contains("ReadOnly"))
        }
        #expect(throws: InstanceJSONError.self) { try InstanceJSON.decodeArray(Data("not json".utf8)) }
    }

    @Test func replicationErrorsAreGoQuoted() throws {
        var instance = Instance(key: InstanceKey(hostname: "db", port: 3306))
        instance.lastIOError = "error reconnecting to master 'repl@127.0.0.1:3306' - retry-time: 1  maximum-retries: 86400  message: Can't connect"
        let encoded = InstanceJSON.encode(instance, context: InstanceJSONContext(now: Date(), pollSeconds: 5))
        #expect(encoded["LastIOError"]?.stringValue == "\"" + instance.lastIOError + "\"")
        #expect(encoded["LastSQLError"]?.stringValue == "")
        let decoded = try InstanceJSON.decode(encoded)
        #expect(decoded.lastIOError == instance.lastIOError)
    }
}

@Suite struct JSONValueTests {
    @Test func envelopeIsCompactAndOrdered() {
        #expect(APIEnvelope.ok("x").serialized() == #"{"Code":"OK","Message":"x","Details":null}"#)
        #expect(APIEnvelope.error("bad").serialized() == #"{"Code":"ERROR","Message":"bad","Details":null}"#)
    }

    @Test func escapesLikeGo() {
        #expect(JSONValue.string("a >> b & <c>").serialized() == #""a \u003e\u003e b \u0026 \u003cc\u003e""#)
        #expect(JSONValue.string("line\nnext\t\"q\"\u{1}").serialized() == #""line\nnext\t\"q\"\u0001""#)
    }

    @Test func clusterInfoRoundTrips() throws {
        let text = try fixtureText("clusters-info.json").trimmingCharacters(in: .whitespacesAndNewlines)
        let parsed = try #require(try JSONValue(parsing: Data(text.utf8)).arrayValue?.first)
        let info = try ClusterInfo(json: parsed)
        #expect(info.clusterAlias == "ci")
        #expect(info.countInstances == 4)
        #expect("[" + info.json.serialized() + "]" == text)
    }
}
