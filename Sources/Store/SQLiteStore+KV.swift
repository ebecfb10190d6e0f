import Foundation
import GRDB
import Topology

extension SQLiteStore {
    /// Writes master-discovery entries to the internal KV table (replacing earlier values).
    package func putKeyValues(_ pairs: [KVPair], at now: Date) async throws(StoreError) {
        try await write("write \(pairs.count) key-value pairs") { db in
            for pair in pairs {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO kv_store (store_key, store_value, last_updated) VALUES (?, ?, ?)",
                    arguments: [pair.key, pair.value, now]
                )
            }
        }
    }

    package func keyValue(_ key: String) async throws(StoreError) -> String? {
        try await read("read key \(key)") { db in
            try String.fetchOne(db, sql: "SELECT store_value FROM kv_store WHERE store_key = ?", arguments: [key])
        }
    }
}
