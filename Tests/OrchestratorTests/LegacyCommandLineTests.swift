import Testing
@testable import orchestrator

/// orchestrator's `-c COMMAND` form becomes our subcommands.
struct LegacyCommandLineTests {
    @Test(arguments: [
        (["-c", "relocate", "-i", "db1:3306", "-d", "db2:3306"], ["relocate", "-i", "db1:3306", "-d", "db2:3306"]),
        (["-c", "relocate-slaves", "-i", "db1:3306", "-d", "db2:3306", "-pattern", "db3"],
         ["relocate-replicas", "-i", "db1:3306", "-d", "db2:3306", "--pattern", "db3"]),
        (["-c", "stop-slave", "-i", "db1:3306"], ["replication", "stop-replica", "-i", "db1:3306"]),
        (["--debug", "-c", "topology", "-alias", "shop"], ["topology", "--cluster", "shop"]),
        (["-c", "topology", "-i", "db1:3306"], ["topology", "-i", "db1:3306"]),
        (["-c", "graceful-master-takeover", "-alias", "shop", "-d", "db2:3306"], ["graceful-master-takeover", "--cluster", "shop", "-d", "db2:3306"]),
        (["-c", "begin-maintenance", "-i", "db1:3306", "-owner", "alice", "-reason", "upgrade"],
         ["begin-maintenance", "-i", "db1:3306", "--owner", "alice", "--reason", "upgrade"]),
        (["-c", "enslave-master", "-i", "db1:3306"], ["take-master", "-i", "db1:3306"]),
        (["-c", "tag", "-i", "db1:3306", "-tag", "role=backup"], ["tag", "-i", "db1:3306", "--tag", "role=backup"]),
        (["-c", "recover", "-i", "db1:3306", "-d", "db2:3306"], ["recover", "-i", "db1:3306", "--candidate", "db2:3306"]),
        (["-c", "graceful-master-takeover-auto", "-alias", "shop"], ["graceful-master-takeover", "--cluster", "shop", "--auto"]),
        (["-c", "topology-tags", "-i", "db1:3306"], ["topology", "-i", "db1:3306", "--tags"]),
    ])
    func translates(legacy: [String], ours: [String]) {
        #expect(LegacyCommandLine.translate(legacy) == ours)
    }

    @Test(arguments: [["topology", "-c", "shop"], ["serve", "--config", "x.json"], [], ["-i", "db1:3306"]])
    func leavesOurFormAlone(arguments: [String]) {
        #expect(LegacyCommandLine.translate(arguments) == nil)
    }
}
