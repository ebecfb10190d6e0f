import Testing
import Topology

/// Errant transactions from GTID state, MariaDB and MySQL.
struct ErrantGTIDTests {
    @Test(arguments: [
        // A write on the replica: its own server id, which the master never logged.
        ("0-1-10,0-2-11", "0-1-10", "0-2-11"),
        // The replica is behind the master: nothing errant.
        ("0-1-8", "0-1-10", ""),
        // The replica holds more of a server's transactions than the master.
        ("0-1-12", "0-1-10", "0-1-12"),
        // A former master's transactions that both hold, and a second domain only the replica has.
        ("0-3-5,0-1-10,1-2-4", "0-3-5,0-1-11", "1-2-4"),
        // Unknown or unreadable states say nothing.
        ("", "0-1-10", ""),
        ("0-1-x", "0-1-10", ""),
        // A master that has logged nothing yet.
        ("0-1-10", "", "0-1-10"),
    ])
    func mariaDB(replica: String, master: String, errant: String) {
        #expect(ErrantGTID.mariaDB(replicaBinlogState: replica, masterBinlogState: master) == errant)
    }

    @Test func mysqlIsTheReplicasExecutedSetMinusTheMasters() {
        let replica = "00000000-0000-0000-0000-000000000001:1-100,00000000-0000-0000-0000-000000000002:1-3"
        let master = "00000000-0000-0000-0000-000000000001:1-120"
        #expect(ErrantGTID.mysql(replicaExecuted: replica, masterExecuted: master) == "00000000-0000-0000-0000-000000000002:1-3")
        #expect(ErrantGTID.mysql(replicaExecuted: "00000000-0000-0000-0000-000000000001:1-50", masterExecuted: master) == "")
        #expect(ErrantGTID.mysql(replicaExecuted: "garbage", masterExecuted: master) == "")
    }

    @Test func instancesOfTheSameFlavour() {
        var master = Instance(key: InstanceKey(hostname: "db", port: 1))
        master.version = "10.11.6-MariaDB-log"
        master.gtidBinlogState = "0-1-10"
        var replica = Instance(key: InstanceKey(hostname: "db", port: 2))
        replica.version = "10.11.6-MariaDB-log"
        replica.gtidBinlogState = "0-1-10,0-2-1"
        #expect(ErrantGTID.of(replica, master: master) == "0-2-1")
        // A master whose state was never read says nothing.
        master.gtidBinlogState = nil
        #expect(ErrantGTID.of(replica, master: master) == "")
    }
}

/// The errant-GTID tools' decisions, on fixtures (no MySQL server here).
struct ErrantGTIDRepairTests {
    let uuid = "00000000-0000-0000-0000-000000000002"

    @Test func mysqlLogsHoldingTheErrantTransactions() throws {
        let logs = [
            ErrantGTIDRepair.LogStart(file: "bin.000001", state: ""),
            ErrantGTIDRepair.LogStart(file: "bin.000002", state: "\(uuid):1-3"),
            ErrantGTIDRepair.LogStart(file: "bin.000003", state: "\(uuid):1-7"),
        ]
        #expect(try ErrantGTIDRepair.mysqlLogsHolding(errant: "\(uuid):5", logs: logs, executed: "\(uuid):1-9") == ["bin.000002"])
        #expect(try ErrantGTIDRepair.mysqlLogsHolding(errant: "\(uuid):2-8", logs: logs, executed: "\(uuid):1-9") == ["bin.000001", "bin.000002", "bin.000003"])
    }

    @Test func mariaDBLogsHoldingTheErrantTransactions() throws {
        let logs = [
            ErrantGTIDRepair.LogStart(file: "mysql-bin.000001", state: ""),
            ErrantGTIDRepair.LogStart(file: "mysql-bin.000002", state: "0-1-10"),
            ErrantGTIDRepair.LogStart(file: "mysql-bin.000003", state: "0-1-20"),
        ]
        #expect(try ErrantGTIDRepair.mariaDBLogsHolding(errant: "0-2-15", logs: logs) == ["mysql-bin.000002"])
        #expect(try ErrantGTIDRepair.mariaDBLogsHolding(errant: "0-2-5,0-2-25", logs: logs) == ["mysql-bin.000001", "mysql-bin.000003"])
    }

    @Test func mysqlEmptyTransactionsInOneSession() throws {
        let statements = try ErrantGTIDRepair.mysqlInjectEmptyStatements(errant: "\(uuid):4-5")
        #expect(statements == [
            "SET GTID_NEXT='\(uuid):4'", "BEGIN", "COMMIT", "SET GTID_NEXT='\(uuid):5'", "BEGIN", "COMMIT", "SET GTID_NEXT='AUTOMATIC'",
        ])
        #expect(throws: ErrantGTIDRepairError.tooMany(count: 20_000, limit: 10_000)) {
            try ErrantGTIDRepair.mysqlInjectEmptyStatements(errant: "\(uuid):1-20000")
        }
        #expect(throws: ErrantGTIDRepairError.unreadable("garbage")) { try ErrantGTIDRepair.mysqlInjectEmptyStatements(errant: "garbage") }
    }
}

/// What the master chain wrote is never errant, even ahead of the master's last probe.
struct ErrantGTIDChainTests {
    @Test func aBusyMastersNewerTransactionsAreNotErrant() {
        var master = Instance(key: InstanceKey(hostname: "db", port: 1))
        master.version = "10.11.6-MariaDB-log"
        master.serverID = 1
        master.gtidBinlogState = "0-1-10"
        var replica = Instance(key: InstanceKey(hostname: "db", port: 2))
        replica.version = "10.11.6-MariaDB-log"
        replica.serverID = 2
        replica.gtidBinlogState = "0-1-12,0-2-1"
        #expect(ErrantGTID.of(replica, master: master, chain: [master]) == "0-2-1")
        replica.gtidBinlogState = "0-1-12"
        #expect(ErrantGTID.of(replica, master: master, chain: [master]) == "")
    }

    @Test func mysqlSourcesOfTheChainAreLeftOut() {
        let masterUUID = "00000000-0000-0000-0000-000000000001", replicaUUID = "00000000-0000-0000-0000-000000000002"
        var master = Instance(key: InstanceKey(hostname: "db", port: 1))
        master.version = "8.0.36"
        master.gtidMode = "ON"
        master.serverUUID = masterUUID
        master.executedGtidSet = "\(masterUUID):1-100"
        var replica = Instance(key: InstanceKey(hostname: "db", port: 2))
        replica.version = "8.0.36"
        replica.gtidMode = "ON"
        replica.executedGtidSet = "\(masterUUID):1-120,\(replicaUUID):1-2"
        #expect(ErrantGTID.of(replica, master: master, chain: [master]) == "\(replicaUUID):1-2")
    }
}
