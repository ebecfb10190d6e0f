import Foundation
import OrchestratorTesting
import Sandbox
import Testing

/// The web page in a real browser (headless Chromium through chromedriver) against
/// `orchestrator serve` watching a real sandbox: the tree as drawn, live updates without a
/// reload, a drag that moves a server, a forbidden drag refused with its reasons, and a master
/// crash followed from detection to the new tree.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct WebPageTests {
    /// Each server box's key → the key of the box it is drawn under (`""` for a root).
    static let drawnParents = """
        const parents = {};
        for (const box of document.querySelectorAll('#tree .server')) {
          const li = box.parentElement.parentElement.closest('li');
          parents[box.dataset.key] = li ? li.querySelector(':scope > .server').dataset.key : '';
        }
        return parents;
        """

    @Test func theClusterPageFollowsMovesAndAFailover() async throws {
        try await withSandbox(topology: "1>0,2>0,3>1") { sandbox in
            let ports = sandbox.instances.map(\.port)
            func key(_ index: Int) -> String { "127.0.0.1:\(ports[index])" }
            let httpPort = try SandboxPorts.allocate(count: 1)
            let base = "http://127.0.0.1:\(httpPort)"
            let state = NSTemporaryDirectory() + "web-page-\(httpPort)"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: state) }
            let server = try CommandLineTests.startServe(
                state: state, httpPort: httpPort,
                extraSettings: #", "RecoverMasterClusterFilters": ["*"], "RecoverIntermediateMasterClusterFilters": ["*"]"#
            )
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
            let answering = try await expectEventually(timeout: .seconds(60)) { (try? await HTTPGet.data("\(base)/api/discover/127.0.0.1/\(ports[0])")) != nil }
            try #require(answering, "serve answers")
            let crawled = try await expectEventually {
                let cluster = (try? await HTTPGet.data("\(base)/api/cluster/\(key(0))")).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [Any] }
                return cluster?.count == 4
            }
            try #require(crawled, "serve discovered 1>0,2>0,3>1")

            let browser = try await WebDriver()
            do {
                try await Self.readOnlyPageOffersNoOperations(browser, sandbox: sandbox, ports: ports)
                try await Self.follow(browser, sandbox: sandbox, base: base, ports: ports)
                // The page's event stream is open (EventSource.OPEN) when the service is told to
                // stop: the stream ends with the shutdown instead of holding it up.
                let streamOpen = try await browser.run("return window.orchestratorPage.streamState();") as? Int
                #expect(streamOpen == 1, "the page follows the event stream")
                kill(server.processIdentifier, SIGTERM)
                #expect(await CommandLineTests.exits(server, within: .seconds(14)), "the service stops on SIGTERM with the page's stream open, before its 15 s keep-alive")
            } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        }
    }

    /// A second service with `ReadOnly` watching the same servers: its page draws the tree with
    /// no operation controls, and a drag moves nothing.
    static func readOnlyPageOffersNoOperations(_ browser: WebDriver, sandbox: Sandbox, ports: [Int]) async throws {
        let httpPort = try SandboxPorts.allocate(count: 1)
        let base = "http://127.0.0.1:\(httpPort)"
        let state = NSTemporaryDirectory() + "web-page-read-only-\(httpPort)"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: state) }
        let server = try CommandLineTests.startServe(
            state: state, httpPort: httpPort, extraSettings: #", "ReadOnly": true, "DiscoverySeeds": ["127.0.0.1:\#(ports[0])"]"#
        )
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let master = "127.0.0.1:\(ports[0])", replica = "127.0.0.1:\(ports[2])", sibling = "127.0.0.1:\(ports[1])"
        let crawled = try await expectEventually(timeout: .seconds(60)) {
            let cluster = (try? await HTTPGet.data("\(base)/api/cluster/\(master)")).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [Any] }
            return cluster?.count == 4
        }
        try #require(crawled, "the read-only service discovered the sandbox from its seed")
        try await browser.open("\(base)/web/cluster/\(master)")
        let drawn = try await expectEventually {
            try await browser.run("return document.querySelectorAll('#tree .server').length;") as? Int == 4
        }
        try #require(drawn, "the read-only page draws the tree")
        let controls = try await browser.run("return document.querySelectorAll('[data-menu], [data-ack]').length;") as? Int
        #expect(controls == 0, "no operation controls for a caller who may not operate")
        try await browser.drag(".server[data-key='\(replica)']", onto: ".server[data-key='\(sibling)']")
        let message = try await browser.run("return document.getElementById('message').textContent;") as? String
        #expect(message == "", "a drag asks nothing of the API: \(message ?? "")")
        let source = try await sandbox.replication(2).masterPort
        #expect(source == ports[0], "nothing moved")
        kill(server.processIdentifier, SIGTERM)
        _ = await CommandLineTests.exits(server, within: .seconds(30))
    }

    static func follow(_ browser: WebDriver, sandbox: Sandbox, base: String, ports: [Int]) async throws {
            func key(_ index: Int) -> String { "127.0.0.1:\(ports[index])" }
            try await browser.open("\(base)/web/cluster/\(key(0))")
            func parents() async throws -> [String: String] {
                try await browser.run(Self.drawnParents) as? [String: String] ?? [:]
            }
            func pageText(_ selector: String) async throws -> String {
                try await browser.run("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", [selector]) as? String ?? ""
            }
            let drawn = try await expectEventually { try await parents() == [key(0): "", key(1): key(0), key(2): key(0), key(3): key(1)] }
            let firstTree = try await parents()
            #expect(drawn, "every server in its place: \(firstTree)")
            let loadedAt = try await browser.run("return window.orchestratorPage.loadedAt;") as? Double
            let streaming = try await expectEventually { try await pageText("#live") == "live" }
            #expect(streaming, "the page follows the event stream")

            // A drag of a replica onto its sibling moves it on the servers, and the tree redraws.
            try await browser.drag(".server[data-key='\(key(2))']", onto: ".server[data-key='\(key(1))']")
            let moved = try await expectEventually { try await parents()[key(2)] == key(1) }
            let (treeAfterMove, messageAfterMove) = (try await parents(), try await pageText("#message"))
            #expect(moved, "the tree shows \(key(2)) below \(key(1)): \(treeAfterMove); message: \(messageAfterMove)")
            let replicatesFrom = try await sandbox.replication(2)
            #expect(replicatesFrom.masterPort == ports[1] && replicatesFrom.running, "\(replicatesFrom)")

            // A forbidden drag (below its own replica) shows every reason and changes nothing.
            try await browser.drag(".server[data-key='\(key(1))']", onto: ".server[data-key='\(key(3))']")
            let refused = try await expectEventually { try await pageText("#message").contains("\(key(3)) is a descendant of \(key(1))") }
            let refusal = try await pageText("#message")
            #expect(refused, "the refusal is shown: \(refusal)")
            let stillFrom = try await sandbox.replication(1).masterPort
            #expect(stillFrom == ports[0], "nothing moved")
            let treeAfterRefusal = try await parents()
            #expect(treeAfterRefusal[key(1)] == key(0))

            // kill -9 of a replica: its box turns to a problem state without a reload.
            try sandbox.kill(3)
            let flagged = try await expectEventually {
                try await browser.run("return document.querySelector(\".server[data-key='\(key(3))']\").classList.contains('problem-failure');") as? Bool == true
            }
            #expect(flagged, "the dead replica is shown as failed")
            let loadedAfterKill = try await browser.run("return window.orchestratorPage.loadedAt;") as? Double
            #expect(loadedAfterKill == loadedAt, "no reload")

            // kill -9 of the master: the page shows the detection, the recovery's steps and the new tree.
            try sandbox.kill(0)
            let recovered = try await expectEventually(timeout: .seconds(60)) {
                let tree = try await parents()
                return tree[key(1)] == "" && tree[key(2)] == key(1)
            }
            let newTree = try await parents()
            #expect(recovered, "the new tree: \(newTree)")
            let steps = try await pageText("#recovery-panels")
            #expect(steps.contains("recovering DeadMaster on \(key(0))") && steps.contains("recovered: \(key(1)) took over"), "\(steps)")
            let path = try await browser.run("return decodeURIComponent(location.pathname);") as? String
            #expect(path == "/web/cluster/\(key(1))")
            let loadedAtEnd = try await browser.run("return window.orchestratorPage.loadedAt;") as? Double
            #expect(loadedAtEnd == loadedAt, "no reload")

            // The recoveries page lists it; its steps and lost-transaction report open in place.
            try await browser.open("\(base)/web/recoveries")
            let listed = try await expectEventually {
                try await browser.run("return document.querySelectorAll('#recoveries [data-steps]').length;") as? Int == 1
            }
            try #require(listed, "the recovery is listed")
            try await browser.run("document.querySelector('#recoveries [data-steps]').click();")
            let detailed = try await expectEventually {
                let text = try await pageText("#recoveries .steps-row")
                return text.contains("promote \(key(1))") && text.contains("No transaction lost.")
            }
            let details = try await pageText("#recoveries .steps-row")
            #expect(detailed, "\(details)")
    }
}
