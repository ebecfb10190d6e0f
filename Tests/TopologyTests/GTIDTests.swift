import Testing
@testable import Topology

@Suite struct MariaDBGTIDTests {
    @Test func parsesMultiDomainPosition() throws {
        let position = try MariaDBGTIDPosition(parsing: "0-1-100,1-2-5")
        #expect(position.domains == [0, 1])
        #expect(position[domain: 0] == MariaDBGTID(domainID: 0, serverID: 1, sequence: 100))
        #expect(position[domain: 1]?.sequence == 5)
        #expect(position.description == "0-1-100,1-2-5")
    }

    @Test func emptyPositionIsEmpty() throws {
        #expect(try MariaDBGTIDPosition(parsing: "").isEmpty)
    }

    @Test(arguments: ["0-1", "a-1-2", "0-1-2-3", "0--5", "0-1-x,1-1-1", "0-1-5,0-2-6"])
    func rejectsMalformed(text: String) {
        #expect(throws: GTIDParseError.self) { try MariaDBGTIDPosition(parsing: text) }
    }

    @Test func containmentIsPerDomain() throws {
        let ahead = try MariaDBGTIDPosition(parsing: "0-1-100,1-2-5")
        let behind = try MariaDBGTIDPosition(parsing: "0-1-99,1-2-5")
        let otherDomain = try MariaDBGTIDPosition(parsing: "0-1-100,2-3-1")
        #expect(ahead.contains(behind))
        #expect(!behind.contains(ahead))
        #expect(!ahead.contains(otherDomain))
        #expect(behind.missing(from: ahead) == [MariaDBGTID(domainID: 0, serverID: 1, sequence: 100)])
        #expect(ahead.missing(from: behind).isEmpty)
    }
}

@Suite struct MySQLGTIDSetTests {
    let uuidA = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
    let uuidB = "b9b4712a-df64-11e3-b391-60672090eb04"

    @Test func parsesAndMergesIntervals() throws {
        let set = try MySQLGTIDSet(parsing: "\(uuidA):1-5:7-9:6,\n\(uuidB):1-3")
        #expect(set.description == "\(uuidA):1-9,\(uuidB):1-3")
        #expect(set.count == 12)
    }

    @Test func uppercaseUUIDsAreNormalised() throws {
        let set = try MySQLGTIDSet(parsing: uuidA.uppercased() + ":1-2")
        #expect(set.sources == [uuidA])
    }

    @Test func parsesTaggedGTIDs() throws {
        let set = try MySQLGTIDSet(parsing: "\(uuidA):1-3:tag1:1-2")
        #expect(set.count == 5)
        #expect(set.sources == [uuidA, uuidA + ":tag1"])
        #expect(throws: GTIDParseError.self) { try MySQLGTIDSet(parsing: "\(uuidA):1-3:tag1") }
    }

    @Test(arguments: ["nonsense", "3e11fa47-71ca-11e1-9e33-c80aa9429562", "3e11fa47-71ca-11e1-9e33-c80aa9429562:0-3", "3e11fa47-71ca-11e1-9e33-c80aa9429562:5-3", "3e11fa47:1-3"])
    func rejectsMalformed(text: String) {
        #expect(throws: GTIDParseError.self) { try MySQLGTIDSet(parsing: text) }
    }

    @Test func subtractAndContain() throws {
        let executed = try MySQLGTIDSet(parsing: "\(uuidA):1-100,\(uuidB):1-10")
        let master = try MySQLGTIDSet(parsing: "\(uuidA):1-100,\(uuidB):1-4:6-10")
        #expect(executed.subtracting(master).description == "\(uuidB):5")
        #expect(executed.contains(master))
        #expect(!master.contains(executed))
        #expect(master.union(try MySQLGTIDSet(parsing: "\(uuidB):5")) == executed)
        #expect(executed.removingSources([uuidB]).description == "\(uuidA):1-100")
    }
}
