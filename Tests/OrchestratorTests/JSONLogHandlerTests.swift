import Foundation
import Logging
import Secrets
import Synchronization
import Testing
@testable import orchestrator

/// `--log-format json`: one valid JSON object per line, with the logger's metadata.
@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    func logger(_ lines: Lines, label: String = "orchestrator.recovery") -> Logger {
        let instant = Date(timeIntervalSince1970: 1_700_000_000.25)
        return Logger(label: label) { label in
            JSONLogHandler(label: label, now: { instant }) { line in lines.lines.withLock { $0.append(line) } }
        }
    }

    @Test func eachEventIsOneJSONObjectOnOneLine() throws {
        let lines = Lines()
        var logger = logger(lines)
        logger[metadataKey: "recovery_id"] = "1700000000:abc"
        logger.warning("failure detected: DeadMaster\nsecond line \"quoted\" \\ tab\t", metadata: [
            "instance": "127.0.0.1:23306", "cluster": "127.0.0.1:23306", "analysis": "DeadMaster",
            "replicas": .array(["a", "b"]), "nested": .dictionary(["k": "v"]), "password": "\(Secret("s3cret"))",
        ])
        logger.debug("below the level: not written")
        logger.info("second")
        #expect(lines.all.count == 2)
        for line in lines.all {
            #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil, "one line: \(line)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        #expect(object["timestamp"] as? String == "2023-11-14T22:13:20.250Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["label"] as? String == "orchestrator.recovery")
        #expect(object["message"] as? String == "failure detected: DeadMaster\nsecond line \"quoted\" \\ tab\t")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["instance"] as? String == "127.0.0.1:23306")
        #expect(metadata["cluster"] as? String == "127.0.0.1:23306")
        #expect(metadata["analysis"] as? String == "DeadMaster")
        #expect(metadata["recovery_id"] as? String == "1700000000:abc", "the logger's own metadata is included")
        #expect(metadata["replicas"] as? [String] == ["a", "b"])
        #expect((metadata["nested"] as? [String: String]) == ["k": "v"])
        #expect(metadata["password"] as? String == "<redacted>")
        #expect(!lines.all.joined().contains("s3cret"))
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[1].utf8)) as? [String: Any])
        #expect(second["message"] as? String == "second" && (second["metadata"] as? [String: Any])?["recovery_id"] as? String == "1700000000:abc")
    }

    @Test func controlCharactersAreEscaped() throws {
        let text = "a\u{01}b\u{1f}c"
        let quoted = JSONLogHandler.quoted(text)
        #expect(quoted == "\"a\\u0001b\\u001fc\"")
        #expect(try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String == text)
    }
}
