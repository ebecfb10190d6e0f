import AsyncHTTPClient
import Foundation
import NIOCore
import OrchestratorTesting

/// A headless Chromium driven through chromedriver's W3C WebDriver protocol (JSON over HTTP on
/// loopback): enough to open a page, read it with scripts, drag with the mouse and take a
/// screenshot. Both processes are stopped by pid.
final class WebDriver: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    private let driver: Process
    private let base: String
    private let http = HTTPClient(eventLoopGroupProvider: .singleton)
    private var session = ""

    /// Starts chromedriver on a free loopback port and opens a 1280×800 headless session.
    init() async throws {
        let port = try SandboxPorts.allocate(count: 1)
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        driver.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try driver.run()
        base = "http://127.0.0.1:\(port)"
        let ready = try await expectEventually(timeout: .seconds(30)) {
            let ready = ((try? await self.call("GET", "/status"))?["value"] as? [String: Any])?["ready"]
            return (ready as? Bool) == true || (ready as? NSNumber)?.boolValue == true
        }
        guard ready else { await close(); throw Failure(description: "chromedriver did not start on port \(port)") }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": [
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800"],
            ],
        ]]]
        do {
            let answer = try await call("POST", "/session", capabilities)
            guard let id = (answer["value"] as? [String: Any])?["sessionId"] as? String else { throw Failure(description: "no session: \(answer)") }
            session = id
        } catch {
            await close()
            throw error
        }
    }

    /// Ends the session (Chromium quits) and stops chromedriver.
    func close() async {
        if !session.isEmpty {
            _ = try? await call("DELETE", "/session/\(session)")
            session = ""
        }
        try? await http.shutdown()
        // SIGKILL: a test process may ignore SIGTERM (signal handling installed by services),
        // and an ignored signal stays ignored in the children it starts.
        if driver.isRunning {
            kill(driver.processIdentifier, SIGKILL)
            driver.waitUntilExit()
        }
    }

    func open(_ url: String) async throws {
        _ = try await call("POST", "/session/\(session)/url", ["url": url])
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) in the page; its return value.
    @discardableResult
    func run(_ script: String, _ args: [Any] = []) async throws -> Any? {
        try await call("POST", "/session/\(session)/execute/sync", ["script": script, "args": args])["value"] ?? nil
    }

    /// The centre of the element matching `selector`, in viewport coordinates. Coordinates
    /// rather than element references: the page redraws itself, and a redrawn element is a
    /// new one (a reference to the old one is stale).
    func centre(of selector: String) async throws -> (x: Int, y: Int) {
        let script = """
            const e = document.querySelector(arguments[0]);
            if (!e) return null;
            e.scrollIntoView({block: 'center'});
            const r = e.getBoundingClientRect();
            return [Math.round(r.left + Math.min(r.width / 2, 60)), Math.round(r.top + r.height / 2)];
            """
        guard let point = try await run(script, [selector]) as? [Any], point.count == 2,
              let x = (point[0] as? NSNumber)?.intValue, let y = (point[1] as? NSNumber)?.intValue
        else { throw Failure(description: "no element \(selector) on the page") }
        return (x, y)
    }

    /// Presses the mouse on `source`, moves onto `target` in steps, waits, and releases, with
    /// Shift held when `shift`.
    func drag(_ source: String, onto target: String, shift: Bool = false) async throws {
        let from = try await centre(of: source)
        let to = try await centre(of: target)
        var pointer: [[String: Any]] = [
            ["type": "pointerMove", "origin": "viewport", "x": from.x, "y": from.y, "duration": 0],
            ["type": "pointerDown", "button": 0],
            ["type": "pointerMove", "origin": "viewport", "x": from.x + 20, "y": from.y + 20, "duration": 100],
            ["type": "pointerMove", "origin": "viewport", "x": to.x, "y": to.y, "duration": 300],
            ["type": "pause", "duration": 700],
            ["type": "pointerUp", "button": 0],
        ]
        var keys: [[String: Any]] = pointer.map { _ in ["type": "pause", "duration": 0] }
        if shift {
            keys[0] = ["type": "keyDown", "value": "\u{E008}"]
            keys.append(["type": "keyUp", "value": "\u{E008}"])
            pointer.append(["type": "pause", "duration": 0])
        }
        _ = try await call("POST", "/session/\(session)/actions", ["actions": [
            ["type": "key", "id": "keyboard", "actions": keys],
            ["type": "pointer", "id": "mouse", "parameters": ["pointerType": "mouse"], "actions": pointer],
        ]])
        _ = try await call("DELETE", "/session/\(session)/actions")
    }

    func screenshot() async throws -> Data {
        let answer = try await call("GET", "/session/\(session)/screenshot")
        guard let text = answer["value"] as? String, let data = Data(base64Encoded: text) else { throw Failure(description: "no screenshot") }
        return data
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        let data = Data(try await response.body.collect(upTo: 32 << 20).readableBytesView)
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw Failure(description: "not JSON from \(path)") }
        if let value = json["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "\(method) \(path): \(error): \(value["message"] as? String ?? "")")
        }
        return json
    }
}
