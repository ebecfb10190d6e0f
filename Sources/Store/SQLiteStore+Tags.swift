import Foundation
import GRDB
import Topology

extension SQLiteStore {
    /// Sets the tag `name` of `key` to `value` (`""` for a valueless tag), replacing the value
    /// it had.
    package func putTag(_ key: InstanceKey, name: String, value: String, at now: Date) async throws(StoreError) {
        try await write("tag \(key) with \(name)=\(value)") { db in
            try db.execute(
                sql: """
                INSERT INTO database_instance_tags (hostname, port, tag_name, tag_value, last_updated) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (hostname, port, tag_name) DO UPDATE SET tag_value = excluded.tag_value, last_updated = excluded.last_updated
                """,
                arguments: [key.hostname, key.port, name, value, now]
            )
        }
    }

    /// Removes the tag `name` — only where it has `value`, when one is given — from `key`, or
    /// from every instance when `key` is `nil`. Returns the instances it was removed from,
    /// sorted by host then port.
    package func removeTag(name: String, value: String?, from key: InstanceKey?) async throws(StoreError) -> [InstanceKey] {
        try await write("remove tag \(name)\(value.map { "=\($0)" } ?? "") from \(key.map(\.description) ?? "every instance")") { db in
            var clause = "tag_name = ?"
            var arguments: StatementArguments = [name]
            if let value {
                clause += " AND tag_value = ?"
                arguments += [value]
            }
            if let key {
                clause += " AND hostname = ? AND port = ?"
                arguments += [key.hostname, key.port]
            }
            let removed = try Row.fetchAll(
                db, sql: "SELECT hostname, port FROM database_instance_tags WHERE \(clause) ORDER BY hostname, port", arguments: arguments
            ).map { InstanceKey(hostname: $0["hostname"], port: $0["port"]) }
            try db.execute(sql: "DELETE FROM database_instance_tags WHERE \(clause)", arguments: arguments)
            return removed
        }
    }

    /// The tags of `key`, sorted by name.
    package func tags(of key: InstanceKey) async throws(StoreError) -> [InstanceTag] {
        try await read("read tags of \(key)") { db in
            try Row.fetchAll(
                db, sql: "SELECT tag_name, tag_value FROM database_instance_tags WHERE hostname = ? AND port = ? ORDER BY tag_name",
                arguments: [key.hostname, key.port]
            ).map { InstanceTag(name: $0["tag_name"], value: $0["tag_value"]) }
        }
    }

    /// Every tagged instance's tags, name → value; untagged instances are absent.
    package func allTags() async throws(StoreError) -> [InstanceKey: [String: String]] {
        try await read("read tags") { db in
            var tags: [InstanceKey: [String: String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT hostname, port, tag_name, tag_value FROM database_instance_tags") {
                tags[InstanceKey(hostname: row["hostname"], port: row["port"]), default: [:]][row["tag_name"]] = row["tag_value"] as String
            }
            return tags
        }
    }
}
