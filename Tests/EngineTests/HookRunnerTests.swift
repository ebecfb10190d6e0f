import Engine
import Foundation
import Logging
import OrchestratorTesting
import Testing
import Topology

struct HookRunnerTests {
    let logger: Logger = {
        var logger = Logger(label: "test.hooks")
        logger.logLevel = .critical
        return logger
    }()

    var entry: ReplicationAnalysis {
        var entry = ReplicationAnalysis(
            analyzedInstanceKey: InstanceKey(hostname: "db1", port: 3306), analyzedInstanceMasterKey: InstanceKey(hostname: "", port: 0),
            clusterDetails: AnalysisClusterDetails(
                clusterName: "db1:3306", clusterAlias: "main", clusterDomain: "db1:3306", hasAutomatedMasterRecovery: true,
                hasAutomatedIntermediateMasterRecovery: false
            )
        )
        entry.analysis = .deadMaster
        entry.isMaster = true
        entry.countReplicas = 2
        entry.replicas = [InstanceKey(hostname: "db2", port: 3306), InstanceKey(hostname: "db3", port: 3306)]
        return entry
    }

    @Test func placeholdersAndEnvironmentReachTheHook() async throws {
        let context = HookContext.failure(entry, orchestratorHost: "orc1", recoveryUID: "uid-1")
        let runner = HookRunner(timeout: .seconds(10), logger: logger)
        let outcomes = await runner.run(
            "OnFailureDetectionProcesses",
            commands: ["echo \"{failureType}|{failedHost}|{failedPort}|{failureClusterAlias}|{countReplicas}|{replicaHosts}|{successorHost}|$ORC_FAILURE_TYPE|$ORC_IS_MASTER|$ORC_AUTO_MASTER_RECOVERY|${ORC_SUCCESSOR_HOST-unset}\""],
            context: context, failFast: true
        )
        #expect(outcomes.count == 1)
        #expect(outcomes.first?.succeeded == true)
        #expect(outcomes.first?.output == "DeadMaster|db1|3306|main|2|db2:3306,db3:3306||DeadMaster|true|true|unset\n")
    }

    @Test func failFastStopsAtTheFirstFailureAndReportsItsStatusAndOutput() async throws {
        let runner = HookRunner(timeout: .seconds(10), logger: logger)
        let context = HookContext.failure(entry, orchestratorHost: "orc1", recoveryUID: "")
        let outcomes = await runner.run("PreFailoverProcesses", commands: ["echo vetoed >&2; exit 3", "echo never"], context: context, failFast: true)
        #expect(outcomes.count == 1)
        #expect(outcomes.first?.exitStatus == 3)
        #expect(outcomes.first?.output == "vetoed\n")
        let all = await runner.run("PostFailoverProcesses", commands: ["exit 1", "echo ran"], context: context, failFast: false)
        #expect(all.map(\.exitStatus) == [1, 0])
    }

    @Test func aHangingHookIsKilledWithItsChildrenAtTheTimeout() async throws {
        // Long enough for a loaded machine's shell to start its child and note its pid first.
        let runner = HookRunner(timeout: .seconds(5), logger: logger)
        let context = HookContext.failure(entry, orchestratorHost: "orc1", recoveryUID: "")
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("hook-child-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let clock = ContinuousClock()
        let started = clock.now
        let outcomes = await runner.run(
            "OnFailureDetectionProcesses", commands: ["sleep 120 & echo $! > \(pidFile); sleep 120"], context: context, failFast: true
        )
        // The outcome comes at the timeout, not when the script or a child that still holds the
        // output pipe ends (both would take 120 s; the margin is for a loaded machine).
        #expect(clock.now - started < .seconds(60))
        #expect(outcomes.first?.timedOut == true)
        #expect(outcomes.first?.succeeded == false)
        // The child of the killed script went with it.
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        let child = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        let gone = try await expectEventually(timeout: .seconds(30)) {
            kill(child, 0) != 0 || ((try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)) ?? "").contains(") Z ")
        }
        try #require(gone, "the hook's child \(child) was killed")
    }

    @Test func trailingAmpersandRunsInTheBackgroundOwnedByTheRunner() async throws {
        let runner = HookRunner(timeout: .seconds(30), logger: logger)
        let context = HookContext.failure(entry, orchestratorHost: "orc1", recoveryUID: "")
        let gate = try HookGate()
        defer { gate.remove() }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await runner.run() }
            let outcomes = await runner.run("PostFailoverProcesses", commands: [gate.command(appending: "{failedPort}", background: true)], context: context, failFast: true)
            #expect(outcomes.first?.isAsynchronous == true)
            #expect(outcomes.first?.command.hasSuffix("echo 3306 >> \(gate.directory)/ran ") == true)
            #expect(gate.lines.isEmpty, "run returned while the hook waits")

            gate.open()
            await runner.waitForBackgroundHooks()
            #expect(gate.lines == ["3306"], "the background hook ran to its end")
            group.cancelAll()
        }
    }
}
