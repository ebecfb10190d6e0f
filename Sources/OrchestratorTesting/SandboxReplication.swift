import Foundation
import Sandbox

extension Sandbox {
    /// Where instance `index` replicates from, and whether both threads run, read from the
    /// server itself. A just-started IO thread passes through "Preparing" and "Connecting"
    /// (MariaDB) before "Yes" or "No", for longer on a loaded machine: those are waited out, up
    /// to 30 s.
    package func replication(_ index: Int) async throws -> (masterPort: Int, running: Bool) {
        let connection = try await connect(index)
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        do {
            while true {
                guard let row = try await connection.query("SHOW SLAVE STATUS").first else {
                    await connection.close()
                    return (0, false)
                }
                let io = row.string("Slave_IO_Running")
                if io == "Yes" || io == "No" || ContinuousClock.now >= deadline {
                    await connection.close()
                    return (Int(row.int("Master_Port") ?? 0), io == "Yes" && row.string("Slave_SQL_Running") == "Yes")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        } catch {
            await connection.close()
            throw error
        }
    }
}
