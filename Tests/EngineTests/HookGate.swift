import Foundation

/// A hook that waits for the test's go-ahead before it does its work: while the gate is shut,
/// whoever started the hook can only have gone on without waiting for it; once opened, what the
/// hook wrote shows it ran to its end.
struct HookGate {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hook-gate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// A hook command that waits for the gate, then appends `line` (placeholders substituted) to the log.
    func command(appending line: String, background: Bool = false) -> String {
        "while [ ! -e \(directory)/go ]; do sleep 0.05; done; echo \(line) >> \(directory)/ran" + (background ? " &" : "")
    }

    func open() {
        FileManager.default.createFile(atPath: "\(directory)/go", contents: nil)
    }

    /// The lines the hooks appended, in order.
    var lines: [String] {
        ((try? String(contentsOfFile: "\(directory)/ran", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
