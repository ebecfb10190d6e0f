import Foundation

/// Test data: copies of what orchestrator itself produced (`shared/reference/samples/`), kept
/// beside the tests so that they run from a bare clone.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The reference samples next to the repository (`/work/shared/reference/samples` beside
    /// `/work/main`), when present: the fixtures must stay byte-identical copies of them.
    static let referenceDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/reference/samples")

    /// Every file in `Fixtures/`.
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// The file's text, exactly (orchestrator writes no trailing newline).
    static func text(_ name: String) throws -> String {
        String(decoding: try data(name), as: UTF8.self)
    }

    /// The keys of the outermost object of `text`, in document order (our parser sorts them).
    static func topLevelKeys(of text: String) -> [String] {
        var keys: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = ""
        var expectingKey = false
        var keyCandidate: String?
        for character in text {
            if inString {
                if escaped {
                    escaped = false
                    current.append(character)
                } else if character == "\\" {
                    escaped = true
                    current.append(character)
                } else if character == "\"" {
                    inString = false
                    if depth == 1, expectingKey { keyCandidate = current }
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                inString = true
                current = ""
            case "{", "[":
                depth += 1
                expectingKey = depth == 1 && character == "{"
            case "}", "]":
                depth -= 1
            case ",":
                if depth == 1 { expectingKey = true }
            case ":":
                if depth == 1, let key = keyCandidate {
                    keys.append(key)
                    keyCandidate = nil
                    expectingKey = false
                }
            default:
                break
            }
        }
        return keys
    }
}
