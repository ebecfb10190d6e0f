import Foundation
import GRDB

extension SQLiteStore {
    /// Records that this node is alive, as every health check does: a real write, so a store
    /// that cannot be written (disk full, read-only file system) fails here with the reason.
    package func touchNodeHealth(hostname: String, token: String, at now: Date) async throws(StoreError) {
        try await write("record node health") { db in
            try db.execute(
                sql: "INSERT INTO node_health (hostname, token, last_seen_active) VALUES (?, ?, ?) "
                    + "ON CONFLICT (hostname, token) DO UPDATE SET last_seen_active = excluded.last_seen_active",
                arguments: [hostname, token, now]
            )
        }
    }
}
