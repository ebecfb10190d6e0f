import Foundation
import MySQLClient
import OrchestratorTesting
import Sandbox
import Testing

/// Whatever is wrong at the other end, a call fails with a clear error within its timeouts.
@Suite(.timeLimit(.minutes(15)))
struct MySQLConnectionFailureTests {
    let quick = MySQLConnectionOptions(connectTimeoutSeconds: 1, readTimeoutSeconds: 1, writeTimeoutSeconds: 1)

    /// Budgets long enough that waiting for one shows: a refused or closed connection fails
    /// without waiting for them.
    let patient = MySQLConnectionOptions(connectTimeoutSeconds: 60, readTimeoutSeconds: 60, writeTimeoutSeconds: 60)

    @Test func closedPortFailsAtOnce() async throws {
        let endpoint = MySQLEndpoint(host: "127.0.0.1", port: try SandboxPorts.allocate(count: 1))
        let started = ContinuousClock.now
        let error = try #require(await #expect(throws: MySQLError.self) {
            try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: patient)
        })
        #expect([2002, 2003].contains(error.code) && error.isConnectionFailure)
        #expect(error.description.hasPrefix("127.0.0.1:\(endpoint.port): Error 200"), "\(error)")
        #expect(ContinuousClock.now - started < .seconds(30), "did not wait for the 60 s connect timeout")
    }

    @Test(arguments: [NonMySQLListener.Behaviour.answersHTTPAndCloses, .staysSilent])
    func nonMySQLListenerFailsWithinTheTimeouts(behaviour: NonMySQLListener.Behaviour) async throws {
        let listener = try NonMySQLListener(behaviour)
        defer { listener.stop() }
        let endpoint = MySQLEndpoint(host: "127.0.0.1", port: listener.port)
        let started = ContinuousClock.now
        let options = behaviour == .staysSilent ? quick : patient
        let error = try #require(await #expect(throws: MySQLError.self) {
            try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: options)
        })
        // 2013: lost connection while "reading initial communication packet".
        #expect(error.isConnectionFailure, "\(error)")
        #expect(error.endpoint == endpoint && error.description.contains("handshake"), "\(error)")
        let took = ContinuousClock.now - started
        switch behaviour {
        // A peer that closes fails at once, not after the 60 s budget; a silent one after its 1 s
        // budget, not never (the upper margins are for a loaded machine).
        case .answersHTTPAndCloses: #expect(took < .seconds(30), "took \(took)")
        case .staysSilent: #expect(took >= .milliseconds(900) && took < .seconds(30), "took \(took)")
        }
    }

    /// A frozen server (SIGSTOP) accepts TCP in the kernel but never answers: an open
    /// connection's query and a new connection both fail after about their timeouts.
    @Test func stoppedServerTimesOutQueriesAndConnects() async throws {
        try await withSandbox(topology: "0") { sandbox in
            let endpoint = sandbox.instances[0].endpoint
            let connection = try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: quick)
            try sandbox.kill(0, signal: SIGSTOP)
            // kill() returns before every thread of the server has stopped; wait for state T.
            let pid = try #require(sandbox.pid(of: 0))
            let frozen = try await expectEventually(timeout: .seconds(30), interval: .milliseconds(5)) { Self.isStopped(pid) }
            try #require(frozen)
            let queryStarted = ContinuousClock.now
            let queryError = await #expect(throws: MySQLError.self) { try await connection.query("SELECT 1") }
            let queryTook = ContinuousClock.now - queryStarted
            let connectStarted = ContinuousClock.now
            let connectError = await #expect(throws: MySQLError.self) {
                try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: quick)
            }
            let connectTook = ContinuousClock.now - connectStarted
            try sandbox.kill(0, signal: SIGCONT)

            #expect(queryError?.code == 2013 && queryError?.isConnectionFailure == true, "\(String(describing: queryError))")
            #expect(queryTook >= .milliseconds(900) && queryTook < .seconds(30), "query took \(queryTook)")
            #expect(connectError?.isConnectionFailure == true, "\(String(describing: connectError))")
            #expect(connectTook >= .milliseconds(900) && connectTook < .seconds(30), "connect took \(connectTook)")
            // Thawed, the server answers new connections again.
            let fresh = try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: quick)
            #expect(try await fresh.query("SELECT 1 AS one").first?.int("one") == 1)
            await fresh.close()
            await connection.close()
        }
    }

    /// The process state letter in /proc/PID/stat is `T` (stopped by a signal).
    static func isStopped(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("T")
    }
}
