import Foundation
import Sandbox

/// A throw-away certificate authority and certificates it signed, made with the `openssl`
/// command in a new directory: a server certificate for 127.0.0.1 and `localhost`, and client
/// certificates with an organisational unit, for the HTTPS and MySQL TLS tests.
package struct TestCertificates: Sendable {
    package let directory: String
    package var caFile: String { directory + "/ca.pem" }
    package var serverCertificateFile: String { directory + "/server.pem" }
    package var serverKeyFile: String { directory + "/server.key" }

    /// A new CA and server certificate under a fresh directory in /tmp.
    package static func make() async throws -> TestCertificates {
        let directory = "/tmp/orchestrator-certs-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(directory: directory)
        try await certificates.openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/ca.key", "-out", certificates.caFile,
            "-days", "2", "-subj", "/CN=orchestrator test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try await certificates.sign(name: "server", subject: "/CN=127.0.0.1", extensions: [
            "subjectAltName=IP:127.0.0.1,DNS:localhost", "basicConstraints=CA:FALSE", "extendedKeyUsage=serverAuth",
        ])
        return certificates
    }

    /// A client certificate signed by the CA, with organisational unit `unit`: (certificate, key) paths.
    package func client(named name: String, unit: String) async throws -> (certificate: String, key: String) {
        try await sign(name: name, subject: "/CN=\(name)/OU=\(unit)", extensions: ["basicConstraints=CA:FALSE", "extendedKeyUsage=clientAuth"])
        return (directory + "/\(name).pem", directory + "/\(name).key")
    }

    /// A node's certificate, for serving HTTPS on 127.0.0.1 or `localhost` and for presenting
    /// as a client to the other nodes (orchestrator nodes use one for both), with organisational
    /// unit `unit`: (certificate, key) paths.
    package func node(named name: String, unit: String) async throws -> (certificate: String, key: String) {
        try await sign(name: name, subject: "/CN=\(name)/OU=\(unit)", extensions: [
            "subjectAltName=IP:127.0.0.1,DNS:localhost", "basicConstraints=CA:FALSE", "extendedKeyUsage=serverAuth,clientAuth",
        ])
        return (directory + "/\(name).pem", directory + "/\(name).key")
    }

    /// A certificate and key that no CA here signed (a stranger's).
    package func selfSigned(named name: String) async throws -> (certificate: String, key: String) {
        try await openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/\(name).key", "-out", directory + "/\(name).pem",
            "-days", "2", "-subj", "/CN=\(name)/OU=dba",
        ])
        return (directory + "/\(name).pem", directory + "/\(name).key")
    }

    package func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func sign(name: String, subject: String, extensions: [String]) async throws {
        let key = directory + "/\(name).key", request = directory + "/\(name).csr", extensionsFile = directory + "/\(name).ext"
        try extensions.joined(separator: "\n").write(toFile: extensionsFile, atomically: true, encoding: .utf8)
        try await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", subject])
        try await openssl([
            "x509", "-req", "-in", request, "-CA", caFile, "-CAkey", directory + "/ca.key", "-CAcreateserial",
            "-out", directory + "/\(name).pem", "-days", "2", "-extfile", extensionsFile,
        ])
    }

    private func openssl(_ arguments: [String]) async throws {
        try await ShellCommand.run("/usr/bin/openssl", arguments)
    }
}

extension TestCertificates {
    /// A sandbox server's TLS settings with these certificates; by default it refuses plain connections.
    package func serverTLS(requiresSecureTransport: Bool = true) -> SandboxTLS {
        SandboxTLS(
            caFile: caFile, certificateFile: serverCertificateFile, privateKeyFile: serverKeyFile, requiresSecureTransport: requiresSecureTransport
        )
    }
}
