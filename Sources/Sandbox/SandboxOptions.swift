/// How a sandbox sets up replication.
package struct SandboxOptions: Sendable {
    /// Replicas follow their master with MariaDB GTID (`MASTER_USE_GTID=slave_pos`); when false,
    /// with binary log coordinates (`MASTER_LOG_FILE`/`MASTER_LOG_POS`, `MASTER_USE_GTID=no`), for
    /// the moves that must work without GTID.
    package var usesGTID = true
    /// Instances started without a binary log (`log-bin` off), as some replicas run: nothing
    /// may replicate from them.
    package var withoutBinaryLog: Set<Int> = []
    /// Servers that offer TLS with these files (every instance); `nil`: no TLS at all.
    package var tls: SandboxTLS?
    /// `MASTER_HEARTBEAT_PERIOD` of every replica, in seconds (`slave_net_timeout` stays at
    /// MariaDB's 60 s default).
    package var heartbeatPeriod: Double

    package init(usesGTID: Bool = true, withoutBinaryLog: Set<Int> = [], tls: SandboxTLS? = nil, heartbeatPeriod: Double = 1) {
        self.heartbeatPeriod = heartbeatPeriod
        self.usesGTID = usesGTID
        self.withoutBinaryLog = withoutBinaryLog
        self.tls = tls
    }
}

/// A sandbox server's TLS: `ssl-ca`, `ssl-cert`, `ssl-key`, and whether TCP clients must use it
/// (`require-secure-transport`; the socket, which the sandbox itself uses, stays allowed;
/// replication, which the sandbox sets up in plain text, would not: use it on one server).
package struct SandboxTLS: Sendable {
    package var caFile: String
    package var certificateFile: String
    package var privateKeyFile: String
    package var requiresSecureTransport: Bool

    package init(caFile: String, certificateFile: String, privateKeyFile: String, requiresSecureTransport: Bool = false) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.requiresSecureTransport = requiresSecureTransport
    }

    var configurationLines: [String] {
        ["ssl-ca=\(caFile)", "ssl-cert=\(certificateFile)", "ssl-key=\(privateKeyFile)"]
            + (requiresSecureTransport ? ["require-secure-transport=ON"] : [])
    }
}
