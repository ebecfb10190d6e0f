import Foundation
import NIOSSL

/// `UseSSL` and its keys: the server's certificate and key, and for `UseMutualTLS` the CA that
/// must have signed every client certificate (with `SSLValidOUs`, the accepted organisational
/// units). Loaded once at start-up, so a bad file stops the daemon before it listens.
package struct HTTPSConfiguration: Sendable {
    /// `SSLCertFile`: PEM, the server certificate (then any intermediates).
    package var certificateFile: String
    /// `SSLPrivateKeyFile`: PEM, unencrypted.
    package var privateKeyFile: String
    /// `UseMutualTLS`: clients must present a certificate signed by `caFile`.
    package var requiresClientCertificate = false
    /// `SSLCAFile`.
    package var caFile = ""
    /// `SSLValidOUs`.
    package var validOUs: [String] = []
    /// `StatusOUVerify`.
    package var verifyOUsOnStatus = false
    /// `SSLSkipVerify`: a follower forwarding to the leader does not check its certificate.
    package var skipVerify = false

    package init(certificateFile: String, privateKeyFile: String) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }

    /// The files read and checked against each other (the key must match the certificate).
    package func tlsConfiguration() throws(HTTPSConfigurationError) -> TLSConfiguration {
        let chain = try load(.certificate, certificateFile) { try NIOSSLCertificate.fromPEMFile($0) }
        guard !chain.isEmpty else { throw .unusable(.certificate, certificateFile, "no PEM certificate in the file") }
        let key = try load(.privateKey, privateKeyFile) { try NIOSSLPrivateKey(file: $0, format: .pem) }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        if requiresClientCertificate {
            let authorities = try load(.certificateAuthority, caFile) { try NIOSSLCertificate.fromPEMFile($0) }
            guard !authorities.isEmpty else { throw .unusable(.certificateAuthority, caFile, "no PEM certificate in the file") }
            configuration.trustRoots = .certificates(authorities)
            // A server that verifies also requires a certificate; host names mean nothing for clients.
            configuration.certificateVerification = .noHostnameVerification
        }
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .unusable(.privateKey, privateKeyFile, "does not match the certificate in \(certificateFile) (\(error))")
        }
        return configuration
    }

    /// How a follower reaches the leader's HTTPS API (orchestrator's raft client does the same):
    /// trusting `SSLCAFile` when given (else the system's CAs), presenting this node's own
    /// certificate under `UseMutualTLS`, checking nothing under `SSLSkipVerify`.
    package func peerClientTLS() throws(HTTPSConfigurationError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !caFile.isEmpty {
            let authorities = try load(.certificateAuthority, caFile) { try NIOSSLCertificate.fromPEMFile($0) }
            guard !authorities.isEmpty else { throw .unusable(.certificateAuthority, caFile, "no PEM certificate in the file") }
            configuration.trustRoots = .certificates(authorities)
        }
        if requiresClientCertificate {
            let chain = try load(.certificate, certificateFile) { try NIOSSLCertificate.fromPEMFile($0) }
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(try load(.privateKey, privateKeyFile) { try NIOSSLPrivateKey(file: $0, format: .pem) })
        }
        if skipVerify { configuration.certificateVerification = .none }
        return configuration
    }

    private func load<T>(_ file: HTTPSConfigurationError.File, _ path: String, _ body: (String) throws -> T) throws(HTTPSConfigurationError) -> T {
        guard !path.isEmpty else { throw .unusable(file, path, "no file given") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw .unusable(file, path, "no such readable file") }
        do {
            return try body(path)
        } catch {
            throw .unusable(file, path, "not a PEM \(file.noun) (\(error))")
        }
    }
}

/// Why HTTPS cannot start: which file, and what is wrong with it.
package enum HTTPSConfigurationError: Error, Sendable, CustomStringConvertible {
    case unusable(File, String, String)

    package enum File: Sendable {
        case certificate, privateKey, certificateAuthority

        /// The configuration key that names the file.
        package var key: String {
            switch self {
            case .certificate: "SSLCertFile"
            case .privateKey: "SSLPrivateKeyFile"
            case .certificateAuthority: "SSLCAFile"
            }
        }

        var noun: String {
            switch self {
            case .certificate: "certificate"
            case .privateKey: "private key"
            case .certificateAuthority: "CA certificate"
            }
        }
    }

    package var file: File {
        switch self { case .unusable(let file, _, _): file }
    }

    package var description: String {
        switch self {
        case .unusable(let file, let path, let reason): "configuration key \(file.key): '\(path)': \(reason)"
        }
    }
}
