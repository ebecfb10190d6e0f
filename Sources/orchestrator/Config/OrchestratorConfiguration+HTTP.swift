import Foundation
import HTTPAPI

extension OrchestratorConfiguration {
    /// Who may do what over HTTP, where the API is served, and over what (`config.md` §3.1).
    static func parseHTTP(_ reader: ConfigurationReader, into config: inout OrchestratorConfiguration) throws {
        let methodName = try reader.string("AuthenticationMethod", default: "")
        // orchestrator runs open on a name it does not know; a typo must not open the API.
        guard let method = AuthenticationMethod(configured: methodName) else {
            throw ConfigurationError.invalid("AuthenticationMethod", "'\(methodName)' is not one of \"\", basic, multi, proxy, token, oauth")
        }
        var access = HTTPAccessPolicy(method: method)
        access.user = try reader.string("HTTPAuthUser", default: "")
        access.password = try reader.string("HTTPAuthPassword", default: "")
        access.userHeader = try reader.string("AuthUserHeader", default: access.userHeader)
        if reader.values["PowerAuthUsers"] != nil { access.powerUsers = try reader.strings("PowerAuthUsers") }
        access.readOnly = try reader.bool("ReadOnly", default: false)
        switch method {
        case .multi where access.user.isEmpty:
            throw ConfigurationError.invalid("HTTPAuthUser", "must be set with AuthenticationMethod multi")
        case .basic where access.user.isEmpty:
            config.warnings.append("AuthenticationMethod basic with an empty HTTPAuthUser: clients log in with an empty user name")
        case .proxy where !access.hasValidUserHeader:
            throw ConfigurationError.invalid("AuthUserHeader", "'\(access.userHeader)' is not an HTTP header name")
        case .token, .oauth:
            config.warnings.append("AuthenticationMethod \(method.rawValue) is not implemented: reads are open and every operation is refused")
        default:
            break
        }
        if !(try reader.strings("PowerAuthGroups")).isEmpty {
            config.warnings.append("PowerAuthGroups is not supported (Unix groups are not consulted): name the users in PowerAuthUsers")
        }
        config.access = access
        config.urlPrefix = APIRouter.normalizedPrefix(try reader.string("URLPrefix", default: ""))
        // It goes into every link of the web page and every URL a client builds: plain path
        // characters only.
        let pathCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/-._~"))
        guard config.urlPrefix.unicodeScalars.allSatisfy({ $0.isASCII && pathCharacters.contains($0) }) else {
            throw ConfigurationError.invalid("URLPrefix", "'\(config.urlPrefix)' may hold only letters, digits and / - . _ ~")
        }
        config.https = try parseHTTPS(reader)
    }

    /// `UseSSL`: the files are loaded here, so `config check` and start-up both name a bad one.
    private static func parseHTTPS(_ reader: ConfigurationReader) throws -> HTTPSConfiguration? {
        let useSSL = try reader.bool("UseSSL", default: false)
        let mutual = try reader.bool("UseMutualTLS", default: false)
        guard useSSL else {
            if mutual { throw ConfigurationError.invalid("UseMutualTLS", "needs UseSSL: client certificates are checked only over HTTPS") }
            return nil
        }
        var https = HTTPSConfiguration(
            certificateFile: try reader.string("SSLCertFile", default: ""), privateKeyFile: try reader.string("SSLPrivateKeyFile", default: "")
        )
        https.requiresClientCertificate = mutual
        https.caFile = try reader.string("SSLCAFile", default: "")
        https.validOUs = try reader.strings("SSLValidOUs")
        https.verifyOUsOnStatus = try reader.bool("StatusOUVerify", default: false)
        https.skipVerify = try reader.bool("SSLSkipVerify", default: false)
        do throws(HTTPSConfigurationError) {
            _ = try https.tlsConfiguration()
            _ = try https.peerClientTLS()
        } catch {
            throw ConfigurationError(description: "\(error.description) (UseSSL is true)")
        }
        return https
    }

    /// The API's settings from the file: authentication, prefix, HTTPS.
    func applyHTTP(to settings: inout APISettings) {
        settings.access = access
        settings.urlPrefix = urlPrefix
        settings.https = https
    }
}
