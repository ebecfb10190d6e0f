import Foundation
import Sandbox

/// The ids in `orc_test.t` on one server.
func rows(on sandbox: Sandbox, index: Int) async throws -> Set<Int> {
    let connection = try await sandbox.connect(index)
    defer { Task { await connection.close() } }
    return Set(try await connection.query("SELECT id FROM orc_test.t").compactMap { $0.int("id").map(Int.init) })
}
