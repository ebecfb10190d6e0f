import Foundation
import MySQLClient

extension OrchestratorConfiguration {
    /// `MySQLTopologyUseMutualTLS` and the `MySQLTopologySSL*` keys (`config.md` §3.3): TLS to
    /// every topology server. orchestrator's per-server detection (`MySQLTopologyUseMixedTLS`)
    /// is not implemented, so without `MySQLTopologyUseMutualTLS` connections are plain.
    static func parseTopologyTLS(_ reader: ConfigurationReader, into config: inout OrchestratorConfiguration) throws {
        let useTLS = try reader.bool("MySQLTopologyUseMutualTLS", default: false)
        let files = [
            ("MySQLTopologySSLCAFile", try reader.string("MySQLTopologySSLCAFile", default: "")),
            ("MySQLTopologySSLCertFile", try reader.string("MySQLTopologySSLCertFile", default: "")),
            ("MySQLTopologySSLPrivateKeyFile", try reader.string("MySQLTopologySSLPrivateKeyFile", default: "")),
        ]
        let skipVerify = try reader.bool("MySQLTopologySSLSkipVerify", default: false)
        guard useTLS else {
            if files.contains(where: { !$0.1.isEmpty }) {
                config.warnings.append("MySQLTopologySSL* files are ignored without MySQLTopologyUseMutualTLS (MySQLTopologyUseMixedTLS is not supported)")
            }
            return
        }
        for (key, path) in files where !path.isEmpty && !FileManager.default.isReadableFile(atPath: path) {
            throw ConfigurationError.invalid(key, "'\(path)': no such readable file")
        }
        let (ca, certificate, key) = (files[0].1, files[1].1, files[2].1)
        if certificate.isEmpty != key.isEmpty {
            throw ConfigurationError.invalid(certificate.isEmpty ? "MySQLTopologySSLCertFile" : "MySQLTopologySSLPrivateKeyFile",
                                             "a client certificate needs both MySQLTopologySSLCertFile and MySQLTopologySSLPrivateKeyFile")
        }
        if ca.isEmpty, !skipVerify {
            config.warnings.append("MySQLTopologyUseMutualTLS without MySQLTopologySSLCAFile: server certificates are checked against the system's CAs")
        }
        config.mySQLTopologyTLS = MySQLTLSOptions(caFile: ca, certificateFile: certificate, privateKeyFile: key, verifiesServerCertificate: !skipVerify)
    }
}
