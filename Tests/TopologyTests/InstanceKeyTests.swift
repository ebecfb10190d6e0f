import Testing
@testable import Topology

@Suite struct InstanceKeyTests {
    @Test(arguments: [
        ("db1.example.com:3307", "db1.example.com", 3307),
        ("127.0.0.1:23306", "127.0.0.1", 23306),
        ("db1", "db1", 3306),
        ("  db2:3310\n", "db2", 3310),
        ("[::1]:3307", "::1", 3307),
        ("[fe80::1]", "fe80::1", 3306),
        ("fe80::1:2", "fe80::1:2", 3306),
    ])
    func parses(text: String, host: String, port: Int) throws {
        let key = try InstanceKey(parsing: text)
        #expect(key.hostname == host)
        #expect(key.port == port)
    }

    @Test(arguments: ["db1:abc", "db1:0", "db1:70000", "db1:", "[::1]:x", "db1:-5", "db1:3306 4"])
    func rejectsBadPorts(text: String) {
        #expect(throws: InstanceKeyError.self) { try InstanceKey(parsing: text) }
    }

    @Test(arguments: ["", "   ", ":3306", "_:3306", "//db1:3306", "a,b:3306", "[::1", "[::1]3306"])
    func rejectsMalformedKeys(text: String) {
        #expect(throws: InstanceKeyError.self) { try InstanceKey(parsing: text) }
    }

    @Test func errorNamesTheProblem() {
        #expect(throws: InstanceKeyError.invalidPort(text: "db1:abc", port: "abc")) { try InstanceKey(parsing: "db1:abc") }
        let message = InstanceKeyError.invalidPort(text: "db1:abc", port: "abc").description
        #expect(message.contains("'abc'"))
    }

    @Test func ipv6RoundTripsThroughDescription() throws {
        let key = try InstanceKey(parsing: "[::1]:3307")
        #expect(key.description == "[::1]:3307")
        #expect(try InstanceKey(parsing: key.description) == key)
        #expect(try InstanceKey(parsing: "db1:3306").description == "db1:3306")
    }

    @Test func routeSegmentsParse() throws {
        #expect(try InstanceKey(host: "db1\n", portText: "3306\n") == InstanceKey(hostname: "db1", port: 3306))
        #expect(throws: InstanceKeyError.self) { try InstanceKey(host: "db1", portText: "33o6") }
        #expect(throws: InstanceKeyError.self) { try InstanceKey(host: "", portText: "3306") }
    }

    @Test func ordersByHostThenPort() {
        let keys = [InstanceKey(hostname: "b", port: 1), InstanceKey(hostname: "a", port: 9), InstanceKey(hostname: "a", port: 2)]
        #expect(keys.sorted().map(\.description) == ["a:2", "a:9", "b:1"])
    }
}
