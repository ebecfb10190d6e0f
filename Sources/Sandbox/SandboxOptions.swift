/// How a sandbox sets up replication.
package struct SandboxOptions: Sendable {
    /// Replicas follow their master with MariaDB GTID (`MASTER_USE_GTID=slave_pos`); when false,
    /// with binary log coordinates (`MASTER_LOG_FILE`/`MASTER_LOG_POS`, `MASTER_USE_GTID=no`), for
    /// the moves that must work without GTID.
    package var usesGTID = true
    /// Instances started without a binary log (`log-bin` off), as some replicas run: nothing
    /// may replicate from them.
    package var withoutBinaryLog: Set<Int> = []

    package init(usesGTID: Bool = true, withoutBinaryLog: Set<Int> = []) {
        self.usesGTID = usesGTID
        self.withoutBinaryLog = withoutBinaryLog
    }
}
