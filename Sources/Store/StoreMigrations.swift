import GRDB

/// The schema, as an append-only list of migrations.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-instances-aliases-audit") { db in
            // One row per instance: the columns we query by, plus the whole value as JSON so the
            // schema does not change with every probe field.
            try db.create(table: "database_instance") { table in
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("cluster_name", .text).notNull().defaults(to: "")
                table.column("master_host", .text).notNull().defaults(to: "")
                table.column("master_port", .integer).notNull().defaults(to: 0)
                table.column("last_checked", .datetime)
                table.column("last_seen", .datetime)
                table.column("last_attempted_check", .datetime)
                table.column("data", .blob).notNull()
                table.primaryKey(["hostname", "port"])
            }
            try db.create(index: "database_instance_cluster", on: "database_instance", columns: ["cluster_name"])
            try db.create(table: "cluster_alias_override") { table in
                table.column("cluster_name", .text).primaryKey()
                table.column("alias", .text).notNull()
            }
            try db.create(table: "audit") { table in
                table.autoIncrementedPrimaryKey("audit_id")
                table.column("audit_timestamp", .datetime).notNull()
                table.column("audit_type", .text).notNull()
                table.column("hostname", .text).notNull().defaults(to: "")
                table.column("port", .integer).notNull().defaults(to: 0)
                table.column("message", .text).notNull()
            }
            try db.create(index: "audit_instance", on: "audit", columns: ["hostname", "port"])
        }
        migrator.registerMigration("v2-failure-detection") { db in
            // orchestrator's `topology_failure_detection`: at most one active detection per
            // instance and actionability; `end_active_period_unixtime` is 0 while active, so the
            // unique index allows any number of ended ones.
            try db.create(table: "topology_failure_detection") { table in
                table.autoIncrementedPrimaryKey("detection_id")
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("in_active_period", .integer).notNull().defaults(to: 1)
                table.column("end_active_period_unixtime", .integer).notNull().defaults(to: 0)
                table.column("processing_node_hostname", .text).notNull()
                table.column("processing_node_token", .text).notNull()
                table.column("analysis", .text).notNull()
                table.column("cluster_name", .text).notNull()
                table.column("cluster_alias", .text).notNull()
                table.column("count_affected_slaves", .integer).notNull()
                // Ours: what the replicas said when the problem was detected, for the post-mortem.
                table.column("count_valid_replicas", .integer).notNull().defaults(to: 0)
                table.column("count_valid_replicating_replicas", .integer).notNull().defaults(to: 0)
                table.column("count_replicas_failing_to_connect", .integer).notNull().defaults(to: 0)
                table.column("slave_hosts", .text).notNull()
                table.column("is_actionable", .integer).notNull()
                table.column("start_active_period", .datetime).notNull()
                table.column("related_recovery_id", .integer).notNull().defaults(to: 0)
            }
            try db.create(
                index: "topology_failure_detection_active", on: "topology_failure_detection",
                columns: ["hostname", "port", "in_active_period", "end_active_period_unixtime", "is_actionable"], unique: true
            )
            try db.create(index: "topology_failure_detection_alias", on: "topology_failure_detection", columns: ["cluster_alias"])
        }
        migrator.registerMigration("v3-recovery") { db in
            // orchestrator's `topology_recovery`: the unique index allows one active recovery per
            // failed instance; ended periods get their end time and stop colliding.
            try db.create(table: "topology_recovery") { table in
                table.autoIncrementedPrimaryKey("recovery_id")
                table.column("uid", .text).notNull().unique()
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("in_active_period", .integer).notNull().defaults(to: 1)
                table.column("start_active_period", .datetime).notNull()
                table.column("end_active_period_unixtime", .integer).notNull().defaults(to: 0)
                table.column("end_recovery", .datetime)
                table.column("processing_node_hostname", .text).notNull()
                table.column("processing_node_token", .text).notNull()
                table.column("successor_hostname", .text)
                table.column("successor_port", .integer)
                table.column("successor_alias", .text).notNull().defaults(to: "")
                table.column("successor_log_file", .text)
                table.column("successor_log_pos", .integer)
                table.column("is_successful", .integer).notNull().defaults(to: 0)
                table.column("analysis", .text).notNull()
                table.column("cluster_name", .text).notNull()
                table.column("cluster_alias", .text).notNull()
                table.column("count_affected_slaves", .integer).notNull()
                table.column("slave_hosts", .text).notNull()
                table.column("participating_instances", .text).notNull().defaults(to: "")
                table.column("lost_slaves", .text).notNull().defaults(to: "")
                table.column("all_errors", .text).notNull().defaults(to: "")
                table.column("acknowledged", .integer).notNull().defaults(to: 0)
                table.column("acknowledged_at", .datetime)
                table.column("acknowledged_by", .text).notNull().defaults(to: "")
                table.column("acknowledge_comment", .text).notNull().defaults(to: "")
                table.column("last_detection_id", .integer).notNull().defaults(to: 0)
                table.column("recovery_type", .text).notNull().defaults(to: "")
                table.column("type", .text).notNull().defaults(to: "")
                table.column("command_hint", .text).notNull().defaults(to: "")
                table.column("plan_summary", .text).notNull().defaults(to: "")
                table.column("lost_transactions", .text).notNull().defaults(to: "")
                table.column("last_step", .text).notNull().defaults(to: "")
            }
            try db.create(
                index: "topology_recovery_active", on: "topology_recovery",
                columns: ["hostname", "port", "in_active_period", "end_active_period_unixtime"], unique: true
            )
            try db.create(index: "topology_recovery_cluster", on: "topology_recovery", columns: ["cluster_name", "in_active_period"])
            try db.create(table: "topology_recovery_steps") { table in
                table.autoIncrementedPrimaryKey("recovery_step_id")
                table.column("recovery_uid", .text).notNull().indexed()
                table.column("audit_at", .datetime).notNull()
                table.column("message", .text).notNull()
            }
            try db.create(table: "blocked_topology_recovery") { table in
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("cluster_name", .text).notNull()
                table.column("analysis", .text).notNull()
                table.column("last_blocked_timestamp", .datetime).notNull()
                table.column("blocking_recovery_id", .integer).notNull()
                table.primaryKey(["hostname", "port"])
            }
            try db.create(table: "global_recovery_disable") { table in
                table.column("disable_recovery", .integer).primaryKey()
            }
            try db.create(table: "candidate_database_instance") { table in
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("promotion_rule", .text).notNull()
                table.column("last_suggested", .datetime).notNull()
                table.primaryKey(["hostname", "port"])
            }
        }
        migrator.registerMigration("v4-kv") { db in
            // orchestrator's internal KV store: the last master-discovery entries written.
            try db.create(table: "kv_store") { table in
                table.column("store_key", .text).primaryKey()
                table.column("store_value", .text).notNull()
                table.column("last_updated", .datetime).notNull()
            }
        }
        migrator.registerMigration("v5-maintenance") { db in
            // Maintenance locks: at most one active row per instance (NULLs are distinct in a
            // unique index, so ended rows stay as history).
            try db.create(table: "database_instance_maintenance") { table in
                table.autoIncrementedPrimaryKey("maintenance_id")
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("maintenance_active", .integer)
                table.column("begin_timestamp", .datetime).notNull()
                table.column("end_timestamp", .datetime).notNull()
                table.column("owner", .text).notNull()
                table.column("reason", .text).notNull()
                table.column("explicitly_bounded", .boolean).notNull()
                table.column("processing_node", .text).notNull()
            }
            try db.create(
                index: "maintenance_active_instance", on: "database_instance_maintenance",
                columns: ["maintenance_active", "hostname", "port"], unique: true
            )
        }
        migrator.registerMigration("v6-downtime") { db in
            // One downtime per instance; a new one replaces it. No end: until ended by hand.
            try db.create(table: "database_instance_downtime") { table in
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("begin_timestamp", .datetime).notNull()
                table.column("end_timestamp", .datetime)
                table.column("owner", .text).notNull()
                table.column("reason", .text).notNull()
                table.primaryKey(["hostname", "port"])
            }
        }
        migrator.registerMigration("v7-tags") { db in
            // orchestrator's instance tags: one value per tag name and instance. Kept when an
            // instance is forgotten, as orchestrator does, so a rediscovered server keeps its tags.
            try db.create(table: "database_instance_tags") { table in
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("tag_name", .text).notNull()
                table.column("tag_value", .text).notNull().defaults(to: "")
                table.column("last_updated", .datetime).notNull()
                table.primaryKey(["hostname", "port", "tag_name"])
            }
            try db.create(index: "database_instance_tags_name", on: "database_instance_tags", columns: ["tag_name", "tag_value"])
        }
        migrator.registerMigration("v8-pools-unresolve-history") { db in
            // orchestrator's pools: named sets of instances an operator submits (what a
            // load balancer serves, say), replaced wholesale by each submission.
            try db.create(table: "database_instance_pool") { table in
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("pool", .text).notNull()
                table.column("registered_at", .datetime).notNull()
                table.primaryKey(["hostname", "port", "pool"])
            }
            try db.create(index: "database_instance_pool_pool", on: "database_instance_pool", columns: ["pool"])
            // Virtual names replicas are pointed at instead of the host name.
            try db.create(table: "hostname_unresolve") { table in
                table.column("hostname", .text).notNull().primaryKey()
                table.column("unresolved_hostname", .text).notNull()
                table.column("last_registered", .datetime).notNull()
            }
            // `snapshot-topologies`: who replicated from whom, at a moment.
            try db.create(table: "database_instance_topology_history") { table in
                table.column("snapshot_unix_timestamp", .integer).notNull()
                table.column("hostname", .text).notNull()
                table.column("port", .integer).notNull()
                table.column("master_host", .text).notNull()
                table.column("master_port", .integer).notNull()
                table.column("cluster_name", .text).notNull()
                table.column("version", .text).notNull()
                table.primaryKey(["snapshot_unix_timestamp", "hostname", "port"])
            }
        }
        migrator.registerMigration("v9-node-health") { db in
            // orchestrator's node_health: each health check writes this node's row, so a store
            // that cannot be written (disk full, read-only) makes the node unhealthy, saying why.
            try db.create(table: "node_health") { table in
                table.column("hostname", .text).notNull()
                table.column("token", .text).notNull()
                table.column("last_seen_active", .datetime).notNull()
                table.primaryKey(["hostname", "token"])
            }
        }
        return migrator
    }
}
