import Foundation
import GRDB
import Topology

extension SQLiteStore {
    /// `disable-global-recoveries` / `enable-global-recoveries`.
    package func setGlobalRecoveriesDisabled(_ disabled: Bool) async throws(StoreError) {
        try await write(disabled ? "disable global recoveries" : "enable global recoveries") { db in
            if disabled {
                try db.execute(sql: "INSERT OR IGNORE INTO global_recovery_disable (disable_recovery) VALUES (1)")
            } else {
                try db.execute(sql: "DELETE FROM global_recovery_disable")
            }
        }
    }

    package func areGlobalRecoveriesDisabled() async throws(StoreError) -> Bool {
        try await read("check global recoveries") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM global_recovery_disable WHERE disable_recovery = 1") ?? 0 > 0
        }
    }

    /// Registers (or renews) an instance's promotion rule (`register-candidate`).
    package func registerCandidate(_ key: InstanceKey, rule: PromotionRule, at now: Date) async throws(StoreError) {
        try await write("register candidate \(key)") { db in
            try db.execute(
                sql: """
                INSERT INTO candidate_database_instance (hostname, port, promotion_rule, last_suggested) VALUES (?, ?, ?, ?)
                ON CONFLICT (hostname, port) DO UPDATE SET promotion_rule = excluded.promotion_rule, last_suggested = excluded.last_suggested
                """,
                arguments: [key.hostname, key.port, rule.rawValue, now]
            )
        }
    }

    /// Registered promotion rules not older than `since` (`CandidateInstanceExpireMinutes`).
    package func promotionRules(registeredSince since: Date) async throws(StoreError) -> [InstanceKey: PromotionRule] {
        try await read("read candidates") { db in
            var rules: [InstanceKey: PromotionRule] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM candidate_database_instance WHERE last_suggested >= ?", arguments: [since]) {
                if let rule = PromotionRule(rawValue: row["promotion_rule"]) { rules[InstanceKey(hostname: row["hostname"], port: row["port"])] = rule }
            }
            return rules
        }
    }

    @discardableResult
    package func expireCandidates(registeredBefore cutoff: Date) async throws(StoreError) -> Int {
        try await write("expire candidates") { db in
            try db.execute(sql: "DELETE FROM candidate_database_instance WHERE last_suggested < ?", arguments: [cutoff])
            return db.changesCount
        }
    }
}
