/// TLS to a server (orchestrator's `MySQLTopologyUseMutualTLS` and its `MySQLTopologySSL*`
/// keys). When set, the connection is encrypted or not made at all: a server without TLS is an
/// error, never a silent plain-text fallback.
package struct MySQLTLSOptions: Sendable, Equatable {
    /// PEM bundle of the CAs that sign server certificates; empty: the system's default CAs.
    package var caFile: String
    /// PEM client certificate and its key, for servers that require one (`REQUIRE X509`).
    package var certificateFile: String
    package var privateKeyFile: String
    /// Check the server's certificate chain and that it names the host connected to.
    /// `MySQLTopologySSLSkipVerify` turns it off: encrypted, but open to a man in the middle.
    package var verifiesServerCertificate: Bool

    package init(caFile: String = "", certificateFile: String = "", privateKeyFile: String = "", verifiesServerCertificate: Bool = true) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.verifiesServerCertificate = verifiesServerCertificate
    }
}
