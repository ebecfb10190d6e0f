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
        return migrator
    }
}
